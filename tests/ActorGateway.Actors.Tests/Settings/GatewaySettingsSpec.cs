using ActorGateway.Actors.Settings;
using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;

namespace ActorGateway.Actors.Tests.Settings;

public sealed class GatewaySettingsSpec
{
    private const string Source = "/etc/actorgateway/gateway.conf";

    // The shape of the issue's example, verbatim.
    private const string IssueDevice = """
        actorgateway.static-devices = [ { id = "dongle", port = "/dev/ttyUSB0", apn = "internet", pin = "1234", number = "*99#", username = "", password = "", baud = 115200 } ]
        """;

    [Fact]
    public void Embedded_defaults_should_parse_into_the_documented_values()
    {
        var settings = GatewaySettings.Create(GatewaySettings.DefaultConfig, "defaults");

        Assert.Equal("/run/actorgateway/control.sock", settings.ControlSocket);
        Assert.Equal("/var/lib/actorgateway", settings.StateDirectory);
        Assert.Equal("/run/actorgateway", settings.RuntimeDirectory);
        Assert.Equal(new RestartSettings(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), 0.2, TimeSpan.FromMinutes(10)), settings.DeviceRestart);
        Assert.Empty(settings.StaticDevices);

        var d = settings.Defaults;
        Assert.Equal(["ATZ", "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0"], d.Init);
        Assert.Equal("*99#", d.Number);
        Assert.Equal(string.Empty, d.Pin);
        Assert.Equal(115200, d.BaudRate);
        Assert.Equal(FlowControl.RtsCts, d.FlowControl);
        Assert.False(d.DisablePinLock);
        Assert.False(d.AllowLastPinTry);
        Assert.Equal(3, d.UnresponsiveAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), d.Timeouts.Command);
        Assert.Equal(TimeSpan.FromSeconds(60), d.Timeouts.Dial);
        Assert.Equal(TimeSpan.FromSeconds(2), d.Timeouts.RegistrationPoll);
        Assert.Equal(5, d.Timeouts.ProbeTries);
        Assert.Equal(TimeSpan.FromSeconds(5), d.Redial.MinBackoff);
        Assert.Equal("/usr/sbin/pppd", d.Ppp.Program);
        Assert.Empty(d.ExtraUnsolicited);   // `unsolicited = []`: an empty HOCON list
        Assert.Empty(d.Ppp.ExtraOptions);   // `options = []   # comment`

        Assert.Equal(460800, settings.Profiles["nokia-c2-01"].BaudRate);
        Assert.Equal(115200, settings.Profiles["huawei-e367"].BaudRate);
    }

    [Fact]
    public void The_issue_static_device_should_parse_with_its_values()
    {
        var settings = GatewaySettings.Parse(IssueDevice, Source);

        var device = Assert.Single(settings.StaticDevices);
        Assert.Equal("dongle", device.Id);
        Assert.Equal("/dev/ttyUSB0", device.Port);
        Assert.Equal("internet", device.Profile.Apn);
        Assert.Equal("1234", device.Profile.Pin);
        Assert.Equal("*99#", device.Profile.Number);
        Assert.Equal(string.Empty, device.Profile.Username);
        Assert.Equal(string.Empty, device.Profile.Password);
        Assert.Equal(115200, device.Profile.BaudRate);
        Assert.Equal("default", device.Profile.Name); // the profile it is built on

        // What the entry does not say comes from the defaults.
        Assert.Equal(ModemProfile.SeedInit, device.Profile.Init);
        Assert.Equal(FlowControl.RtsCts, device.Profile.FlowControl);
    }

    [Fact]
    public void A_device_should_inherit_from_its_named_profile_which_inherits_from_the_defaults()
    {
        var settings = GatewaySettings.Parse("""
            actorgateway {
              defaults { apn = "default.apn", number = "*99***1#", timeouts { dial = 90s } }
              profiles.slow-phone {
                baud = 9600, flow-control = "xon-xoff", unsolicited = ["*EMRDY:"]   # a vendor URC
                timeouts { command = 10s }
              }
              static-devices = [
                { id = "phone", port = "/dev/ttyACM0", profile = "slow-phone", apn = "own.apn" }
                { id = "plain", port = "/dev/ttyUSB0" }
              ]
            }
            """, Source);

        var phone = settings.StaticDevices.Single(d => d.Id == "phone").Profile;
        Assert.Equal("slow-phone", phone.Name);
        Assert.Equal("own.apn", phone.Apn);                                // the device's own key
        Assert.Equal(9600, phone.BaudRate);                               // from its profile
        Assert.Equal(FlowControl.XonXoff, phone.FlowControl);             // from its profile
        Assert.Equal(TimeSpan.FromSeconds(10), phone.Timeouts.Command);   // from its profile
        Assert.Equal(TimeSpan.FromSeconds(90), phone.Timeouts.Dial);      // from the user's defaults
        Assert.Equal("*99***1#", phone.Number);                           // from the user's defaults
        Assert.Equal(TimeSpan.FromSeconds(20), phone.Timeouts.Pin);       // from the shipped defaults
        Assert.Equal(["*EMRDY:"], phone.ExtraUnsolicited);

        var plain = settings.StaticDevices.Single(d => d.Id == "plain").Profile;
        Assert.Equal("default.apn", plain.Apn);
        Assert.Equal(115200, plain.BaudRate);
        Assert.Equal(TimeSpan.FromSeconds(3), plain.Timeouts.Command);

        // The shipped profiles are still there beside the user's.
        Assert.Contains("nokia-c2-01", settings.Profiles.Keys);
        Assert.Equal("default.apn", settings.Profiles["nokia-c2-01"].Apn);
    }

    [Fact]
    public void A_misspelled_key_should_be_an_error_naming_the_key()
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse("""
            actorgateway.static-devices = [ { id = "dongle", port = "/dev/ttyUSB0", pinn = "1234" } ]
            """, Source));

        Assert.Equal("actorgateway.static-devices[0].pinn", e.Key);
        Assert.Equal(Source, e.ConfigSource);
        Assert.Contains("unknown key", e.Problem);
        Assert.StartsWith($"{Source}: actorgateway.static-devices[0].pinn:", e.Message);
    }

    [Theory]
    [InlineData("actorgateway.defaults.baud = 115200x", "actorgateway.defaults.baud")]
    [InlineData("actorgateway.mystery = 1", "actorgateway.mystery")]
    [InlineData("actorgateway.profiles.p { flow = none }", "actorgateway.profiles.p.flow")]
    [InlineData("actorgateway.defaults.timeouts.dail = 5s", "actorgateway.defaults.timeouts.dail")]
    public void Unknown_or_malformed_keys_anywhere_should_name_the_full_key(string hocon, string key)
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(hocon, Source));
        Assert.Equal(key, e.Key);
    }

    [Theory]
    [InlineData("baud = \"fast\"")]
    [InlineData("baud = [115200]")]
    [InlineData("baud = 12")]
    public void A_bad_baud_should_be_an_error_naming_the_baud_key(string baud)
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(
            $"actorgateway.static-devices = [ {{ id = \"dongle\", port = \"/dev/ttyUSB0\", {baud} }} ]", Source));

        Assert.Equal("actorgateway.static-devices[0].baud", e.Key);
        Assert.Equal(Source, e.ConfigSource);
    }

    [Fact]
    public void A_bad_flow_control_should_be_an_error_listing_the_choices()
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(
            "actorgateway.static-devices = [ { id = \"dongle\", port = \"/dev/ttyUSB0\", flow-control = \"hardware\" } ]", Source));

        Assert.Equal("actorgateway.static-devices[0].flow-control", e.Key);
        Assert.Contains("\"hardware\"", e.Problem);
        Assert.Contains("rts-cts", e.Problem);
    }

    [Fact]
    public void A_duplicate_id_should_be_an_error_on_the_second_entry()
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse("""
            actorgateway.static-devices = [
              { id = "dongle", port = "/dev/ttyUSB0" }
              { id = "dongle", port = "/dev/ttyUSB1" }
            ]
            """, Source));

        Assert.Equal("actorgateway.static-devices[1].id", e.Key);
        Assert.Contains("\"dongle\" is used by another device", e.Problem);
    }

    [Theory]
    [InlineData("{ id = \"b\", port = \"/dev/ttyUSB0\" }", "actorgateway.static-devices[1].port")]
    [InlineData("{ id = \"b\", port = \"/dev/ttyUSB2\", data-port = \"/dev/ttyUSB0\" }", "actorgateway.static-devices[1].data-port")]
    public void Two_devices_on_one_port_should_be_an_error_naming_the_other(string second, string key)
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse($$"""
            actorgateway.static-devices = [
              { id = "a", port = "/dev/ttyUSB0" }
              {{second}}
            ]
            """, Source));

        Assert.Equal(key, e.Key);
        Assert.Contains("already the port of device \"a\"", e.Problem);
    }

    [Fact]
    public void A_voice_dial_string_should_be_refused()
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse("actorgateway.defaults.number = \"*99#;\"", Source));

        Assert.Equal("actorgateway.defaults.number", e.Key);
        Assert.Contains("voice call", e.Problem);
    }

    [Fact]
    public void A_missing_port_should_be_an_error_naming_the_port_key()
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(
            "actorgateway.static-devices = [ { id = \"dongle\", apn = \"internet\" } ]", Source));

        Assert.Equal("actorgateway.static-devices[0].port", e.Key);
        Assert.Contains("missing", e.Problem);
    }

    [Theory]
    [InlineData("12ab")]
    [InlineData("987")]
    [InlineData("123456789")]
    public void A_bad_pin_should_be_an_error_that_never_shows_the_pin(string pin)
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(
            $"actorgateway.static-devices = [ {{ id = \"dongle\", port = \"/dev/ttyUSB0\", pin = \"{pin}\" }} ]", Source));

        Assert.Equal("actorgateway.static-devices[0].pin", e.Key);
        Assert.DoesNotContain(pin, e.Message);
        Assert.DoesNotContain(pin, e.ToString());
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-5s")]
    public void A_bad_duration_should_be_an_error_naming_the_nested_key(string value)
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(
            $"actorgateway.static-devices = [ {{ id = \"dongle\", port = \"/dev/ttyUSB0\", timeouts {{ dial = {value} }} }} ]", Source));

        Assert.Equal("actorgateway.static-devices[0].timeouts.dial", e.Key);
        Assert.Equal(Source, e.ConfigSource);
    }

    [Theory]
    [InlineData("actorgateway.defaults.apn = ${apn-from-env}")]                            // Akka's parser rejects it
    [InlineData("actorgateway.static-devices = [ { id = \"dongle\", port = ")]              // truncated file
    [InlineData("actorgateway.defaults { unsolicited = [\"+A:\", \"+B:\" }")]                // Akka's parser spins on this
    [InlineData("actorgateway.defaults { apn = \"internet }")]                            // unterminated string
    public void Bad_hocon_syntax_should_be_an_error_naming_the_source(string hocon)
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(hocon, "/tmp/broken.conf"));

        Assert.Equal("/tmp/broken.conf", e.ConfigSource);
        Assert.Equal("(syntax)", e.Key);
        Assert.StartsWith("/tmp/broken.conf: (syntax): not valid HOCON", e.Message);
    }

    [Fact]
    public void An_unknown_profile_name_should_be_an_error_listing_the_known_ones()
    {
        var e = Assert.Throws<GatewayConfigException>(() => GatewaySettings.Parse(
            "actorgateway.static-devices = [ { id = \"dongle\", port = \"/dev/ttyUSB0\", profile = \"huawei\" } ]", Source));

        Assert.Equal("actorgateway.static-devices[0].profile", e.Key);
        Assert.Contains("huawei-e367", e.Problem);
    }
}
