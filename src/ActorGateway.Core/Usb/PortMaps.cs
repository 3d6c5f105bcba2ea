namespace ActorGateway.Core.Usb;

/// <summary>What a tty of a modem is for, when the model documents it.</summary>
public enum PortRoleHint
{
    /// <summary>Nothing known: found by probing.</summary>
    Unknown,

    /// <summary>The port for the AT conversation (Huawei "PCUI", ModemManager AT_PRIMARY).</summary>
    AtPrimary,

    /// <summary>The modem port: answers AT and carries the PPP call (ModemManager AT_PPP).</summary>
    AtPpp,

    /// <summary>NMEA from a GPS: never probed (it would read as garbage anyway).</summary>
    Gps,
}

/// <summary>One line of a port map: interfaces of this class triple (and vendor) are for this.</summary>
/// <param name="Vendor">The USB vendor, or null for any (a class code defined by the USB-IF).</param>
/// <param name="Class">bInterfaceClass.</param>
/// <param name="SubClass">bInterfaceSubClass.</param>
/// <param name="Protocol">bInterfaceProtocol.</param>
/// <param name="Role">What the port is for.</param>
/// <param name="Source">Where this comes from.</param>
public sealed record PortMapRule(ushort? Vendor, byte Class, byte SubClass, byte Protocol, PortRoleHint Role, string Source)
{
    /// <summary>True when <paramref name="iface"/> of a device of <paramref name="vendor"/> is described by this rule.</summary>
    public bool Matches(ushort vendor, UsbInterface iface) =>
        (Vendor is null || Vendor == vendor) && iface.Class == Class && iface.SubClass == SubClass && iface.Protocol == Protocol;
}

/// <summary>
/// Documented port maps as data: which tty of a known model is for AT and which for PPP, so that the prober asks the
/// right port first and the dial goes where the model wants it. Everything else is found by probing.
/// </summary>
public static class PortMaps
{
    private const string HuaweiSource = "ModemManager src/plugins/huawei/77-mm-huawei-net-port-types.rules";

    private const string CdcSource = "USB CDC PSTN 1.2 §4.4 (Communications Class Protocol Codes: 01 = AT commands, V.250)";

    /// <summary>The rules, most specific first.</summary>
    public static IReadOnlyList<PortMapRule> Rules { get; } =
    [
        // Huawei tags its vendor-specific interfaces with a port type in bInterfaceProtocol once switched with
        // HuaweiNewMode: 01 modem (PPP), 02 PCUI (AT, unsolicited reports), 05 and 14 GPS NMEA.
        new(0x12d1, 0xff, 0x01, 0x01, PortRoleHint.AtPpp, HuaweiSource),
        new(0x12d1, 0xff, 0x01, 0x02, PortRoleHint.AtPrimary, HuaweiSource),
        new(0x12d1, 0xff, 0x02, 0x01, PortRoleHint.AtPpp, HuaweiSource),
        new(0x12d1, 0xff, 0x02, 0x02, PortRoleHint.AtPrimary, HuaweiSource),
        new(0x12d1, 0xff, 0x01, 0x05, PortRoleHint.Gps, HuaweiSource),
        new(0x12d1, 0xff, 0x01, 0x14, PortRoleHint.Gps, HuaweiSource),
        new(0x12d1, 0xff, 0x06, 0x14, PortRoleHint.Gps, HuaweiSource),

        // A CDC ACM port that declares V.250 AT commands (the Nokia C2-01 in PC Suite mode): AT and the call on one tty.
        new(null, 0x02, 0x02, 0x01, PortRoleHint.AtPrimary, CdcSource),
    ];

    /// <summary>The role of the tty on <paramref name="iface"/>, and the source saying so.</summary>
    public static (PortRoleHint Role, string? Source) Lookup(UsbId id, UsbInterface iface) =>
        Rules.FirstOrDefault(r => r.Matches(id.Vendor, iface)) is { } rule ? (rule.Role, rule.Source) : (PortRoleHint.Unknown, null);
}
