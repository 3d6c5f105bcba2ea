namespace ActorGateway.Simulation;

/// <summary>A USB vendor:product pair as <c>lsusb</c> prints it (the seed guide identifies devices this way).</summary>
public readonly record struct UsbId(ushort VendorId, ushort ProductId)
{
    public override string ToString() => $"{VendorId:x4}:{ProductId:x4}";
}

/// <summary>What a simulated tty does when the host talks to it.</summary>
public enum PortRole
{
    /// <summary>Answers AT commands, emits URCs and carries the data call.</summary>
    At,

    /// <summary>
    /// Answers AT commands and carries the data call, but gets no unsolicited reports: Huawei's modem port beside its
    /// PCUI (ModemManager's AT_PPP port type; the URCs go to the PCUI).
    /// </summary>
    Modem,

    /// <summary>Swallows everything and never answers (one of the Huawei E367's three ttys).</summary>
    Silent,

    /// <summary>Emits binary diagnostic frames and ignores AT (the Huawei E367's DIAG tty).</summary>
    Diagnostic,
}

/// <summary>One tty of a simulated device, e.g. <c>ttyUSB0</c> with the AT role.</summary>
public sealed record PortProfile(string Name, PortRole Role);

/// <summary>Access technology as 27.007 §7.3 numbers it in <c>+COPS</c>/<c>+CREG</c> (<c>&lt;AcT&gt;</c>).</summary>
public enum AccessTechnology
{
    Gsm = 0,
    Utran = 2,
    UtranHsdpa = 4,
    UtranHsupa = 5,
    UtranHsdpaHsupa = 6,
    EUtran = 7,
}

/// <summary>What an unknown command answers: the spec's ERROR, or a vendor's variant.</summary>
public enum UnknownCommandReply
{
    /// <summary>Plain ERROR, as 27.007 §9.1 prescribes for syntax errors.</summary>
    Error,

    /// <summary>ERROR, or <c>+CME ERROR: 4</c> (operation not supported) once <c>+CMEE</c> is 1 or 2.</summary>
    CmeOperationNotSupported,

    /// <summary>Huawei's <c>COMMAND NOT SUPPORT</c> (ModemManager's serial parser and tests know it as an error).</summary>
    HuaweiCommandNotSupport,
}

/// <summary>What ATD answers when there is no network to dial on.</summary>
public enum NoServiceDialReply
{
    /// <summary>V.250 NO CARRIER after the dial delay.</summary>
    NoCarrier,

    /// <summary>27.007 §9.2.1 <c>+CME ERROR: 30</c> (no network service) right away.</summary>
    CmeNoNetworkService,
}

/// <summary>Huawei's proprietary unsolicited reports and their timing (Huawei AT command interface specification).</summary>
/// <param name="SysMode"><c>^MODE</c>/<c>^SYSINFO</c> system mode once registered (5 = WCDMA).</param>
/// <param name="SysSubmode">System submode (4 WCDMA, 5 HSDPA, 6 HSUPA, 7 HSPA, 9 HSPA+; ModemManager's huawei_sysinfo_submode_to_act).</param>
/// <param name="BootReport">The <c>^BOOT:</c> line sent after power-on (ModemManager only registers a handler to ignore it).</param>
/// <param name="RssiInterval">How often <c>^RSSI</c> repeats while registered, or null to report only on change.</param>
/// <param name="FlowReportInterval">How often <c>^DSFLOWRPT</c> repeats while a data call is up.</param>
public sealed record HuaweiReports(
    int SysMode,
    int SysSubmode,
    string BootReport,
    TimeSpan? RssiInterval,
    TimeSpan FlowReportInterval);

/// <summary>
/// A device model as data (one file per model under <c>Profiles/</c>, like vintage_net_mobile's modem modules):
/// identity, ports, SIM defaults, network, timing and the commands it understands.
/// </summary>
public sealed record ModemProfile
{
    /// <summary>Short model name used in paths and logs.</summary>
    public required string Name { get; init; }

    /// <summary>The id <c>lsusb</c> shows in modem mode.</summary>
    public required UsbId Usb { get; init; }

    /// <summary>The id before usb_modeswitch (mass-storage mode), if the device needs switching.</summary>
    public UsbId? UsbBeforeModeSwitch { get; init; }

    /// <summary>The ttys the device creates, in interface order.</summary>
    public required IReadOnlyList<PortProfile> Ports { get; init; }

    /// <summary><c>+CGMI</c> (27.007 §5.1).</summary>
    public required string Manufacturer { get; init; }

    /// <summary><c>+CGMM</c> (27.007 §5.2).</summary>
    public required string Model { get; init; }

    /// <summary><c>+CGMR</c> (27.007 §5.3).</summary>
    public required string Revision { get; init; }

    /// <summary><c>+CGSN</c> (27.007 §5.4): 15 digits with a Luhn check digit.</summary>
    public required string Imei { get; init; }

    /// <summary>Lines ATI answers (V.250 §6.1.3 leaves the content to the manufacturer).</summary>
    public required IReadOnlyList<string> IdentityLines { get; init; }

    /// <summary><c>+GCAP</c> answer (V.250 §6.1.9), or null when unsupported.</summary>
    public string? Capabilities { get; init; }

    /// <summary>ICCID of the SIM the device ships with in the simulation (19 or 20 digits).</summary>
    public required string DefaultIccid { get; init; }

    /// <summary>IMSI of that SIM (MCC 001 / MNC 01 is the 3GPP test network).</summary>
    public required string DefaultImsi { get; init; }

    /// <summary>Network name in long alphanumeric form (<c>+COPS</c> format 0).</summary>
    public required string OperatorLong { get; init; }

    /// <summary>Network name in short alphanumeric form (<c>+COPS</c> format 1).</summary>
    public required string OperatorShort { get; init; }

    /// <summary>MCC+MNC (<c>+COPS</c> format 2).</summary>
    public required string OperatorNumeric { get; init; }

    /// <summary>Radio access technology once registered.</summary>
    public required AccessTechnology AccessTechnology { get; init; }

    /// <summary>Location area (or tracking area) code, 4 hex digits.</summary>
    public string AreaCode { get; init; } = "00C1";

    /// <summary>Cell identity, 8 hex digits.</summary>
    public string CellId { get; init; } = "0012D687";

    /// <summary><c>+CSQ</c> rssi once registered, 0..31 (27.007 §8.5).</summary>
    public int Rssi { get; init; } = 18;

    /// <summary>Time from SIM ready to registered.</summary>
    public TimeSpan RegistrationDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time from ATD to CONNECT (or to the failure result).</summary>
    public TimeSpan ConnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time from power-on to the boot URCs.</summary>
    public TimeSpan BootDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time between the OK to <c>+CFUN=1,1</c> and the device dropping off USB (the OK gets out first).</summary>
    public TimeSpan ResetDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the device is gone from USB after <c>+CFUN=1,1</c>.</summary>
    public TimeSpan ResetOutage { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The CONNECT result, with or without a rate.</summary>
    public string ConnectText { get; init; } = "CONNECT";

    /// <summary>Echo only this many characters of a command line (a firmware quirk), or null for all.</summary>
    public int? EchoLimit { get; init; }

    /// <summary>Extended commands (<c>+X</c>, <c>^X</c>) the device implements; basic V.250 ones are always there.</summary>
    public required IReadOnlySet<string> Commands { get; init; }

    /// <summary>Reply to a command the device does not implement.</summary>
    public UnknownCommandReply UnknownCommand { get; init; } = UnknownCommandReply.Error;

    /// <summary>Reply to ATD without registration.</summary>
    public NoServiceDialReply DialWithoutService { get; init; } = NoServiceDialReply.NoCarrier;

    /// <summary>Whether the SIM in the box asks for its PIN at power-on.</summary>
    public bool DefaultPinEnabled { get; init; }

    /// <summary>Huawei's proprietary URCs, or null for devices without them.</summary>
    public HuaweiReports? Huawei { get; init; }

    /// <summary>How often a diagnostic port emits a binary frame while open.</summary>
    public TimeSpan DiagnosticInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The same model with the AT role on another tty (the seed: "usually the first but not always!").</summary>
    public ModemProfile WithAtPort(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Ports.Count);
        var roles = Ports.Select(p => p.Role).Where(r => r != PortRole.At).ToList();
        var ports = new List<PortProfile>(Ports.Count);
        var other = 0;
        for (var i = 0; i < Ports.Count; i++)
        {
            ports.Add(new PortProfile(Ports[i].Name, i == index ? PortRole.At : roles[other++]));
        }

        return this with { Ports = ports };
    }

    /// <summary>Whether the device implements the extended command <paramref name="name"/> (upper case, with prefix).</summary>
    public bool Supports(string name) => Commands.Contains(name);
}
