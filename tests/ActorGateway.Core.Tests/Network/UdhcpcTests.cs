using System.Net;
using ActorGateway.Core.Network;

namespace ActorGateway.Core.Tests.Network;

public sealed class UdhcpcTests
{
    private static string Line(string evt, string ip = "", string mask = "", string subnet = "", string router = "", string dns = "", string lease = "", string server = "", string mtu = "") =>
        $"actorgateway-dhcp\t{evt}\tip={ip}\tmask={mask}\tsubnet={subnet}\trouter={router}\tdns={dns}\tlease={lease}\tserverid={server}\tmtu={mtu}";

    [Fact]
    public void Command_should_run_udhcpc_in_the_foreground_with_the_hook_as_an_executable_private_file()
    {
        var spec = Udhcpc.Command(new UdhcpcOptions(), "usb0", "/run/actorgateway/udhcpc-phone-1.hook");

        Assert.Equal("/usr/sbin/udhcpc", spec.Program);
        Assert.Equal(["-f", "-i", "usb0", "-s", "/run/actorgateway/udhcpc-phone-1.hook", "-t", "5", "-T", "2", "-A", "5", "-R"], spec.Arguments);
        var hook = Assert.Single(spec.PrivateFiles!);
        Assert.True(hook.Executable);
        Assert.Equal("/run/actorgateway/udhcpc-phone-1.hook", hook.Path);
        Assert.StartsWith("#!/bin/sh\n", hook.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("ifconfig", hook.Content, StringComparison.Ordinal); // it reports; it never configures
        Assert.DoesNotContain("resolv", hook.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_should_ask_for_the_earlier_address_and_send_a_hostname_when_given()
    {
        var spec = Udhcpc.Command(
            new UdhcpcOptions("/sbin/udhcpc", 3, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(20), ReleaseOnStop: false, Hostname: "pi-gw"),
            "wwan0", "/tmp/h", IPAddress.Parse("192.168.42.64"));

        Assert.Equal(["-f", "-i", "wwan0", "-s", "/tmp/h", "-t", "3", "-T", "2", "-A", "20", "-x", "hostname:pi-gw", "-r", "192.168.42.64"], spec.Arguments);
    }

    [Fact]
    public void ParseLine_should_read_a_bound_lease()
    {
        var e = Udhcpc.ParseLine(Line("bound", "192.168.42.64", "24", "255.255.255.0", "192.168.42.129", "192.168.42.129 8.8.8.8", "3600", "192.168.42.129", "1400"));

        var lease = Assert.IsType<DhcpHookEvent.Bound>(e).Lease;
        Assert.Equal(IPAddress.Parse("192.168.42.64"), lease.Address);
        Assert.Equal(24, lease.PrefixLength);
        Assert.Equal(IPAddress.Parse("192.168.42.129"), lease.Router);
        Assert.Equal([IPAddress.Parse("192.168.42.129"), IPAddress.Parse("8.8.8.8")], lease.Dns);
        Assert.Equal(TimeSpan.FromHours(1), lease.LeaseTime);
        Assert.Equal(IPAddress.Parse("192.168.42.129"), lease.Server);
        Assert.Equal(1400, lease.Mtu);
        Assert.Equal("192.168.42.64/24", lease.Cidr);
    }

    [Fact]
    public void ParseLine_should_take_the_prefix_from_the_dotted_mask_and_the_first_router_of_several()
    {
        var e = Udhcpc.ParseLine(Line("renew", "10.0.0.7", subnet: "255.255.252.0", router: "10.0.0.1 10.0.0.2"));

        var lease = Assert.IsType<DhcpHookEvent.Renewed>(e).Lease;
        Assert.Equal(22, lease.PrefixLength);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), lease.Router);
        Assert.Empty(lease.Dns);
        Assert.Null(lease.LeaseTime);
        Assert.Null(lease.Mtu);
    }

    [Theory]
    [InlineData("deconfig", typeof(DhcpHookEvent.Deconfig))]
    [InlineData("leasefail", typeof(DhcpHookEvent.LeaseFailed))]
    [InlineData("nak", typeof(DhcpHookEvent.Nak))]
    public void ParseLine_should_read_the_events_without_a_lease(string evt, Type type)
    {
        Assert.IsType(type, Udhcpc.ParseLine(Line(evt)));
    }

    [Theory]
    [InlineData("udhcpc: started, v1.35.0")]
    [InlineData("udhcpc: lease of 192.168.42.64 obtained from 192.168.42.129, lease time 3600")]
    [InlineData("actorgateway-dhcpx\tbound")]
    [InlineData("")]
    public void ParseLine_should_leave_udhcpc_own_lines_alone(string line)
    {
        Assert.Null(Udhcpc.ParseLine(line));
    }

    [Theory]
    [InlineData("bound", "", "24", "no valid address")]
    [InlineData("bound", "0.0.0.0", "24", "no valid address")]
    [InlineData("bound", "fe80::1", "64", "no valid address")]
    [InlineData("bound", "1.2.3", "24", "no valid address")]
    [InlineData("renew", "192.168.42.64", "33", "no valid subnet")]
    [InlineData("bound", "192.168.42.64", "", "no valid subnet")]
    public void ParseLine_should_refuse_a_lease_it_cannot_apply(string evt, string ip, string mask, string problem)
    {
        var e = Assert.IsType<DhcpHookEvent.Malformed>(Udhcpc.ParseLine(Line(evt, ip, mask)));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLine_should_not_be_fooled_by_a_DHCP_server_hiding_fields_in_values()
    {
        // A server controls the option values; a value carrying its own "router=" must not replace the real field.
        var e = Udhcpc.ParseLine(Line("bound", "192.168.42.64", "24", router: "192.168.42.129", dns: "1.1.1.1 router=6.6.6.6 $(reboot)"));

        var lease = Assert.IsType<DhcpHookEvent.Bound>(e).Lease;
        Assert.Equal(IPAddress.Parse("192.168.42.129"), lease.Router);
        Assert.Equal([IPAddress.Parse("1.1.1.1")], lease.Dns);
        Assert.IsType<DhcpHookEvent.Malformed>(Udhcpc.ParseLine("actorgateway-dhcp\tbound\u001b[2J"));
    }
}
