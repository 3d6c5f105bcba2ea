using System.Net;
using ActorGateway.Core.Ppp;

namespace ActorGateway.Core.Tests.Ppp;

public class PppdOutputTests
{
    [Fact]
    public void PppdOutput_should_read_the_interface_name()
    {
        Assert.Equal("ppp0", PppdOutput.Apply(new PppLink(), "Using interface ppp0")!.Interface);
    }

    [Fact]
    public void PppdOutput_should_read_the_addresses_in_ipcp_wording()
    {
        var link = new PppLink();

        link = PppdOutput.Apply(link, "local  IP address 10.64.64.2")!;
        Assert.False(link.IsUp);
        link = PppdOutput.Apply(link, "remote IP address 10.64.64.1")!;
        link = PppdOutput.Apply(link, "primary   DNS address 10.11.12.13")!;
        link = PppdOutput.Apply(link, "secondary DNS address 10.11.12.14")!;

        Assert.True(link.IsUp);
        Assert.Equal(
            new PppLink(null, IPAddress.Parse("10.64.64.2"), IPAddress.Parse("10.64.64.1"), IPAddress.Parse("10.11.12.13"), IPAddress.Parse("10.11.12.14")),
            link);
    }

    [Fact]
    public void PppdOutput_should_follow_a_whole_pppd_session_log()
    {
        string[] log =
        [
            "Serial connection established.",
            "using channel 1",
            "Using interface ppp0",
            "Connect: ppp0 <--> /dev/ttyUSB0",
            "sent [LCP ConfReq id=0x1 <asyncmap 0x0> <magic 0x5c2ed3fb> <pcomp> <accomp>]",
            "PAP authentication succeeded",
            "Could not determine remote IP address: defaulting to 10.64.64.64",
            "local  IP address 10.11.98.7",
            "remote IP address 10.64.64.64",
            "primary   DNS address 10.168.1.1",
            "secondary DNS address 10.168.1.2",
            "Script /etc/ppp/ip-up started (pid 4242)",
        ];

        var link = log.Aggregate(new PppLink(), (l, line) => PppdOutput.Apply(l, line) ?? l);

        Assert.Equal("ppp0", link.Interface);
        Assert.Equal(IPAddress.Parse("10.11.98.7"), link.LocalAddress);
        Assert.Equal(IPAddress.Parse("10.64.64.64"), link.RemoteAddress);
        Assert.Equal(IPAddress.Parse("10.168.1.1"), link.PrimaryDns);
        Assert.Equal(IPAddress.Parse("10.168.1.2"), link.SecondaryDns);
        Assert.True(link.IsUp);
    }

    [Theory]
    [InlineData("Serial connection established.")]
    [InlineData("Connect: ppp0 <--> /dev/ttyUSB0")]
    [InlineData("Could not determine remote IP address: defaulting to 10.64.64.64")]
    [InlineData("remote IP address not-an-address")]
    [InlineData("local  IP address")]
    [InlineData("--> local IP address")]
    [InlineData("")]
    public void PppdOutput_should_say_nothing_for_lines_about_something_else(string line)
    {
        Assert.Null(PppdOutput.Apply(new PppLink(), line));
    }

    [Fact]
    public void PppdOutput_should_tolerate_surrounding_whitespace()
    {
        Assert.Equal(IPAddress.Parse("10.64.64.1"), PppdOutput.Apply(new PppLink(), "  remote IP address 10.64.64.1 \r")!.RemoteAddress);
    }

    [Fact]
    public void PppdOutput_should_keep_what_it_knew_when_a_line_adds_more()
    {
        var link = new PppLink(Interface: "ppp0");

        Assert.Equal("ppp0", PppdOutput.Apply(link, "local  IP address 10.0.0.2")!.Interface);
    }

    [Fact]
    public void PppdOutput_should_read_the_single_spaced_lines_wvdial_prints()
    {
        var link = PppdOutput.Apply(new PppLink(), "local IP address 10.11.0.2")!;
        link = PppdOutput.Apply(link, "primary DNS address 10.168.0.1")!;

        Assert.Equal("10.11.0.2", link.LocalAddress?.ToString());
        Assert.Equal("10.168.0.1", link.PrimaryDns?.ToString());
    }
}
