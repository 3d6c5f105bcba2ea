namespace ActorGateway.Core.Usb;

/// <summary>
/// One USB device as sysfs shows it under <c>/sys/bus/usb/devices</c> (Linux ABI: sysfs-bus-usb): the
/// <c>lsusb</c> line (<see cref="Id"/>, <see cref="Manufacturer"/>, <see cref="Product"/>), where it sits
/// (<see cref="Name"/> is the port path, <c>1-1.2</c> = bus 1, hub port 1, port 2) and what the kernel made of
/// each interface: the bound driver and the ttys or network interfaces it created.
/// </summary>
public sealed record UsbDevice
{
    /// <summary>The kernel's name, the port path: <c>1-1.2</c>. Stable while the device stays in the same socket.</summary>
    public required string Name { get; init; }

    /// <summary>The sysfs device path without <c>/sys</c>, as uevents carry it: <c>/devices/platform/…/usb1/1-1/1-1.2</c>.</summary>
    public required string DevPath { get; init; }

    /// <summary>idVendor:idProduct.</summary>
    public required UsbId Id { get; init; }

    /// <summary><c>busnum</c>: the <c>Bus 001</c> of lsusb.</summary>
    public int BusNumber { get; init; }

    /// <summary><c>devnum</c>: the <c>Device 004</c> of lsusb; a new number on every enumeration.</summary>
    public int DeviceNumber { get; init; }

    /// <summary>The iManufacturer string, when the device has one.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>The iProduct string, when the device has one.</summary>
    public string? Product { get; init; }

    /// <summary>The iSerialNumber string, when the device has one (many dongles do not; phones do).</summary>
    public string? Serial { get; init; }

    /// <summary><c>bDeviceClass</c>: 0x00 (per interface), 0x02 (communications), 0x09 (hub), 0xef (misc), 0xff (vendor).</summary>
    public byte DeviceClass { get; init; }

    /// <summary><c>speed</c> in Mbit/s as sysfs writes it (1.5, 12, 480, 5000).</summary>
    public string? Speed { get; init; }

    /// <summary><c>authorized</c>: false when the kernel was told not to use it (sysfs-bus-usb "authorized").</summary>
    public bool Authorized { get; init; } = true;

    /// <summary>The interfaces of the active configuration, in interface-number order.</summary>
    public IReadOnlyList<UsbInterface> Interfaces { get; init; } = [];

    /// <summary>True for a root hub (<c>usb1</c>): the host controller, never a modem.</summary>
    public bool IsRootHub => Name.StartsWith("usb", StringComparison.Ordinal);

    /// <summary>The usbfs node under <c>/dev</c>, <c>bus/usb/001/004</c>, used for USBDEVFS_RESET.</summary>
    public string DeviceNode => $"bus/usb/{BusNumber:D3}/{DeviceNumber:D3}";

    /// <summary>Every tty of the device with the interface that made it, in interface order.</summary>
    public IEnumerable<(UsbInterface Interface, string Tty)> Ttys =>
        Interfaces.SelectMany(i => i.Ttys.Select(t => (i, t)));

    /// <summary>Every network interface of the device with the interface that made it.</summary>
    public IEnumerable<(UsbInterface Interface, string Net)> NetInterfaces =>
        Interfaces.SelectMany(i => i.NetInterfaces.Select(n => (i, n)));

    /// <summary>The lsusb-like one-line description: <c>1-1.2 12d1:1506 Huawei Technologies HUAWEI Mobile</c>.</summary>
    public string Describe() =>
        $"{Name} {Id}{(Manufacturer is null ? string.Empty : " " + Manufacturer)}{(Product is null ? string.Empty : " " + Product)}";

    /// <summary>What the kernel made of the device, for "did anything change" checks: interfaces, drivers, ttys, nets.</summary>
    public string Shape() => string.Join(';', Interfaces.Select(i =>
        $"{i.Number}:{i.Class:x2}{i.SubClass:x2}{i.Protocol:x2}:{i.Driver}:{string.Join(',', i.Ttys)}:{string.Join(',', i.NetInterfaces)}"));
}

/// <summary>One interface of a USB device (sysfs <c>1-1.2:1.0</c>): its class triple, bound driver and children.</summary>
/// <param name="Name">The kernel's name, <c>&lt;device&gt;:&lt;config&gt;.&lt;interface&gt;</c>, e.g. <c>1-1.2:1.0</c>.</param>
/// <param name="Number"><c>bInterfaceNumber</c>.</param>
/// <param name="Class"><c>bInterfaceClass</c>: 0x02 CDC control, 0x08 mass storage, 0x0a CDC data, 0xe0 wireless (RNDIS), 0xff vendor.</param>
/// <param name="SubClass"><c>bInterfaceSubClass</c>.</param>
/// <param name="Protocol"><c>bInterfaceProtocol</c>; vendors put port roles here (Huawei: 01 modem, 02 PCUI).</param>
/// <param name="Driver">The bound driver's name (the <c>driver</c> symlink), or null when none took it.</param>
/// <param name="Description">The iInterface string (<c>interface</c> attribute), when there is one.</param>
/// <param name="Ttys">tty names it created: <c>ttyUSB0</c>, <c>ttyACM0</c>.</param>
/// <param name="NetInterfaces">Network interfaces it created: <c>usb0</c>, <c>wwan0</c>.</param>
public sealed record UsbInterface(
    string Name,
    int Number,
    byte Class,
    byte SubClass,
    byte Protocol,
    string? Driver,
    string? Description,
    IReadOnlyList<string> Ttys,
    IReadOnlyList<string> NetInterfaces)
{
    /// <summary>The class triple as usb-devices prints it: <c>ff/02/01</c>.</summary>
    public string ClassTriple => $"{Class:x2}/{SubClass:x2}/{Protocol:x2}";
}
