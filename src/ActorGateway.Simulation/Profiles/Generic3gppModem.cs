namespace ActorGateway.Simulation.Profiles;

/// <summary>
/// A plain 3GPP TS 27.007 LTE module: one AT tty, <c>+CEREG</c>, <c>+CCID</c>, +CME ERROR for unsupported commands
/// once <c>+CMEE</c> is on, and <c>+CME ERROR: 30</c> when dialled without service.
/// </summary>
public static class Generic3gppModem
{
    /// <summary>The module's profile.</summary>
    public static ModemProfile Profile { get; } = new()
    {
        Name = "generic-lte",
        Usb = new UsbId(0x1d6b, 0x0104),
        Ports = [new PortProfile("ttyUSB0", PortRole.At)],
        Manufacturer = "Generic",
        Model = "LTE Module",
        Revision = "1.0.0-sim",
        Imei = "359999012345674",
        IdentityLines = ["Generic", "LTE Module", "Revision: 1.0.0-sim"],
        Capabilities = "+CGSM",
        DefaultIccid = "8900101123456789016",
        DefaultImsi = "001010000000001",
        OperatorLong = "Test Network",
        OperatorShort = "TestNet",
        OperatorNumeric = "00101",
        AccessTechnology = AccessTechnology.EUtran,
        Rssi = 24,
        RegistrationDelay = TimeSpan.FromSeconds(2),
        ConnectDelay = TimeSpan.FromMilliseconds(500),
        ResetOutage = TimeSpan.FromSeconds(2),
        ConnectText = "CONNECT 150000000",
        Commands = CommandSets.Combine(CommandSets.V250, CommandSets.T31, CommandSets.Ts27007Lte, CommandSets.VendorIccid),
        UnknownCommand = UnknownCommandReply.CmeOperationNotSupported,
        DialWithoutService = NoServiceDialReply.CmeNoNetworkService,
    };
}
