using ActorGateway.Core.Usb;

namespace ActorGateway.Core.Tests.Usb;

/// <summary>The seed guide's devices as sysfs shows them (the same as tests/fixtures/sysfs), as records.</summary>
internal static class SeedDevices
{
    public const string Controller = "/devices/platform/soc/20980000.usb/usb1/1-1";

    public static UsbInterface Iface(string device, int number, string triple, string? driver, string[]? ttys = null, string[]? nets = null)
    {
        var parts = triple.Split('/').Select(p => Convert.ToByte(p, 16)).ToArray();
        return new UsbInterface($"{device}:1.{number}", number, parts[0], parts[1], parts[2], driver, null, ttys ?? [], nets ?? []);
    }

    public static UsbDevice Device(string name, string id, int devnum, string? manufacturer, string? product, string? serial, params UsbInterface[] interfaces) => new()
    {
        Name = name,
        DevPath = $"{Controller}/{name}",
        Id = UsbId.Parse(id),
        BusNumber = 1,
        DeviceNumber = devnum,
        Manufacturer = manufacturer,
        Product = product,
        Serial = serial,
        Interfaces = interfaces,
    };

    public static UsbDevice NokiaC2_01 { get; } = Device("1-1.2", "0421:054b", 4, "Nokia", "Nokia C2-01", null,
        Iface("1-1.2", 0, "02/08/00", null),
        Iface("1-1.2", 1, "02/02/01", "cdc_acm", ["ttyACM0"]),
        Iface("1-1.2", 2, "0a/00/00", "cdc_acm"),
        Iface("1-1.2", 3, "02/fe/00", "cdc_phonet", nets: ["usbpn0"]),
        Iface("1-1.2", 4, "0a/00/00", "cdc_phonet"),
        Iface("1-1.2", 5, "02/0b/00", null));

    public static UsbDevice LgP500 { get; } = Device("1-1.2", "1004:61da", 7, "LGE", "LG-P500", "80A354043114776617",
        Iface("1-1.2", 0, "e0/01/03", "rndis_host", nets: ["usb0"]),
        Iface("1-1.2", 1, "0a/00/00", "rndis_host"),
        Iface("1-1.2", 2, "ff/42/01", null));

    public static UsbDevice HuaweiStorage { get; } = Device("1-1.2", "12d1:1446", 4, "Huawei Technologies", "HUAWEI Mobile", null,
        Iface("1-1.2", 0, "08/06/50", "usb-storage"),
        Iface("1-1.2", 1, "08/06/50", "usb-storage"));

    public static UsbDevice HuaweiModem { get; } = Device("1-1.2", "12d1:1506", 5, "Huawei Technologies", "HUAWEI Mobile", null,
        Iface("1-1.2", 0, "ff/02/01", "option", ["ttyUSB0"]),
        Iface("1-1.2", 1, "ff/02/03", "option", ["ttyUSB1"]),
        Iface("1-1.2", 2, "ff/02/02", "option", ["ttyUSB2"]));

    public static UsbDevice HuaweiModemUnbound { get; } = Device("1-1.2", "12d1:1506", 5, "Huawei Technologies", "HUAWEI Mobile", null,
        Iface("1-1.2", 0, "ff/02/01", null),
        Iface("1-1.2", 1, "ff/02/03", null),
        Iface("1-1.2", 2, "ff/02/02", null));

    public static UsbDevice Lan9512Hub { get; } = Device("1-1", "0424:9512", 2, null, null, null, Iface("1-1", 0, "09/00/02", "hub")) with { DeviceClass = 0x09 };

    public static UsbDevice Ethernet { get; } = Device("1-1.1", "0424:ec00", 3, null, null, null, Iface("1-1.1", 0, "ff/00/ff", "smsc95xx", nets: ["eth0"])) with { DeviceClass = 0xff };
}
