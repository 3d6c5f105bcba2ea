namespace ActorGateway.Simulation.Profiles;

/// <summary>
/// Huawei E367 HSPA+ stick after usb_modeswitch (seed guide: 12d1:1446 in mass-storage mode, 12d1:1506 as a modem).
/// Three ttys, exactly one of which answers AT - "usually the first but not always!" - one silent and one DIAG port
/// spewing binary. Echo of long lines is cut short (the seed's wvdial log shows "ATQ0 V1 E1 S0=0 &amp;C1 &amp;D2 +F").
/// Emits ^RSSI/^MODE/^BOOT/^SIMST/^DSFLOWRPT in the formats ModemManager's huawei plugin matches.
/// </summary>
public static class HuaweiE367
{
    /// <summary>Length of the truncated echo: "ATQ0 V1 E1 S0=0 &amp;C1 &amp;D2 +F" is 26 characters.</summary>
    public const int EchoLimit = 26;

    /// <summary>The stick with the AT port on ttyUSB0.</summary>
    public static ModemProfile Profile { get; } = new()
    {
        Name = "huawei-e367",
        Usb = new UsbId(0x12d1, 0x1506),
        UsbBeforeModeSwitch = new UsbId(0x12d1, 0x1446),
        Ports =
        [
            new PortProfile("ttyUSB0", PortRole.At),
            new PortProfile("ttyUSB1", PortRole.Diagnostic),
            new PortProfile("ttyUSB2", PortRole.Silent),
        ],
        Manufacturer = "huawei",
        Model = "E367",
        Revision = "21.157.01.00.00",
        Imei = "861234027654329",

        // Huawei's ATI layout (Manufacturer/Model/Revision/IMEI/+GCAP lines).
        IdentityLines =
        [
            "Manufacturer: huawei",
            "Model: E367",
            "Revision: 21.157.01.00.00",
            "IMEI: 861234027654329",
            "+GCAP: +CGSM,+DS,+ES",
        ],
        Capabilities = "+CGSM,+DS,+ES",
        DefaultIccid = "89001010000000000364",
        DefaultImsi = "001010123456789",
        OperatorLong = "Test Network",
        OperatorShort = "TestNet",
        OperatorNumeric = "00101",
        AccessTechnology = AccessTechnology.UtranHsdpaHsupa,
        Rssi = 21,
        RegistrationDelay = TimeSpan.FromSeconds(3),
        ConnectDelay = TimeSpan.FromSeconds(1),
        BootDelay = TimeSpan.FromSeconds(1),
        ResetOutage = TimeSpan.FromSeconds(5),
        ConnectText = "CONNECT",
        EchoLimit = EchoLimit,
        Commands = CommandSets.Combine(CommandSets.V250, CommandSets.T31, CommandSets.Ts27007Umts, CommandSets.Huawei),
        UnknownCommand = UnknownCommandReply.HuaweiCommandNotSupport,
        DialWithoutService = NoServiceDialReply.NoCarrier,
        Huawei = new HuaweiReports(
            SysMode: 5,
            SysSubmode: 7,
            BootReport: "^BOOT:20952617,0,0,0,75",
            RssiInterval: TimeSpan.FromSeconds(10),
            FlowReportInterval: TimeSpan.FromSeconds(2)),
        DiagnosticInterval = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>
    /// The stick as it comes back from usb_modeswitch's HuaweiNewMode (12d1:1506), with its ports typed the way
    /// bInterfaceProtocol announces them (ModemManager 77-mm-huawei-net-port-types.rules): ttyUSB0 the modem port
    /// (01: AT and the PPP call), ttyUSB1 a DIAG port, ttyUSB2 the PCUI (02: AT and the unsolicited reports) — the layout
    /// of tests/fixtures/sysfs/rpi1b-huawei-e367-modem.
    /// </summary>
    public static ModemProfile NewMode { get; } = Profile with
    {
        Name = "huawei-e367-newmode",
        Ports =
        [
            new PortProfile("ttyUSB0", PortRole.Modem),
            new PortProfile("ttyUSB1", PortRole.Diagnostic),
            new PortProfile("ttyUSB2", PortRole.At),
        ],
    };

    /// <summary>The stick with the AT role on interface <paramref name="atPortIndex"/> (0..2).</summary>
    public static ModemProfile Create(int atPortIndex = 0) => atPortIndex == 0 ? Profile : Profile.WithAtPort(atPortIndex);
}
