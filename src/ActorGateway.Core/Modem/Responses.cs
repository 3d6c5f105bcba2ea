using System.Globalization;
using ActorGateway.Core.At;

namespace ActorGateway.Core.Modem;

/// <summary>What <c>AT+CPIN?</c> says the SIM waits for (3GPP TS 27.007 §8.3).</summary>
public enum SimLock
{
    /// <summary><c>READY</c>: no password pending.</summary>
    Ready,

    /// <summary><c>SIM PIN</c>.</summary>
    Pin,

    /// <summary><c>SIM PUK</c>: three wrong PINs; only the PUK unblocks it.</summary>
    Puk,

    /// <summary>Another code (<c>PH-SIM PIN</c>, <c>SIM PIN2</c>, network personalisation …).</summary>
    Other,
}

/// <summary>A parsed <c>+CPIN:</c> answer: the lock and the modem's exact words for it.</summary>
public sealed record SimStatus(SimLock Lock, string Code);

/// <summary>Registration state, <c>&lt;stat&gt;</c> of 27.007 §7.2 (+CREG), §10.1.20 (+CGREG), §10.1.22 (+CEREG).</summary>
public enum RegistrationState
{
    NotSearching = 0,
    Home = 1,
    Searching = 2,
    Denied = 3,
    Unknown = 4,
    Roaming = 5,
    HomeSmsOnly = 6,
    RoamingSmsOnly = 7,
    EmergencyOnly = 8,
    HomeCsfbNotPreferred = 9,
    RoamingCsfbNotPreferred = 10,
    AttachedForEmergencyBearer = 11,
}

/// <summary>A registration report from a query answer or a URC; the technology (AcT) when given.</summary>
public sealed record Registration(string Domain, RegistrationState State, int? AccessTechnology)
{
    /// <summary>True for home or roaming registration, data-capable.</summary>
    public bool IsRegistered => State is RegistrationState.Home or RegistrationState.Roaming
        or RegistrationState.HomeCsfbNotPreferred or RegistrationState.RoamingCsfbNotPreferred;

    /// <summary>True when roaming.</summary>
    public bool IsRoaming => State is RegistrationState.Roaming or RegistrationState.RoamingSmsOnly
        or RegistrationState.RoamingCsfbNotPreferred;
}

/// <summary>Signal from <c>+CSQ</c> (27.007 §8.5) or Huawei <c>^RSSI</c>: rssi 0–31, 99 unknown.</summary>
public sealed record SignalQuality(int Rssi, int? BitErrorRate)
{
    /// <summary>True unless the modem said 99 (not known or not detectable).</summary>
    public bool IsKnown => Rssi is >= 0 and <= 31;

    /// <summary>27.007 §8.5: 0 is −113 dBm or less, 31 is −51 dBm or more, 2 dBm a step.</summary>
    public int? Dbm => IsKnown ? -113 + (2 * Rssi) : null;

    /// <summary>0–100, for people and metrics.</summary>
    public int? Percent => IsKnown ? (int)Math.Round(Rssi * 100.0 / 31) : null;
}

/// <summary>The operator from <c>+COPS?</c> (27.007 §7.3).</summary>
public sealed record OperatorInfo(int Mode, string? Name, int? AccessTechnology);

/// <summary>Remaining PIN and PUK tries as a modem reports them.</summary>
public sealed record PinRetries(int? Pin, int? Puk);

/// <summary>Parsers for the answers a gateway reads. Each returns null when the text is not what it expects.</summary>
public static class Responses
{
    /// <summary>27.007 §8.3: <c>+CPIN: READY</c>, <c>+CPIN: SIM PIN</c>, …</summary>
    public static SimStatus? ParseCpin(AtResponse response) =>
        response.Find("+CPIN:") is { } value ? ParseCpinValue(value) : null;

    /// <summary>Parses the value after <c>+CPIN:</c>.</summary>
    public static SimStatus ParseCpinValue(string value)
    {
        var code = value.Trim().Trim('"').ToUpperInvariant();
        var simLock = code switch
        {
            // 27.007 §8.3: PIN2/PUK2 are only reported right after a failed PIN2 operation and do not
            // block the MT; the gateway never uses PIN2, so the SIM is as good as ready for data.
            "READY" or "SIM PIN2" or "SIM PUK2" => SimLock.Ready,
            "SIM PIN" => SimLock.Pin,
            "SIM PUK" => SimLock.Puk,
            _ => SimLock.Other,
        };
        return new SimStatus(simLock, code);
    }

    /// <summary>
    /// Remaining tries from whichever of these the answer holds: 27.007 §8.65 <c>+CPINR: SIM PIN,&lt;retries&gt;,…</c>
    /// (one line per code); Huawei <c>^CPIN: &lt;code&gt;,[&lt;times&gt;],&lt;puk_times&gt;,&lt;pin_times&gt;,…</c>;
    /// Sierra <c>+CPINC: &lt;pin1&gt;,&lt;pin2&gt;,&lt;puk1&gt;,&lt;puk2&gt;</c>; Quectel <c>+QPINC: "SC",&lt;pin&gt;,&lt;puk&gt;</c>.
    /// </summary>
    public static PinRetries? ParsePinRetries(AtResponse response)
    {
        int? pin = null, puk = null;
        var found = false;
        foreach (var line in response.Lines)
        {
            var (name, fields) = Split(line);
            switch (name)
            {
                case "+CPINR" when fields.Count >= 2:
                    var code = fields[0].Trim('"').ToUpperInvariant();
                    if (code == "SIM PIN")
                    {
                        pin = Int(fields[1]);
                        found = true;
                    }
                    else if (code == "SIM PUK")
                    {
                        puk = Int(fields[1]);
                        found = true;
                    }

                    break;
                case "^CPIN" when fields.Count >= 4:
                    puk = Int(fields[2]);
                    pin = Int(fields[3]);
                    found = true;
                    break;
                case "+CPINC" when fields.Count >= 3:
                    pin = Int(fields[0]);
                    puk = Int(fields[2]);
                    found = true;
                    break;
                case "+QPINC" when fields.Count >= 3 && fields[0].Trim('"') == "SC":
                    pin = Int(fields[1]);
                    puk = Int(fields[2]);
                    found = true;
                    break;
            }
        }

        return found ? new PinRetries(pin, puk) : null;
    }

    /// <summary>
    /// A +CREG/+CGREG/+CEREG line in either shape: the query answer <c>+CREG: &lt;n&gt;,&lt;stat&gt;[,…]</c>
    /// or the URC <c>+CREG: &lt;stat&gt;[,&lt;lac&gt;,&lt;ci&gt;[,&lt;AcT&gt;]]</c>, where the second field, if any, is quoted.
    /// </summary>
    public static Registration? ParseRegistration(string line)
    {
        var (name, fields) = Split(line);
        if (name is not ("+CREG" or "+CGREG" or "+CEREG" or "+C5GREG") || fields.Count == 0)
        {
            return null;
        }

        var queryShape = fields.Count >= 2 && !fields[1].StartsWith('"');
        var statField = queryShape ? fields[1] : fields[0];
        if (Int(statField) is not { } stat || stat is < 0 or > 11)
        {
            return null;
        }

        // AcT follows <lac>,<ci> (or <tac>,<ci> for EPS): index 4 in the query shape, 3 in the URC shape.
        var actIndex = queryShape ? 4 : 3;
        var act = fields.Count > actIndex ? Int(fields[actIndex]) : null;
        return new Registration(name[1..], (RegistrationState)stat, act);
    }

    /// <summary>27.007 §8.5: <c>+CSQ: &lt;rssi&gt;,&lt;ber&gt;</c>.</summary>
    public static SignalQuality? ParseCsq(AtResponse response)
    {
        if (response.Find("+CSQ:") is not { } value)
        {
            return null;
        }

        var fields = SplitFields(value);
        return fields.Count >= 1 && Int(fields[0]) is { } rssi and >= 0 and <= 99
            ? new SignalQuality(rssi, fields.Count > 1 ? Int(fields[1]) : null)
            : null;
    }

    /// <summary>Huawei <c>^RSSI:&lt;rssi&gt;</c> URC, same scale as +CSQ.</summary>
    public static SignalQuality? ParseHuaweiRssi(string line) =>
        line.StartsWith("^RSSI:", StringComparison.OrdinalIgnoreCase) && Int(line[6..]) is { } rssi and >= 0 and <= 99
            ? new SignalQuality(rssi, null)
            : null;

    /// <summary>27.007 §7.3: <c>+COPS: &lt;mode&gt;[,&lt;format&gt;,&lt;oper&gt;[,&lt;AcT&gt;]]</c>.</summary>
    public static OperatorInfo? ParseCops(AtResponse response)
    {
        if (response.Find("+COPS:") is not { } value)
        {
            return null;
        }

        var fields = SplitFields(value);
        if (fields.Count == 0 || Int(fields[0]) is not { } mode)
        {
            return null;
        }

        var name = fields.Count > 2 ? DecodeUcs2(fields[2].Trim('"')) : null;
        var act = fields.Count > 3 ? Int(fields[3]) : null;
        return new OperatorInfo(mode, string.IsNullOrWhiteSpace(name) ? null : name, act);
    }

    /// <summary>
    /// The ICCID from any of: 27.007 §8.18 <c>+CRSM: 144,0,"&lt;EF_ICCID&gt;"</c> (nibble-swapped BCD, 3GPP
    /// TS 31.102 §4.1.1 / 11.11 §10.1.1, padded with F), Huawei <c>^ICCID: …</c>, <c>+CCID:</c>,
    /// <c>+ICCID:</c>, <c>+QCCID:</c>, or a bare line of digits. Null when none is a plausible ICCID
    /// (ITU-T E.118: 18 to 22 characters, starting 89).
    /// </summary>
    public static string? ParseIccid(AtResponse response)
    {
        foreach (var line in response.Lines)
        {
            string candidate;
            if (line.StartsWith("+CRSM:", StringComparison.OrdinalIgnoreCase))
            {
                var fields = SplitFields(line[6..]);
                if (fields.Count < 3 || Int(fields[0]) != 144)
                {
                    continue; // sw1 144 (0x90) is success, anything else an error status
                }

                candidate = SwapNibbles(fields[2].Trim('"'));
            }
            else
            {
                var colon = line.IndexOf(':');
                candidate = (colon >= 0 ? line[(colon + 1)..] : line).Trim().Trim('"');
                if (candidate.StartsWith("98", StringComparison.Ordinal))
                {
                    // Huawei ^ICCID (and some others) give EF_ICCID as stored, nibbles swapped; no ICCID starts 98.
                    candidate = SwapNibbles(candidate);
                }
            }

            candidate = candidate.TrimEnd('F', 'f');
            if (candidate.Length is >= 18 and <= 22 && candidate.StartsWith("89", StringComparison.Ordinal)
                && candidate.All(char.IsAsciiDigit))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The value of an identity answer (+CGMI, +CGMM, +CGMR, +CGSN, 27.007 §5.1–5.4), with a <c>+CGMx:</c>
    /// prefix removed where the modem adds one. Noise on the line can leave printable scraps around the
    /// answer, so of the lines that read like a name the one with the most letters and digits wins.
    /// </summary>
    public static string? ParseIdentity(AtResponse response)
    {
        if (!response.IsOk)
        {
            return null;
        }

        string? best = null;
        var bestScore = 0;
        foreach (var raw in response.Lines)
        {
            var line = raw;
            var colon = line.IndexOf(':');
            if (line.StartsWith('+') && colon > 0)
            {
                line = line[(colon + 1)..];
            }

            line = line.Trim().Trim('"').Trim();
            var score = line.Count(char.IsLetterOrDigit);
            if (score > bestScore && line.All(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or ',' or '-' or '_' or '/' or '(' or ')' or '+' or ':' or '&' or '\'' or '#'))
            {
                best = line;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The IMEI: 15 digits (3GPP TS 23.003 §6.2.1; 14 without check digit, 16 as IMEISV), from +CGSN's answer.</summary>
    public static string? ParseImei(AtResponse response)
    {
        if (!response.IsOk)
        {
            return null;
        }

        foreach (var line in response.Lines.Reverse())
        {
            var value = line.StartsWith("+CGSN:", StringComparison.OrdinalIgnoreCase) ? line[6..] : line;
            value = value.Trim().Trim('"');
            if (value.Length is 14 or 15 or 16 && value.All(char.IsAsciiDigit))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// An operator name a modem left in the UCS2 character set (27.007 §5.5 +CSCS) arrives as hex, four
    /// digits a character: "0054002D004D006F00620069006C0065" is "T-Mobile". Anything else is returned as it is.
    /// </summary>
    public static string DecodeUcs2(string value)
    {
        if (value.Length < 8 || value.Length % 4 != 0 || !value.All(char.IsAsciiHexDigit))
        {
            return value;
        }

        var chars = new char[value.Length / 4];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)Convert.ToUInt16(value.Substring(i * 4, 4), 16);
        }

        return chars.All(c => !char.IsControl(c)) ? new string(chars) : value;
    }

    /// <summary>Radio technology name for an AcT value (27.007 §7.3).</summary>
    public static string? DescribeAccessTechnology(int? act) => act switch
    {
        0 => "GSM",
        1 => "GSM Compact",
        2 => "UMTS",
        3 => "EDGE",
        4 => "HSDPA",
        5 => "HSUPA",
        6 => "HSPA",
        7 => "LTE",
        8 => "EC-GSM-IoT",
        9 => "LTE-M",
        10 => "E-UTRA-5GCN",
        11 => "NR-5GCN",
        12 => "NG-RAN",
        13 => "E-UTRA-NR",
        _ => null,
    };

    /// <summary>Huawei <c>^MODE:&lt;sys_mode&gt;[,&lt;sys_submode&gt;]</c>: the technology name.</summary>
    public static string? ParseHuaweiMode(string line)
    {
        if (!line.StartsWith("^MODE:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var fields = SplitFields(line[6..]);
        var submode = fields.Count > 1 ? Int(fields[1]) : null;
        return submode switch
        {
            1 => "GSM",
            2 => "GPRS",
            3 => "EDGE",
            4 => "WCDMA",
            5 => "HSDPA",
            6 => "HSUPA",
            7 => "HSPA",
            9 => "HSPA+",
            _ => Int(fields.Count > 0 ? fields[0] : string.Empty) switch
            {
                0 => "no service",
                3 => "GSM/GPRS",
                5 => "WCDMA",
                7 => "LTE",
                _ => null,
            },
        };
    }

    private static (string Name, List<string> Fields) Split(string line)
    {
        var colon = line.IndexOf(':');
        return colon < 0
            ? (line.Trim().ToUpperInvariant(), [])
            : (line[..colon].Trim().ToUpperInvariant(), SplitFields(line[(colon + 1)..]));
    }

    /// <summary>Splits a parameter list at commas that are not inside quotes.</summary>
    public static List<string> SplitFields(string value)
    {
        var fields = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '"')
            {
                quoted = !quoted;
            }
            else if (value[i] == ',' && !quoted)
            {
                fields.Add(value[start..i].Trim());
                start = i + 1;
            }
        }

        if (value.Trim().Length > 0 || fields.Count > 0)
        {
            fields.Add(value[start..].Trim());
        }

        return fields;
    }

    private static int? Int(string field) =>
        int.TryParse(field.Trim().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string SwapNibbles(string hex)
    {
        var chars = hex.ToCharArray();
        for (var i = 0; i + 1 < chars.Length; i += 2)
        {
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
        }

        return new string(chars);
    }
}
