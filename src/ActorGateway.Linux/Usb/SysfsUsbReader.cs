using System.Globalization;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Linux.Usb;

/// <summary>
/// Reads USB devices from sysfs as the kernel lays them out (Documentation/ABI/stable/sysfs-bus-usb,
/// Documentation/ABI/testing/sysfs-bus-usb): <c>bus/usb/devices/1-1.2</c> links to the device directory, which holds
/// <c>idVendor</c>, <c>idProduct</c>, <c>manufacturer</c>, <c>product</c>, <c>serial</c>, <c>busnum</c>, <c>devnum</c>
/// and one <c>1-1.2:1.N</c> directory per interface with its class triple and a <c>driver</c> link. A cdc_acm tty sits
/// at <c>&lt;interface&gt;/tty/ttyACM0</c>, a usb-serial one at <c>&lt;interface&gt;/ttyUSB0/tty/ttyUSB0</c>, a network
/// interface at <c>&lt;interface&gt;/net/usb0</c>. The root is configurable so tests read fixture trees.
/// </summary>
public sealed class SysfsUsbReader(string root = "/sys") : IUsbSysfs
{
    private readonly string _root = Path.GetFullPath(root).TrimEnd('/');

    /// <summary>The sysfs root in use.</summary>
    public string Root => _root;

    private string DevicesDirectory => Path.Combine(_root, "bus", "usb", "devices");

    /// <inheritdoc />
    public bool HasUsbBus => Directory.Exists(DevicesDirectory);

    /// <inheritdoc />
    public IReadOnlyList<UsbDevice> Enumerate()
    {
        if (!HasUsbBus)
        {
            return [];
        }

        var devices = new List<UsbDevice>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(DevicesDirectory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (name.Contains(':') || DevPathOf(entry) is not { } devPath || Read(devPath) is not { } device)
            {
                continue; // an interface, or a device that left while we looked
            }

            devices.Add(device);
        }

        return devices;
    }

    /// <inheritdoc />
    public UsbDevice? Read(string devPath)
    {
        var directory = _root + devPath;
        try
        {
            var vendor = Attribute(directory, "idVendor");
            var product = Attribute(directory, "idProduct");
            if (!UsbId.TryParse($"{vendor}:{product}", out var id))
            {
                return null; // not (or no longer) a USB device
            }

            var name = Path.GetFileName(directory);
            var interfaces = new List<UsbInterface>();
            foreach (var child in Directory.EnumerateDirectories(directory, name + ":*"))
            {
                if (ReadInterface(child) is { } iface)
                {
                    interfaces.Add(iface);
                }
            }

            return new UsbDevice
            {
                Name = name,
                DevPath = devPath,
                Id = id,
                BusNumber = Int(Attribute(directory, "busnum")),
                DeviceNumber = Int(Attribute(directory, "devnum")),
                Manufacturer = Attribute(directory, "manufacturer"),
                Product = Attribute(directory, "product"),
                Serial = Attribute(directory, "serial"),
                DeviceClass = Hex(Attribute(directory, "bDeviceClass")),
                Speed = Attribute(directory, "speed"),
                Authorized = Attribute(directory, "authorized") != "0",
                Interfaces = [.. interfaces.OrderBy(i => i.Number)],
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // unplugged while we read it
        }
    }

    /// <inheritdoc />
    public ScsiIdentity? ReadScsi(UsbDevice device)
    {
        // The storage interface's SCSI device: <interface>/host0/target0:0:0/0:0:0:0/{vendor,model,rev}.
        foreach (var iface in device.Interfaces.Where(i => i.Class == 0x08))
        {
            var directory = $"{_root}{device.DevPath}/{iface.Name}";
            try
            {
                foreach (var host in Directory.EnumerateDirectories(directory, "host*"))
                {
                    foreach (var target in Directory.EnumerateDirectories(host, "target*"))
                    {
                        foreach (var lun in Directory.EnumerateDirectories(target, "*:*:*:*"))
                        {
                            return new ScsiIdentity(Attribute(lun, "vendor"), Attribute(lun, "model"), Attribute(lun, "rev"));
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    /// <summary>The sysfs path (without the root) a <c>bus/usb/devices</c> link points to.</summary>
    private string? DevPathOf(string link)
    {
        try
        {
            var target = new DirectoryInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(link);
            return target.StartsWith(_root + "/", StringComparison.Ordinal) ? target[_root.Length..] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static UsbInterface? ReadInterface(string directory)
    {
        var number = Attribute(directory, "bInterfaceNumber");
        if (number is null)
        {
            return null;
        }

        string? driver = null;
        var driverLink = Path.Combine(directory, "driver");
        if (new DirectoryInfo(driverLink).LinkTarget is { } target)
        {
            driver = Path.GetFileName(target.TrimEnd('/'));
        }

        // cdc_acm: <iface>/tty/ttyACM0; usb-serial: <iface>/ttyUSB0/tty/ttyUSB0 (the port device, then its tty).
        var ttys = Children(Path.Combine(directory, "tty"))
            .Concat(Directory.EnumerateDirectories(directory).SelectMany(d => Children(Path.Combine(d, "tty"))))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var nets = Children(Path.Combine(directory, "net")).Order(StringComparer.Ordinal).ToList();
        return new UsbInterface(
            Path.GetFileName(directory),
            Hex(number),
            Hex(Attribute(directory, "bInterfaceClass")),
            Hex(Attribute(directory, "bInterfaceSubClass")),
            Hex(Attribute(directory, "bInterfaceProtocol")),
            driver,
            Attribute(directory, "interface"),
            ttys,
            nets);
    }

    private static IEnumerable<string> Children(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>() : [];

    private static string? Attribute(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        var value = File.ReadAllText(path).Trim();
        return value.Length == 0 ? null : value;
    }

    private static int Int(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    // bInterfaceNumber and the class attributes are printed "%02x" (drivers/usb/core/sysfs.c).
    private static byte Hex(string? text) =>
        byte.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n) ? n : (byte)0;
}
