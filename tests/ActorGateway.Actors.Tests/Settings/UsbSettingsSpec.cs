using ActorGateway.Actors.Settings;
using ActorGateway.Core.Usb;

namespace ActorGateway.Actors.Tests.Settings;

public sealed class UsbSettingsSpec
{
    private const string Source = "/etc/actorgateway/gateway.conf";

    private static UsbSettings Read(string hocon) => UsbSettings.Create(GatewaySettings.Parse(hocon, Source));

    private static GatewayConfigException Refused(string hocon) =>
        Assert.Throws<GatewayConfigException>(() => Read(hocon));

    [Fact]
    public void Shipped_defaults_should_give_the_documented_USB_settings()
    {
        var s = UsbSettings.Create(GatewaySettings.Create(GatewaySettings.DefaultConfig, "defaults"));

        Assert.True(s.Enabled);
        Assert.Equal("/sys", s.SysfsRoot);
        Assert.Equal("/dev", s.DevDirectory);
        Assert.Equal("/run/lock", s.LockDirectory);
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Settle);
        Assert.Equal(TimeSpan.FromSeconds(5), s.SettleMax);
        Assert.Empty(s.Ignore);
        Assert.Equal(new ModeSwitchSettings(true, "/usr/sbin/usb_modeswitch", "/usr/share/usb_modeswitch/configPack.tar.gz", "/etc/usb_modeswitch.d",
            TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), 2), s.ModeSwitch);
        Assert.Equal(new DriverBindSettings(true, "/sbin/modprobe"), s.BindDriver);
        Assert.Equal(new ProbeSettings(TimeSpan.FromMilliseconds(250), 3, 115200), s.Probe);
        Assert.Equal(UsbResetPolicy.Default, s.Reset);
        Assert.Empty(s.Devices.Rules);
    }

    [Fact]
    public void The_shipped_gateway_conf_should_read_as_a_user_file_too()
    {
        // Every key it documents is a key the gateway knows (unknown keys are errors).
        var text = File.ReadAllText(Path.Combine(TestFixtures.SysfsFixture.ScenariosDirectory, "..", "..", "..", "hocon", "gateway.conf"));

        Assert.True(Read(text).Enabled);
    }

    [Fact]
    public void Devices_should_read_matches_ids_and_profile_keys()
    {
        var s = Read("""
            actorgateway.profiles.huawei-e367 { baud = 115200 }
            actorgateway.devices = [
              { match = { usb-id = "12d1:1506" }, profile = "huawei-e367", id = "dongle", apn = "internet", pin = "1234" }
              { match = { iccid = "89490200001234567890" }, apn = "work.example" }
              { match = { imei = "351051041234566", usb-serial = "ABC123" }, number = "*99***1#" }
            ]
            """);

        var rules = s.Devices.Rules;
        Assert.Equal(3, rules.Count);
        Assert.Equal("actorgateway.devices[0]", rules[0].Name);
        Assert.Equal(new UsbId(0x12d1, 0x1506), rules[0].Match.UsbId);
        Assert.Equal("dongle", rules[0].Id);
        Assert.Equal("huawei-e367", rules[0].Profile.Name);
        Assert.Equal("1234", rules[0].Profile.Pin);
        Assert.True(rules[1].Match.NeedsSim);
        Assert.Equal("work.example", rules[1].Profile.Apn);
        Assert.Equal("*99***1#", rules[2].Profile.Number);
        Assert.Equal("ABC123", rules[2].Match.UsbSerial);
    }

    [Theory]
    [InlineData("actorgateway.usb.setle = 1s", "actorgateway.usb.setle", "unknown key")]
    [InlineData("actorgateway.usb.probe.tries = 0", "actorgateway.usb.probe.tries", "between 1 and 20")]
    [InlineData("actorgateway.usb.probe { timeout = soon }", "actorgateway.usb.probe.timeout", "duration")]
    [InlineData("actorgateway.usb.mode-switch.program = usb_modeswitch", "actorgateway.usb.mode-switch.program", "absolute path")]
    [InlineData("actorgateway.usb { settle = 2s, settle-max = 1s }", "actorgateway.usb.settle-max", "not be shorter than settle")]
    [InlineData("actorgateway.usb.ignore = [\"12d1-1506\"]", "actorgateway.usb.ignore", "not a USB id")]
    [InlineData("actorgateway.usb.reset.max-resets = -1", "actorgateway.usb.reset.max-resets", "between 0 and 100")]
    [InlineData("actorgateway.devices = [ { apn = \"x\" } ]", "actorgateway.devices[0].match", "missing")]
    [InlineData("actorgateway.devices = [ { match = { } } ]", "actorgateway.devices[0].match", "names nothing")]
    [InlineData("actorgateway.devices = [ { match = { usbid = \"12d1:1506\" } } ]", "actorgateway.devices[0].match.usbid", "unknown key")]
    [InlineData("actorgateway.devices = [ { match = { usb-id = \"huawei\" } } ]", "actorgateway.devices[0].match.usb-id", "not a USB id")]
    [InlineData("actorgateway.devices = [ { match = { imei = \"12345\" } } ]", "actorgateway.devices[0].match.imei", "15 digits")]
    [InlineData("actorgateway.devices = [ { match = { iccid = \"89x\" } } ]", "actorgateway.devices[0].match.iccid", "ICCID")]
    [InlineData("actorgateway.devices = [ { match = { iccid = \"89490200001234567890\" }, id = \"work\" } ]", "actorgateway.devices[0].id", "read after the device is named")]
    [InlineData("actorgateway.devices = [ { match = { usb-id = \"12d1:1506\" }, id = \"no spaces\" } ]", "actorgateway.devices[0].id", "not a valid id")]
    [InlineData("actorgateway.devices = [ { match = { usb-id = \"12d1:1506\" }, profile = \"nope\" } ]", "actorgateway.devices[0].profile", "no profile named")]
    [InlineData("actorgateway.devices = [ { match = { usb-id = \"12d1:1506\" }, pinn = \"1234\" } ]", "actorgateway.devices[0].pinn", "unknown key")]
    [InlineData("actorgateway.devices = [ { match = { usb-id = \"12d1:1506\" }, pin = \"12\" } ]", "actorgateway.devices[0].pin", "4 to 8 digits")]
    public void Create_should_name_the_file_the_key_and_what_is_wrong(string hocon, string key, string problem)
    {
        var e = Refused(hocon);

        Assert.Equal(Source, e.ConfigSource);
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_should_refuse_an_id_a_static_device_has()
    {
        var e = Refused("""
            actorgateway.static-devices = [ { id = "dongle", port = "/dev/ttyUSB0" } ]
            actorgateway.devices = [ { match = { usb-id = "12d1:1506" }, id = "dongle" } ]
            """);

        Assert.Equal("actorgateway.devices[0].id", e.Key);
        Assert.Contains("used by another device", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_should_never_echo_a_wrong_pin()
    {
        var e = Refused("actorgateway.devices = [ { match = { usb-id = \"12d1:1506\" }, pin = \"98765x\" } ]");

        Assert.DoesNotContain("98765", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_devices_should_take_a_data_port()
    {
        var s = GatewaySettings.Parse("""
            actorgateway.static-devices = [ { id = "e367", port = "/dev/ttyUSB2", data-port = "/dev/ttyUSB0" } ]
            """, Source);

        var device = Assert.Single(s.StaticDevices);
        Assert.Equal("/dev/ttyUSB0", device.DataPort);
        Assert.Equal(["/dev/ttyUSB2", "/dev/ttyUSB0"], UsbSettings.Create(s).StaticPorts.Order(StringComparer.Ordinal).Reverse());
    }
}
