namespace ActorGateway.Simulation.Profiles;

/// <summary>Extended command names by the document that defines them; profiles combine them.</summary>
public static class CommandSets
{
    /// <summary>V.250 §6.1.4–§6.1.9 identification and capabilities.</summary>
    public static IReadOnlySet<string> V250 { get; } = new HashSet<string> { "+GMI", "+GMM", "+GMR", "+GSN", "+GCAP" };

    /// <summary>ITU-T T.31 service class selection; the seed's wvdial init sends <c>+FCLASS=0</c>.</summary>
    public static IReadOnlySet<string> T31 { get; } = new HashSet<string> { "+FCLASS" };

    /// <summary>27.007 commands of a GSM/UMTS device (identity, SIM, CS/PS registration, data).</summary>
    public static IReadOnlySet<string> Ts27007Umts { get; } = new HashSet<string>
    {
        "+CGMI", "+CGMM", "+CGMR", "+CGSN", "+CIMI", "+CMEE", "+CFUN", "+CPIN", "+CPINR", "+CLCK", "+CRSM",
        "+CREG", "+CGREG", "+CSQ", "+COPS", "+CGDCONT", "+CGATT",
    };

    /// <summary>27.007 additions for LTE: EPS registration (§10.1.22).</summary>
    public static IReadOnlySet<string> Ts27007Lte { get; } = new HashSet<string>(Ts27007Umts) { "+CEREG" };

    /// <summary>Huawei proprietary commands (Huawei AT command interface specification).</summary>
    public static IReadOnlySet<string> Huawei { get; } = new HashSet<string> { "^CPIN", "^ICCID", "^CURC", "^SYSINFO" };

    /// <summary>Common vendor extras: <c>+CCID</c> reads the ICCID.</summary>
    public static IReadOnlySet<string> VendorIccid { get; } = new HashSet<string> { "+CCID" };

    /// <summary>The union of <paramref name="sets"/>.</summary>
    public static IReadOnlySet<string> Combine(params IReadOnlySet<string>[] sets) =>
        sets.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
}
