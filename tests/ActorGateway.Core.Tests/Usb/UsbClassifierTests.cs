using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Core.Tests.Usb;

public sealed class UsbClassifierTests
{
    // The real entry of usb-modeswitch-data for the seed's stick, and nothing else.
    private static readonly ModeSwitchDatabase Database = ModeSwitchDatabase.Build("/etc/usb_modeswitch.d", [], "configPack.tar.gz",
    [
        ("12d1:1446", "# Huawei, newer modems, and rebrandings\nTargetVendor=0x12d1\nTargetProductList=\"1001,1404,1406,140b,140c,1412,1417,141b,1429,1432,1433,1436,14ac,1506,150c,1511\"\nHuaweiNewMode=1\n"),
    ]);

    [Fact]
    public void Classify_should_take_the_Nokia_the_AT_way_on_its_ACM_port()
    {
        var c = UsbClassifier.Classify(SeedDevices.NokiaC2_01, Database);

        Assert.Equal(UsbDeviceRole.Modem, c.Role);
        var port = Assert.Single(c.SerialPorts);
        Assert.Equal("ttyACM0", port.Tty);
        Assert.Equal(PortRoleHint.AtPrimary, port.Hint); // CDC 02/02/01: AT commands
        Assert.Equal(["ttyACM0"], c.ProbeOrder.Select(p => p.Tty));
    }

    [Fact]
    public void Classify_should_hand_the_LG_to_tethering()
    {
        var c = UsbClassifier.Classify(SeedDevices.LgP500, Database);

        Assert.Equal(UsbDeviceRole.Tethering, c.Role);
        Assert.Equal([new UsbNetPort("usb0", "rndis_host")], c.NetPorts);
    }

    [Fact]
    public void Classify_should_switch_the_Huawei_storage_with_its_database_entry()
    {
        var c = UsbClassifier.Classify(SeedDevices.HuaweiStorage, Database);

        Assert.Equal(UsbDeviceRole.ModeSwitch, c.Role);
        Assert.Equal("12d1:1446", c.ModeSwitch!.FileName);
        Assert.Contains(new UsbId(0x12d1, 0x1506), c.ModeSwitch.Config.TargetIds(SeedDevices.HuaweiStorage.Id));
    }

    [Fact]
    public void Classify_should_probe_the_switched_Huawei_PCUI_first_and_know_its_modem_port()
    {
        var c = UsbClassifier.Classify(SeedDevices.HuaweiModem, Database);

        Assert.Equal(UsbDeviceRole.Modem, c.Role);
        Assert.Equal(["ttyUSB2", "ttyUSB0", "ttyUSB1"], c.ProbeOrder.Select(p => p.Tty));
        Assert.Equal(PortRoleHint.AtPrimary, c.ProbeOrder[0].Hint);
        Assert.Equal(PortRoleHint.AtPpp, c.ProbeOrder[1].Hint);
        Assert.Contains("ModemManager", c.ProbeOrder[0].HintSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_should_ask_for_a_driver_when_a_switched_stick_has_none()
    {
        var c = UsbClassifier.Classify(SeedDevices.HuaweiModemUnbound, Database, switchedFrom: new UsbId(0x12d1, 0x1446));

        Assert.Equal(UsbDeviceRole.NeedsDriver, c.Role);
        Assert.Contains("switched from 12d1:1446", c.Reason, StringComparison.Ordinal);
        // A known target id is enough even without a switch the gateway saw (the system's udev switched it).
        Assert.Equal(UsbDeviceRole.NeedsDriver, UsbClassifier.Classify(SeedDevices.HuaweiModemUnbound, Database).Role);
    }

    [Fact]
    public void Classify_should_ignore_the_Pis_own_hub_and_Ethernet_saying_why()
    {
        var hub = UsbClassifier.Classify(SeedDevices.Lan9512Hub, Database);
        var ethernet = UsbClassifier.Classify(SeedDevices.Ethernet, Database);

        Assert.Equal(UsbDeviceRole.Ignored, hub.Role);
        Assert.Contains("hub", hub.Reason, StringComparison.Ordinal);
        Assert.Equal(UsbDeviceRole.Ignored, ethernet.Role);
        Assert.Contains("eth0 on smsc95xx", ethernet.Reason, StringComparison.Ordinal); // never a tethering uplink
    }

    [Fact]
    public void Classify_should_ignore_a_memory_stick()
    {
        var stick = SeedDevices.Device("1-1.3", "0781:5567", 8, "SanDisk", "Cruzer Blade", "4C530001", SeedDevices.Iface("1-1.3", 0, "08/06/50", "usb-storage"));

        var c = UsbClassifier.Classify(stick, Database);

        Assert.Equal(UsbDeviceRole.Ignored, c.Role);
        Assert.Contains("no usb_modeswitch entry", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_should_take_a_QMI_modem_with_AT_ports_the_AT_way_and_one_without_to_tethering()
    {
        var withAt = SeedDevices.Device("1-1.3", "1199:68c0", 9, "Sierra Wireless", "MC7304", null,
            SeedDevices.Iface("1-1.3", 3, "ff/ff/ff", "qcserial", ["ttyUSB3"]),
            SeedDevices.Iface("1-1.3", 8, "ff/ff/ff", "qmi_wwan", nets: ["wwan0"]));
        var qmiOnly = withAt with { Interfaces = [withAt.Interfaces[1]] };

        var c = UsbClassifier.Classify(withAt, Database);
        Assert.Equal(UsbDeviceRole.Modem, c.Role);
        Assert.Contains("wwan0 (qmi_wwan) left alone", c.Reason, StringComparison.Ordinal);
        Assert.Equal(UsbDeviceRole.Tethering, UsbClassifier.Classify(qmiOnly, Database).Role);
    }

    [Fact]
    public void Classify_should_not_count_ttys_of_drivers_that_do_not_speak_AT()
    {
        var gps = SeedDevices.Device("1-1.3", "067b:2303", 9, "Prolific", "USB-Serial Controller", null,
            SeedDevices.Iface("1-1.3", 0, "ff/00/00", "pl2303", ["ttyUSB3"]));

        var c = UsbClassifier.Classify(gps, Database);

        Assert.Equal(UsbDeviceRole.Ignored, c.Role);
        Assert.Contains("ttyUSB3 on pl2303", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_should_leave_GPS_ports_out_of_probing()
    {
        var mu609 = SeedDevices.Device("1-1.3", "12d1:1573", 9, "Huawei Technologies", "MU609", null,
            SeedDevices.Iface("1-1.3", 0, "ff/01/01", "option", ["ttyUSB0"]),
            SeedDevices.Iface("1-1.3", 1, "ff/01/05", "option", ["ttyUSB1"]),
            SeedDevices.Iface("1-1.3", 2, "ff/01/02", "option", ["ttyUSB2"]));

        var c = UsbClassifier.Classify(mu609, Database);

        Assert.Equal(["ttyUSB2", "ttyUSB0"], c.ProbeOrder.Select(p => p.Tty));
    }
}
