using System.Runtime.InteropServices;
using System.Text;
using ActorGateway.Core.Network;

namespace ActorGateway.Core.Tests.Network;

public sealed class RtnetlinkTests
{
    private const uint IffUp = 0x1;
    private const uint IffRunning = 0x40;
    private const uint IffLowerUp = 0x10000;

    // struct nlmsghdr + struct ifinfomsg + IFLA_MTU + IFLA_IFNAME, in the host's byte order, as the kernel sends them.
    private static byte[] Link(ushort type, int index, uint flags, string name)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        var nameAttr = 4 + nameBytes.Length;
        var length = 16 + 16 + 8 + ((nameAttr + 3) & ~3);
        var m = new byte[length];
        var s = m.AsSpan();
        MemoryMarshal.Write(s, (uint)length);
        MemoryMarshal.Write(s[4..], type);
        MemoryMarshal.Write(s[20..], index);
        MemoryMarshal.Write(s[24..], flags);
        MemoryMarshal.Write(s[32..], (ushort)8);      // IFLA_MTU, u32
        MemoryMarshal.Write(s[34..], (ushort)4);
        MemoryMarshal.Write(s[36..], 1500u);
        MemoryMarshal.Write(s[40..], (ushort)nameAttr);
        MemoryMarshal.Write(s[42..], (ushort)3);      // IFLA_IFNAME
        nameBytes.CopyTo(m, 44);
        return m;
    }

    private static byte[] Done()
    {
        var m = new byte[20];
        MemoryMarshal.Write(m, 20u);
        MemoryMarshal.Write(m.AsSpan(4), (ushort)3);
        return m;
    }

    [Fact]
    public void ParseLinks_should_read_up_carrier_and_removal()
    {
        var datagram = Link(16, 3, IffUp | IffRunning | IffLowerUp, "usb0")
            .Concat(Link(16, 4, IffUp, "usb1"))
            .Concat(Link(16, 5, 0, "wwan0"))
            .Concat(Link(17, 3, IffUp | IffLowerUp, "usb0"))
            .ToArray();

        var links = Rtnetlink.ParseLinks(datagram, out var done);

        Assert.False(done);
        Assert.Equal(
        [
            new LinkEvent("usb0", 3, true, true, true),
            new LinkEvent("usb1", 4, true, true, false),
            new LinkEvent("wwan0", 5, true, false, false),
            new LinkEvent("usb0", 3, false, false, false),
        ], links);
        Assert.True(links[0].Usable);
        Assert.Equal(["usb0 is up", "usb1 has no carrier", "wwan0 is down", "usb0 is gone"], links.Select(l => l.Describe()));
    }

    [Fact]
    public void ParseLinks_should_see_the_end_of_a_dump_and_stop_at_a_truncated_message()
    {
        var links = Rtnetlink.ParseLinks([.. Link(16, 2, IffUp | IffLowerUp, "eth0"), .. Done()], out var done);
        Assert.True(done);
        Assert.Single(links);

        var truncated = Link(16, 2, IffUp, "eth0")[..30];
        Assert.Empty(Rtnetlink.ParseLinks(truncated, out _));
        Assert.Empty(Rtnetlink.ParseLinks([], out _));
    }

    [Fact]
    public void GetLinksRequest_should_ask_for_a_dump_of_every_link()
    {
        var request = Rtnetlink.GetLinksRequest(7);

        Assert.Equal(32, request.Length);
        Assert.Equal(32u, MemoryMarshal.Read<uint>(request));
        Assert.Equal((ushort)18, MemoryMarshal.Read<ushort>(request.AsSpan(4)));     // RTM_GETLINK
        Assert.Equal((ushort)0x301, MemoryMarshal.Read<ushort>(request.AsSpan(6)));  // NLM_F_REQUEST | NLM_F_DUMP
        Assert.Equal(7u, MemoryMarshal.Read<uint>(request.AsSpan(8)));
    }

    [Theory]
    [InlineData("usb0", true)]
    [InlineData("enx0c5b8f279a64", true)]
    [InlineData("eth0.100", true)]
    [InlineData("enx0c5b8f279a64x", false)]
    [InlineData("a/b", false)]
    [InlineData("..", false)]
    [InlineData("ppp0:1", false)]
    public void InterfaceName_should_accept_what_the_kernel_and_nft_both_take(string name, bool valid)
    {
        Assert.Equal(valid, InterfaceName.IsValid(name));
    }
}
