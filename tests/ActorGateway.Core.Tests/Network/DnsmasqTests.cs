using System.Net;
using ActorGateway.Core.Network;

namespace ActorGateway.Core.Tests.Network;

public sealed class DnsmasqTests
{
    private static LanServiceSpec Spec(bool dhcp = true, bool dns = true, bool ping = true, IReadOnlyList<IPAddress>? upstream = null) => new(
        "/usr/sbin/dnsmasq",
        "eth0",
        dhcp ? (IPAddress.Parse("192.168.50.100"), IPAddress.Parse("192.168.50.199")) : null,
        TimeSpan.FromHours(12),
        ping,
        dns,
        upstream ?? [IPAddress.Parse("192.168.42.129"), IPAddress.Parse("8.8.8.8")],
        "/var/lib/actorgateway/dnsmasq-eth0.leases");

    [Fact]
    public void Command_should_run_a_dnsmasq_of_its_own_on_the_LAN_interface_forwarding_to_the_active_uplink()
    {
        var spec = Dnsmasq.Command(Spec());

        Assert.Equal("/usr/sbin/dnsmasq", spec.Program);
        Assert.Equal(
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", "--log-facility=-",
            "--interface=eth0", "--except-interface=lo", "--bind-dynamic", "--no-hosts",
            "--no-resolv", "--server=192.168.42.129", "--server=8.8.8.8", "--domain-needed", "--bogus-priv",
            "--dhcp-range=192.168.50.100,192.168.50.199,43200", "--dhcp-leasefile=/var/lib/actorgateway/dnsmasq-eth0.leases", "--dhcp-authoritative",
        ], spec.Arguments);
    }

    [Fact]
    public void Command_should_send_the_queries_through_the_active_uplink_interface()
    {
        var args = Dnsmasq.Command(Spec() with { UpstreamInterface = "usb1" }).Arguments;

        Assert.Contains("--server=192.168.42.129@usb1", args);
        Assert.Contains("--server=8.8.8.8@usb1", args);
        Assert.DoesNotContain("--server=192.168.42.129", args);
    }

    [Fact]
    public void Command_should_turn_off_what_is_not_wanted()
    {
        var dhcpOnly = Dnsmasq.Command(Spec(dns: false, ping: false)).Arguments;
        Assert.Contains("--port=0", dhcpOnly);
        Assert.Contains("--no-ping", dhcpOnly);
        Assert.DoesNotContain(dhcpOnly, a => a.StartsWith("--server", StringComparison.Ordinal));

        var dnsOnly = Dnsmasq.Command(Spec(dhcp: false, upstream: [])).Arguments;
        Assert.DoesNotContain(dnsOnly, a => a.StartsWith("--dhcp", StringComparison.Ordinal));
        Assert.Contains("--no-resolv", dnsOnly); // no uplink yet: refuse rather than ask the box's resolver
        Assert.DoesNotContain(dnsOnly, a => a.StartsWith("--server", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("192.168.50.1", 24, "192.168.50.100", "192.168.50.199")]
    [InlineData("10.0.0.1", 16, "10.0.0.100", "10.0.0.199")]
    [InlineData("192.168.50.150", 24, "192.168.50.151", "192.168.50.199")]
    [InlineData("192.168.50.199", 24, "192.168.50.100", "192.168.50.198")]
    [InlineData("192.168.9.1", 28, "192.168.9.8", "192.168.9.14")]
    [InlineData("192.168.9.1", 30, "192.168.9.2", "192.168.9.2")]
    public void DefaultRange_should_hand_out_addresses_of_the_subnet_but_never_the_gateway_own(string address, int prefix, string first, string last)
    {
        var (a, b) = Dnsmasq.DefaultRange(IPAddress.Parse(address), prefix);

        Assert.Equal((first, last), (a.ToString(), b.ToString()));
    }

    [Fact]
    public void InSubnet_should_compare_the_network_part_only()
    {
        Assert.True(Dnsmasq.InSubnet(IPAddress.Parse("192.168.42.129"), IPAddress.Parse("192.168.42.64"), 24));
        Assert.False(Dnsmasq.InSubnet(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), 32));
    }
}
