using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Core.Usb;

/// <summary>What the gateway does with a USB device.</summary>
public enum UsbDeviceRole
{
    /// <summary>It has ttys on a driver that speaks AT: probe them, then AT and PPP.</summary>
    Modem,

    /// <summary>It brought a network interface that leads to the internet: hand it to the tethering path.</summary>
    Tethering,

    /// <summary>Mass storage that usb-modeswitch-data knows: switch it to its modem mode.</summary>
    ModeSwitch,

    /// <summary>A known modem mode whose vendor-specific interfaces no driver took: bind one (new_id).</summary>
    NeedsDriver,

    /// <summary>Nothing for the gateway.</summary>
    Ignored,
}

/// <summary>A tty of the device with its interface and what the port map says of it.</summary>
public sealed record UsbSerialPort(string Tty, UsbInterface Interface, PortRoleHint Hint, string? HintSource)
{
    /// <summary><c>ttyUSB2 (if 2, ff/02/02, option, AT primary)</c></summary>
    public string Describe() =>
        $"{Tty} (if {Interface.Number}, {Interface.ClassTriple}, {Interface.Driver}{(Hint == PortRoleHint.Unknown ? string.Empty : ", " + HintText(Hint))})";

    internal static string HintText(PortRoleHint hint) => hint switch
    {
        PortRoleHint.AtPrimary => "AT primary",
        PortRoleHint.AtPpp => "modem/PPP",
        PortRoleHint.Gps => "GPS",
        _ => "unknown",
    };
}

/// <summary>A network interface of the device and the driver that made it.</summary>
public sealed record UsbNetPort(string Interface, string Driver);

/// <summary>The decision for one device, with the reason in words.</summary>
public sealed record UsbClassification(
    UsbDeviceRole Role,
    string Reason,
    IReadOnlyList<UsbSerialPort> SerialPorts,
    IReadOnlyList<UsbNetPort> NetPorts,
    ModeSwitchEntry? ModeSwitch = null)
{
    /// <summary>The ttys to probe, most likely AT port first: the port map's AT port, its modem port, then interface order. GPS ports are left out.</summary>
    public IReadOnlyList<UsbSerialPort> ProbeOrder =>
        [.. SerialPorts.Where(p => p.Hint != PortRoleHint.Gps)
            .OrderBy(p => p.Hint switch { PortRoleHint.AtPrimary => 0, PortRoleHint.AtPpp => 1, _ => 2 })
            .ThenBy(p => p.Interface.Number)];
}

/// <summary>
/// Decides what a USB device is for, from what the kernel made of it (drivers, ttys, network interfaces) and the
/// usb_modeswitch database. Pure: the same device gives the same answer, with the reason in words.
/// </summary>
public static class UsbClassifier
{
    /// <summary>
    /// Drivers whose ttys speak AT: CDC ACM phones and modems, the option driver of 3G/4G dongles, Qualcomm Gobi's
    /// qcserial, Sierra's sierra, the generic usb-serial driver (the seed's <c>modprobe usbserial vendor= product=</c>,
    /// <c>usbserial_generic</c> in sysfs), and FTDI adapters with a serial modem behind them.
    /// </summary>
    public static readonly IReadOnlySet<string> AtSerialDrivers = new HashSet<string>(StringComparer.Ordinal)
    {
        "cdc_acm", "option", "qcserial", "sierra", "usbserial_generic", "ftdi_sio",
    };

    /// <summary>
    /// Drivers whose network interface carries traffic by itself once DHCP runs: Android and iPhone-less phones
    /// (RNDIS), CDC ECM and NCM (phones, HiLink sticks in router mode).
    /// </summary>
    public static readonly IReadOnlySet<string> TetheringDrivers = new HashSet<string>(StringComparer.Ordinal)
    {
        "rndis_host", "cdc_ether", "cdc_ncm",
    };

    /// <summary>
    /// Drivers of a modem's own network interface (QMI, MBIM, Huawei NCM): it needs its control protocol to start a
    /// call, so a device with AT ports is taken the AT+PPP way; without AT ports it goes to the tethering path.
    /// </summary>
    public static readonly IReadOnlySet<string> WwanDrivers = new HashSet<string>(StringComparer.Ordinal)
    {
        "qmi_wwan", "cdc_mbim", "huawei_cdc_ncm",
    };

    private const byte MassStorageClass = 0x08;
    private const byte HubClass = 0x09;
    private const byte VendorSpecificClass = 0xff;

    /// <summary>
    /// The decision for <paramref name="device"/>. <paramref name="switchedFrom"/> is the id it had before a mode
    /// switch the gateway ran, if any: a device that came back from a switch may be given a driver.
    /// </summary>
    public static UsbClassification Classify(UsbDevice device, ModeSwitchDatabase database, ScsiIdentity? scsi = null, UsbId? switchedFrom = null)
    {
        var serial = device.Ttys
            .Where(t => t.Interface.Driver is { } d && AtSerialDrivers.Contains(d))
            .Select(t =>
            {
                var (hint, source) = PortMaps.Lookup(device.Id, t.Interface);
                return new UsbSerialPort(t.Tty, t.Interface, hint, source);
            })
            .ToList();
        var nets = device.NetInterfaces.Select(n => new UsbNetPort(n.Net, n.Interface.Driver ?? "?")).ToList();
        var tethering = nets.Where(n => TetheringDrivers.Contains(n.Driver)).ToList();
        var wwan = nets.Where(n => WwanDrivers.Contains(n.Driver)).ToList();

        if (device.IsRootHub || device.DeviceClass == HubClass)
        {
            return Ignored("a USB hub");
        }

        if (!device.Authorized)
        {
            return Ignored("not authorised (authorized = 0): the kernel does not use it");
        }

        if (tethering.Count > 0)
        {
            return new UsbClassification(UsbDeviceRole.Tethering,
                $"a network interface that carries traffic once DHCP runs: {string.Join(", ", tethering.Select(n => $"{n.Interface} ({n.Driver})"))}", serial, tethering);
        }

        if (serial.Count > 0)
        {
            var extra = wwan.Count > 0
                ? $"; {string.Join(", ", wwan.Select(n => $"{n.Interface} ({n.Driver})"))} left alone: it needs QMI/MBIM/NDISDUP, PPP does not"
                : string.Empty;
            return new UsbClassification(UsbDeviceRole.Modem,
                $"AT-capable serial: {string.Join(", ", serial.Select(p => p.Describe()))}{extra}", serial, nets);
        }

        if (wwan.Count > 0)
        {
            return new UsbClassification(UsbDeviceRole.Tethering,
                $"a modem network interface without AT ports: {string.Join(", ", wwan.Select(n => $"{n.Interface} ({n.Driver})"))}", serial, wwan);
        }

        var storage = device.Interfaces.Where(i => i.Class == MassStorageClass).ToList();
        if (storage.Count > 0)
        {
            var entry = database.Find(ModeSwitchCandidate.From(device, scsi));
            if (entry is not null)
            {
                return new UsbClassification(UsbDeviceRole.ModeSwitch, $"mass storage that usb_modeswitch knows: {entry.Describe()}", serial, nets, entry);
            }

            if (database.Knows(device.Id))
            {
                return Ignored($"mass storage; usb_modeswitch has entries for {device.Id}, but none matches its strings");
            }
        }

        var unbound = device.Interfaces.Where(i => i.Class == VendorSpecificClass && i.Driver is null).ToList();
        if (unbound.Count > 0 && (switchedFrom is not null || database.IsTargetId(device.Id)))
        {
            var why = switchedFrom is { } from ? $"switched from {from}" : "a modem mode in usb-modeswitch-data";
            return new UsbClassification(UsbDeviceRole.NeedsDriver,
                $"{why}, but no driver took its vendor-specific interfaces ({string.Join(", ", unbound.Select(i => i.Name))})", serial, nets);
        }

        if (storage.Count > 0)
        {
            return Ignored("mass storage with no usb_modeswitch entry (a memory stick or card reader)");
        }

        if (nets.Count > 0)
        {
            return Ignored($"a network adapter ({string.Join(", ", nets.Select(n => $"{n.Interface} on {n.Driver}"))}), not a modem or a phone");
        }

        var otherTtys = device.Ttys.ToList();
        if (otherTtys.Count > 0)
        {
            return Ignored($"ttys on drivers not known to speak AT ({string.Join(", ", otherTtys.Select(t => $"{t.Tty} on {t.Interface.Driver ?? "no driver"}"))})");
        }

        var classes = device.Interfaces.Count == 0 ? "no interfaces" : "interfaces " + string.Join(", ", device.Interfaces.Select(i => $"{i.ClassTriple}:{i.Driver ?? "-"}"));
        return Ignored($"nothing the gateway uses ({classes})");

        UsbClassification Ignored(string reason) => new(UsbDeviceRole.Ignored, reason, serial, nets);
    }
}
