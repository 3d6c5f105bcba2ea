namespace ActorGateway.Simulation;

/// <summary>Encodings of SIM and device identifiers: Luhn check digits and EF_ICCID's swapped BCD.</summary>
public static class SimIdentifiers
{
    /// <summary>
    /// EF_ICCID content as <c>+CRSM</c> READ BINARY returns it: 10 bytes of BCD with the two digits of each byte
    /// swapped and an odd length padded with F (ETSI TS 102.221 §13.2; ModemManager's test_iccid_parse_* cases,
    /// e.g. "8944200053671052499" reads as "984402003576012594F9").
    /// </summary>
    public static string ToSwappedBcd(string iccid, int bytes = 10)
    {
        var digits = iccid.PadRight(bytes * 2, 'F');
        var chars = new char[bytes * 2];
        for (var i = 0; i < bytes; i++)
        {
            chars[2 * i] = digits[(2 * i) + 1];
            chars[(2 * i) + 1] = digits[2 * i];
        }

        return new string(chars);
    }

    /// <summary>Whether the digits end in a valid Luhn check digit (IMEI per 3GPP TS 23.003 §6.2, ICCID per ITU-T E.118).</summary>
    public static bool HasValidLuhn(string digits)
    {
        if (digits.Length < 2 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        return LuhnCheckDigit(digits[..^1]) == digits[^1] - '0';
    }

    /// <summary>The Luhn check digit for <paramref name="payload"/>.</summary>
    public static int LuhnCheckDigit(string payload)
    {
        var sum = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var d = payload[payload.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (10 - (sum % 10)) % 10;
    }

    /// <summary>An ICCID: 19 or 20 digits, industry identifier 89 (telecom), Luhn-checked (ITU-T E.118).</summary>
    public static bool IsValidIccid(string iccid) =>
        iccid.Length is 19 or 20 && iccid.StartsWith("89", StringComparison.Ordinal) && HasValidLuhn(iccid);
}
