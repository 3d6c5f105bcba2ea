using System.Net;
using ActorGateway.Core.Network;

namespace ActorGateway.Core.Tests.Network;

public sealed class IpCommandsTests
{
    private readonly IpCommands _ip = new();

    [Fact]
    public void Routes_should_carry_the_uplink_metric_and_the_gateway_own_protocol()
    {
        Assert.Equal(
            ["-4", "route", "replace", "default", "via", "192.168.42.129", "dev", "usb0", "metric", "100", "proto", "171"],
            _ip.ReplaceDefaultRoute("usb0", IPAddress.Parse("192.168.42.129"), 100).Arguments);
        Assert.Equal(
            ["-4", "route", "replace", "default", "dev", "ppp0", "metric", "2001", "proto", "171"],
            _ip.ReplaceDefaultRoute("ppp0", null, 2001).Arguments);
        Assert.Equal(
            ["-4", "route", "replace", "default", "via", "10.64.64.64", "dev", "wwan0", "metric", "100", "proto", "171", "onlink"],
            _ip.ReplaceDefaultRoute("wwan0", IPAddress.Parse("10.64.64.64"), 100, onlink: true).Arguments);
        Assert.Equal(["-4", "route", "del", "default", "dev", "usb0", "metric", "2000", "proto", "171"], _ip.DeleteDefaultRoute("usb0", 2000).Arguments);
        Assert.Equal(["-4", "route", "flush", "proto", "171"], _ip.FlushRoutes().Arguments);
        Assert.Equal("/usr/sbin/ip", _ip.FlushRoutes().Program);
    }

    [Fact]
    public void Addresses_should_live_as_long_as_the_lease()
    {
        Assert.Equal(
            ["address", "replace", "192.168.42.64/24", "dev", "usb0", "valid_lft", "3600", "preferred_lft", "3600"],
            _ip.ReplaceAddress("usb0", IPAddress.Parse("192.168.42.64"), 24, TimeSpan.FromHours(1)).Arguments);
        Assert.Equal(
            ["address", "replace", "192.168.50.1/24", "dev", "eth0", "valid_lft", "forever", "preferred_lft", "forever"],
            _ip.ReplaceAddress("eth0", IPAddress.Parse("192.168.50.1"), 24, null).Arguments);
        Assert.Equal(["address", "del", "192.168.42.64/24", "dev", "usb0"], _ip.DeleteAddress("usb0", IPAddress.Parse("192.168.42.64"), 24).Arguments);
        Assert.Equal(["link", "set", "dev", "usb0", "up"], _ip.LinkUp("usb0").Arguments);
    }

    [Fact]
    public void A_bad_interface_name_should_never_reach_ip()
    {
        Assert.Throws<ArgumentException>(() => _ip.LinkUp("usb0 down; reboot"));
        Assert.Throws<ArgumentException>(() => _ip.DeleteDefaultRoute("", 1));
    }

    [Fact]
    public void A_new_metric_should_be_added_never_replaced_so_that_another_program_route_is_never_taken()
    {
        var ip = new IpCommands();

        Assert.Equal(
            "/usr/sbin/ip -4 route add default via 192.168.42.129 dev usb0 metric 100 proto 171",
            ip.AddDefaultRoute("usb0", System.Net.IPAddress.Parse("192.168.42.129"), 100).ToString());
        Assert.Equal("/usr/sbin/ip -4 route show default", ip.ShowDefaultRoutes().ToString());
    }
}
