namespace ActorGateway.Simulation.Profiles;

/// <summary>
/// Nokia C2-01 in "PC Suite" mode (seed guide: USB 0421:054b, one new ttyACM, "AT" answers "OK"). A 3G phone: the
/// user unlocks the SIM on the handset, so it is ready by default; no vendor URCs; plain CONNECT as in the seed's log.
/// </summary>
public static class NokiaC2_01
{
    /// <summary>The phone's profile.</summary>
    public static ModemProfile Profile { get; } = new()
    {
        Name = "nokia-c2-01",
        Usb = new UsbId(0x0421, 0x054b),
        Ports = [new PortProfile("ttyACM0", PortRole.At)],
        Manufacturer = "Nokia",
        Model = "Nokia C2-01",
        Revision = "V 08.70 (sim)",
        Imei = "351051041234566",
        IdentityLines = ["Nokia"],
        Capabilities = "+CGSM,+DS,+W",
        DefaultIccid = "8900101000000000019",
        DefaultImsi = "001010123456789",
        OperatorLong = "Test Network",
        OperatorShort = "TestNet",
        OperatorNumeric = "00101",
        AccessTechnology = AccessTechnology.Utran,
        RegistrationDelay = TimeSpan.FromSeconds(2),
        ConnectDelay = TimeSpan.FromSeconds(2),
        ConnectText = "CONNECT",
        Commands = CommandSets.Combine(CommandSets.V250, CommandSets.T31, CommandSets.Ts27007Umts),
        UnknownCommand = UnknownCommandReply.Error,
        DialWithoutService = NoServiceDialReply.NoCarrier,
    };
}
