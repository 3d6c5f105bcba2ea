using System.Text;
using ActorGateway.Core.Usb;

namespace ActorGateway.Core.Tests.Usb;

public sealed class UeventParserTests
{
    private static byte[] Wire(params string[] parts) => Encoding.UTF8.GetBytes(string.Join('\0', parts) + "\0");

    [Fact]
    public void Parse_should_read_a_kernel_usb_device_add()
    {
        var e = UeventParser.Parse(Wire(
            "add@/devices/platform/soc/20980000.usb/usb1/1-1/1-1.2",
            "ACTION=add", "DEVPATH=/devices/platform/soc/20980000.usb/usb1/1-1/1-1.2", "SUBSYSTEM=usb", "MAJOR=189", "MINOR=4",
            "DEVNAME=bus/usb/001/005", "DEVTYPE=usb_device", "PRODUCT=12d1/1506/0", "TYPE=0/0/0", "BUSNUM=001", "DEVNUM=005", "SEQNUM=2207"))!;

        Assert.Equal("add", e.Action);
        Assert.Equal("/devices/platform/soc/20980000.usb/usb1/1-1/1-1.2", e.DevPath);
        Assert.Equal("1-1.2", e.Name);
        Assert.True(e.IsUsbDevice);
        Assert.Equal(2207, e.SequenceNumber);
        Assert.Equal(new UsbId(0x12d1, 0x1506), UsbId.FromUeventProduct(e.Get("PRODUCT")));
    }

    [Fact]
    public void Parse_should_tell_an_interface_and_a_tty_from_a_device()
    {
        var iface = UeventParser.Parse(Wire("bind@/devices/x/1-1.2/1-1.2:1.0", "ACTION=bind", "DEVPATH=/devices/x/1-1.2/1-1.2:1.0",
            "SUBSYSTEM=usb", "DEVTYPE=usb_interface", "DRIVER=option", "INTERFACE=255/2/1"))!;
        var tty = UeventParser.Parse(Wire("add@/devices/x/1-1.2/1-1.2:1.0/ttyUSB0/tty/ttyUSB0", "SUBSYSTEM=tty", "MAJOR=188", "MINOR=0", "DEVNAME=ttyUSB0"))!;

        Assert.False(iface.IsUsbDevice);
        Assert.Equal("bind", iface.Action);
        Assert.Equal("option", iface.Get("DRIVER"));
        Assert.False(tty.IsUsbDevice);
        Assert.Equal("ttyUSB0", tty.Name);
        Assert.Equal("tty", tty.Subsystem);
    }

    [Fact]
    public void Parse_should_refuse_udev_rebroadcasts_and_malformed_datagrams()
    {
        var udev = Encoding.ASCII.GetBytes("libudev\0").Concat(new byte[32]).Concat(Wire("ACTION=add", "DEVPATH=/devices/x")).ToArray();

        Assert.Null(UeventParser.Parse(udev));
        Assert.Null(UeventParser.Parse(Wire("hello")));
        Assert.Null(UeventParser.Parse(Wire("frobnicate@/devices/x")));
        Assert.Null(UeventParser.Parse(Wire("add@relative/path")));
        Assert.Null(UeventParser.Parse([]));
    }

    [Fact]
    public void Uevent_should_round_trip_through_the_wire_format()
    {
        var e = new Uevent("remove", "/devices/virtual/net/d0", new Dictionary<string, string>
        {
            ["ACTION"] = "remove",
            ["DEVPATH"] = "/devices/virtual/net/d0",
            ["SUBSYSTEM"] = "net",
            ["INTERFACE"] = "d0",
        });

        var back = UeventParser.Parse(e.ToBytes())!;

        Assert.Equal(e.Action, back.Action);
        Assert.Equal(e.DevPath, back.DevPath);
        Assert.Equal("d0", back.Get("INTERFACE"));
    }

    [Theory]
    [InlineData("12d1:1506", 0x12d1, 0x1506)]
    [InlineData("0421:054B", 0x0421, 0x054b)]
    [InlineData(" 1004:61da ", 0x1004, 0x61da)]
    public void UsbId_should_parse_what_lsusb_prints(string text, int vendor, int product)
    {
        Assert.True(UsbId.TryParse(text, out var id));
        Assert.Equal(new UsbId((ushort)vendor, (ushort)product), id);
        Assert.Equal(text.Trim().ToLowerInvariant(), id.ToString());
    }

    [Theory]
    [InlineData("12d1")]
    [InlineData("12d1:")]
    [InlineData("12d1:15060")]
    [InlineData("zzzz:0001")]
    [InlineData(null)]
    public void UsbId_should_refuse_what_is_not_an_id(string? text) => Assert.False(UsbId.TryParse(text, out _));

    [Fact]
    public void UsbId_should_read_a_uevent_product_without_leading_zeros() =>
        Assert.Equal(new UsbId(0x0421, 0x054b), UsbId.FromUeventProduct("421/54b/100"));
}
