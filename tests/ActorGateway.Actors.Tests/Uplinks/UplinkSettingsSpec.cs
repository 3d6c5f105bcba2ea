using System.Net;
using ActorGateway.Actors.Hosting;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;

namespace ActorGateway.Actors.Tests.Uplinks;

public sealed class UplinkSettingsSpec
{
    private static UplinkSettings Read(string hocon) => UplinkSettings.Create(GatewaySettings.Parse(hocon, "my.conf"));

    [Fact]
    public void The_issue_example_should_read_with_the_shipped_defaults()
    {
        var s = Read("""
            actorgateway.static-uplinks = [ { id = "phone", interface = "usb0", method = "dhcp", priority = 10 } ]
            actorgateway.lan = { interface = "eth0" , address = "192.168.50.1/24" }
            """);

        Assert.True(s.Enabled);
        var phone = Assert.Single(s.StaticUplinks);
        Assert.Equal(("phone", "usb0", UplinkMethod.Dhcp, 10), (phone.Id, phone.Interface, phone.Method, phone.Priority));
        Assert.Equal(["icmp:1.1.1.1", "icmp:8.8.8.8"], phone.Health.Targets.Select(t => t.ToString()));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), (phone.Health.Interval, phone.Health.StandbyInterval, phone.Health.Timeout));
        Assert.Equal(new HealthThresholds(3, 2), phone.Health.Thresholds);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Failover.HoldTime);
        Assert.True(s.Nat.Enabled); // auto: a LAN is declared
        Assert.Equal(("actorgateway", true, true), (s.Nat.Table, s.Nat.IpForward, s.Nat.ClampMss));
        Assert.Equal(new RouteMetrics(100, 1000), s.Metrics);
        Assert.Equal(171, s.Ip.RouteProtocol);
        var lan = s.Lan!;
        Assert.Equal(("eth0", "192.168.50.1", 24), (lan.Interface, lan.Address?.ToString(), lan.PrefixLength));
        Assert.Equal(("192.168.50.100", "192.168.50.199"), (lan.DhcpRange!.Value.First.ToString(), lan.DhcpRange.Value.Last.ToString()));
        Assert.True(lan.Dns);
        Assert.Equal("/usr/sbin/udhcpc", s.Dhcp.Program);
        Assert.Equal((20, 10), (s.PppPriority, s.TetheringPriority));
    }

    [Fact]
    public void Nothing_declared_and_no_USB_discovery_should_leave_the_network_side_off_and_say_why()
    {
        var s = Read("actorgateway.usb.enabled = off");

        Assert.False(s.Enabled);
        Assert.Contains("no static-uplinks and no lan are declared, and USB discovery is off", s.EnabledBecause, StringComparison.Ordinal);
        Assert.Null(s.Lan);
        Assert.False(s.Nat.Enabled);
        Assert.True(Read("actorgateway.usb.enabled = off\nactorgateway.uplinks.enabled = on").Enabled);
    }

    [Fact]
    public void USB_discovery_should_turn_the_network_side_on_so_that_a_phone_it_finds_gets_DHCP()
    {
        // The defaults: USB discovery on, nothing declared. The LG's usb0 must get a lease as the seed's dhclient gave it.
        var s = Read("actorgateway.control-socket = \"/tmp/x.sock\"");

        Assert.True(s.Enabled);
        Assert.Equal(UplinkSettings.UsbDiscoveryReason, s.EnabledBecause);
        Assert.False(s.Nat.Enabled); // no LAN: nothing to share, no ip_forward
        Assert.False(Read("actorgateway.uplinks.enabled = off").Enabled);
    }

    [Fact]
    public void A_static_uplink_should_take_its_own_address_DNS_and_probes()
    {
        var s = Read("""
            actorgateway.health.targets = ["tcp:1.1.1.1"]
            actorgateway.static-uplinks = [
              { id = "router", interface = "eth1", method = "static", address = "192.168.8.100/24", gateway = "192.168.8.1",
                dns = ["192.168.8.1"], priority = 30, health { method = dns, targets = ["9.9.9.9"], interval = 10s } }
            ]
            actorgateway.uplinks.devices { dongle { priority = 5 } }
            """);

        var router = Assert.Single(s.StaticUplinks);
        Assert.Equal((IPAddress.Parse("192.168.8.100"), 24, IPAddress.Parse("192.168.8.1")), (router.Address, router.PrefixLength, router.Gateway));
        Assert.Equal([IPAddress.Parse("192.168.8.1")], router.Dns);
        Assert.Equal("dns:9.9.9.9:53", Assert.Single(router.Health.Targets).ToString());
        Assert.Equal(TimeSpan.FromSeconds(10), router.Health.Interval);
        Assert.Equal("tcp:1.1.1.1:443", Assert.Single(s.Health.Targets).ToString());
        Assert.Equal(5, s.PriorityFor("dongle", UplinkSource.Ppp));
        Assert.Equal(20, s.PriorityFor("other", UplinkSource.Ppp));
        Assert.Equal(10, s.PriorityFor("other", UplinkSource.Tethering));
    }

    [Theory]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\", methd = \"dhcp\" } ]", "actorgateway.static-uplinks[0].methd", "unknown key")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\", method = \"ppp\" } ]", "actorgateway.static-uplinks[0].method", "not one of dhcp, static")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\" } ]", "actorgateway.static-uplinks[0].interface", "missing")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\\\"; flush\" } ]", "actorgateway.static-uplinks[0].interface", "not an interface name")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\" }, { id = \"p\", interface = \"usb1\" } ]", "actorgateway.static-uplinks[1].id", "used by another uplink")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\" }, { id = \"q\", interface = \"usb0\" } ]", "actorgateway.static-uplinks[1].interface", "used by another uplink")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\", priority = 100 } ]", "actorgateway.static-uplinks[0].priority", "between 0 and 99")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"eth1\", method = \"static\" } ]", "actorgateway.static-uplinks[0].address", "missing")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\", address = \"10.0.0.2/24\" } ]", "actorgateway.static-uplinks[0].address", "only a static uplink")]
    [InlineData("actorgateway.static-uplinks = [ { id = \"p\", interface = \"usb0\", dns = [\"dns.google\"] } ]", "actorgateway.static-uplinks[0].dns", "not an IPv4 address")]
    [InlineData("actorgateway.health.targets = [\"google.com\"]", "actorgateway.health.targets", "not a probe target")]
    [InlineData("actorgateway.health.method = ping", "actorgateway.health.method", "not one of icmp, tcp, dns")]
    [InlineData("actorgateway.health.down = 0", "actorgateway.health.down", "between 1 and 100")]
    [InlineData("actorgateway.health.interval = often", "actorgateway.health.interval", "duration")]
    [InlineData("actorgateway.lan.interface = \"eth0\"", "actorgateway.lan.dhcp", "needs lan.address")]
    [InlineData("actorgateway.lan { interface = \"eth0\", address = \"192.168.50.1\" }", "actorgateway.lan.address", "with its prefix")]
    [InlineData("actorgateway.lan { interface = \"eth0\", adress = \"192.168.50.1/24\" }", "actorgateway.lan.adress", "unknown key")]
    [InlineData("actorgateway.lan { interface = \"eth0\", address = \"192.168.50.1/24\", dhcp.range-start = \"192.168.50.10\" }", "actorgateway.lan.dhcp.range-end", "both")]
    [InlineData("actorgateway.nat.table = \"my-table\"", "actorgateway.nat.table", "not a table name")]
    [InlineData("actorgateway.nat.enabled = maybe", "actorgateway.nat.enabled", "auto, on, off")]
    [InlineData("actorgateway.uplinks.metrics.standby = 150", "actorgateway.uplinks.metrics.standby", "at least active + 100")]
    [InlineData("actorgateway.failover.hold = 10s", "actorgateway.failover.hold", "unknown key")]
    [InlineData("actorgateway.dhcp.program = udhcpc", "actorgateway.dhcp.program", "absolute path")]
    [InlineData("actorgateway.dhcp.hostname = \"my host\"", "actorgateway.dhcp.hostname", "not a host name")]
    public void Mistakes_should_name_the_file_the_key_and_the_problem(string hocon, string key, string problem)
    {
        var e = Assert.Throws<GatewayConfigException>(() => Read(hocon));

        Assert.Equal("my.conf", e.ConfigSource);
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_LAN_should_not_be_one_of_the_uplinks()
    {
        var e = Assert.Throws<GatewayConfigException>(() => Read("""
            actorgateway.static-uplinks = [ { id = "p", interface = "eth0" } ]
            actorgateway.lan { interface = "eth0", address = "192.168.50.1/24" }
            """));

        Assert.Equal("actorgateway.lan.interface", e.Key);
    }

    [Fact]
    public void When_the_network_side_runs_pppd_should_leave_the_default_route_to_it()
    {
        var gateway = GatewaySettings.Parse("""
            actorgateway.static-devices = [ { id = "dongle", port = "/dev/ttyUSB0" } ]
            actorgateway.static-uplinks = [ { id = "phone", interface = "usb0" } ]
            """, "my.conf");
        Assert.True(gateway.StaticDevices[0].Profile.Ppp.DefaultRoute);

        var handed = gateway.WithPppRoutesHandedOver(UplinkSettings.Create(gateway));

        Assert.False(handed.StaticDevices[0].Profile.Ppp.DefaultRoute);
        Assert.False(handed.Defaults.Ppp.DefaultRoute);
        Assert.All(handed.Profiles.Values, p => Assert.False(p.Ppp.DefaultRoute));

        var alone = GatewaySettings.Parse("actorgateway.static-devices = [ { id = \"dongle\", port = \"/dev/ttyUSB0\" } ]\nactorgateway.usb.enabled = off", "my.conf");
        Assert.Same(alone, alone.WithPppRoutesHandedOver(UplinkSettings.Create(alone))); // not managed: pppd keeps its own
    }
}
