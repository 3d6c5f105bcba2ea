using ActorGateway.Actors.Usb;
using ActorGateway.Core.Modem;
using UsbId = ActorGateway.Core.Usb.UsbId;

namespace ActorGateway.Actors.Tests.Usb;

/// <summary>Which device seen before a device is: cheap Huawei sticks that share one USB serial.</summary>
public sealed class KnownUsbDevicesSpec
{
    private const string Shared = "0123456789ABCDEF";
    private static readonly UsbId E3531 = new(0x12d1, 0x1001);

    private static readonly KnownUsbDevice[] Two =
    [
        new("e3531-a", E3531, Shared, "860000000000001"),
        new("e3531-b", E3531, Shared, "860000000000002"),
    ];

    [Fact]
    public void KnownUsbDevices_should_go_by_the_IMEI_before_a_shared_USB_serial()
    {
        var found = KnownUsbDevices.Find(Two, new DeviceFacts(E3531, Shared, "860000000000002"), _ => false);

        Assert.Equal(("e3531-b", "IMEI"), (found?.Device.Id, found?.MatchedBy));
    }

    [Fact]
    public void KnownUsbDevices_should_not_take_a_USB_serial_two_devices_share_for_either()
    {
        Assert.Null(KnownUsbDevices.Find(Two, new DeviceFacts(E3531, Shared, null), _ => false));
    }

    [Fact]
    public void KnownUsbDevices_should_not_merge_a_second_stick_into_a_present_one_by_its_USB_serial()
    {
        KnownUsbDevice[] one = [new("e3531-a", E3531, Shared, "860000000000001")];

        // The other stick, its IMEI unknown (AT+CGSN unanswered) or different: not the present one.
        Assert.Null(KnownUsbDevices.Find(one, new DeviceFacts(E3531, Shared, null), id => id == "e3531-a"));
        Assert.Null(KnownUsbDevices.Find(one, new DeviceFacts(E3531, Shared, "860000000000002"), _ => false));

        // The same stick back after a brown-out, before it said its IMEI: its serial is enough.
        Assert.Equal("e3531-a", KnownUsbDevices.Find(one, new DeviceFacts(E3531, Shared, null), _ => false)?.Device.Id);
    }
}
