namespace ActorGateway.Core.At;

/// <summary>
/// The prefixes of unsolicited result codes (URCs) a modem may send at any time, even between the
/// lines of a response to a command. Sources: 3GPP TS 27.007 (§7.2 +CREG, §10.1.20 +CGREG, §10.1.22
/// +CEREG, §10.1.19 +CGEV, §6.11 RING/+CRING, §8.10 +CIEV, §7.15 +CUSD), 27.005 (+CMTI, +CMT, +CDS, +CBM),
/// Huawei's AT command interface specification (^RSSI, ^MODE, ^BOOT, ^DSFLOWRPT, ^SIMST, ^SRVST,
/// ^HCSQ, ^SYSSTART, ^RFSWITCH) and the URC tables ModemManager keeps for its Huawei, Quectel and Sierra plugins.
/// </summary>
public sealed class UnsolicitedCodes
{
    /// <summary>The prefixes every modem profile recognises.</summary>
    public static readonly IReadOnlyList<string> Standard =
    [
        "RING", "+CRING:", "+CLIP:", "+CCWA:", "+CREG:", "+CGREG:", "+CEREG:", "+C5GREG:", "+CGEV:",
        "+CIEV:", "+CUSD:", "+CMTI:", "+CMT:", "+CDS:", "+CBM:", "+CDSI:", "+CPIN:", "+CFUN:",
        "+PACSP", "+CUSATP:", "+STIN:", "+CTZV:", "+CTZE:", "+NITZ:",
        // Huawei
        "^RSSI:", "^MODE:", "^BOOT:", "^DSFLOWRPT:", "^SIMST:", "^SRVST:", "^HCSQ:", "^SYSSTART",
        "^RFSWITCH:", "^CEND:", "^ORIG:", "^CONF:", "^CONN:", "^STIN:", "^EONS:", "^NWTIME:", "^CPINNTFY:",
        // Quectel, Sierra, u-blox, SIMCom
        "RDY", "+QIND:", "+QUSIM:", "+QSTK:", "PB DONE", "SMS DONE", "+UUPSDA:", "+UUPSDD:", "*PSSTK:",
        "!GSTATUS:", "+CPINR:", "*EMRDY:", "+ZUSIMR:", "+ZEND", "SMS Ready", "Call Ready",
    ];

    // 27.005 §3.4.1: these URCs are followed by a second line (the PDU or the text).
    private static readonly string[] TwoLine = ["+CMT:", "+CDS:", "+CBM:"];

    private readonly string[] _prefixes;

    public UnsolicitedCodes(IEnumerable<string>? extra = null)
    {
        _prefixes = [.. Standard.Concat(extra ?? []).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The default set, with nothing added.</summary>
    public static UnsolicitedCodes Default { get; } = new();

    /// <summary>True when <paramref name="line"/> starts like a URC.</summary>
    public bool IsUnsolicited(string line)
    {
        foreach (var prefix in _prefixes)
        {
            if (line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (prefix[^1] == ':' || line.Length == prefix.Length || line[prefix.Length] is ':' or ' ' || char.IsAsciiDigit(line[prefix.Length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the URC is followed by a second line that belongs to it (27.005 §3.4.1).</summary>
    public static bool HasSecondLine(string line) =>
        TwoLine.Any(p => line.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
