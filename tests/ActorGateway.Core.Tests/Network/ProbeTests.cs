using System.Buffers.Binary;
using System.Net;
using ActorGateway.Core.Network;

namespace ActorGateway.Core.Tests.Network;

public sealed class ProbeTests
{
    [Theory]
    [InlineData("1.1.1.1", "icmp:1.1.1.1")]
    [InlineData("icmp:8.8.8.8", "icmp:8.8.8.8")]
    [InlineData("tcp:1.1.1.1", "tcp:1.1.1.1:443")]
    [InlineData("TCP:1.1.1.1:80", "tcp:1.1.1.1:80")]
    [InlineData("dns:9.9.9.9", "dns:9.9.9.9:53")]
    [InlineData("dns:9.9.9.9:5353", "dns:9.9.9.9:5353")]
    public void Parse_should_read_every_form(string text, string expected)
    {
        Assert.Equal(expected, ProbeTarget.Parse(text).ToString());
    }

    [Fact]
    public void Parse_should_use_the_default_method_and_port_for_a_bare_address()
    {
        Assert.Equal("tcp:1.1.1.1:8443", ProbeTarget.Parse("1.1.1.1", ProbeMethod.Tcp, 8443).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("1.2.3")]
    [InlineData("::1")]
    [InlineData("icmp:1.1.1.1:7")]
    [InlineData("tcp:1.1.1.1:0")]
    [InlineData("tcp:1.1.1.1:70000")]
    [InlineData("udp:1.1.1.1")]
    public void Parse_should_refuse_what_it_cannot_probe(string text)
    {
        Assert.Throws<FormatException>(() => ProbeTarget.Parse(text));
    }

    [Fact]
    public void IcmpEcho_should_build_a_request_with_a_valid_checksum()
    {
        var packet = IcmpEcho.Request(0x1234, 7, []);

        Assert.Equal(8, packet.Length);
        Assert.Equal(IcmpEcho.EchoRequest, packet[0]);
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(6)));
        Assert.Equal(0, IcmpEcho.Checksum(packet)); // a message with its checksum sums to zero (RFC 1071)
        Assert.Equal(0xe5c4, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
    }

    [Fact]
    public void IcmpEcho_should_recognise_its_own_reply_only()
    {
        var reply = IcmpEcho.Request(0x1234, 7, "x"u8);
        reply[0] = IcmpEcho.EchoReply;

        Assert.True(IcmpEcho.IsReplyTo(reply, 0x1234, 7));
        Assert.True(IcmpEcho.IsReplyTo(reply, null, 7));
        Assert.False(IcmpEcho.IsReplyTo(reply, 0x1235, 7));
        Assert.False(IcmpEcho.IsReplyTo(reply, 0x1234, 8));
        Assert.False(IcmpEcho.IsReplyTo(IcmpEcho.Request(0x1234, 7, []), 0x1234, 7)); // a request, not a reply
        Assert.False(IcmpEcho.IsReplyTo(reply.AsSpan(0, 6), 0x1234, 7));
    }

    [Fact]
    public void WithoutIpHeader_should_find_the_ICMP_message_and_its_source_in_what_a_raw_socket_receives()
    {
        var icmp = IcmpEcho.Request(1, 2, []);
        icmp[0] = IcmpEcho.EchoReply;
        var packet = new byte[24 + icmp.Length];
        packet[0] = 0x46; // IPv4, header of 6 words (with options)
        packet[9] = 1;    // ICMP
        IPAddress.Parse("198.51.100.1").GetAddressBytes().CopyTo(packet, 12);
        icmp.CopyTo(packet, 24);

        var message = IcmpEcho.WithoutIpHeader(packet, out var source);

        Assert.Equal(IPAddress.Parse("198.51.100.1"), source);
        Assert.True(IcmpEcho.IsReplyTo(message, 1, 2));
        packet[9] = 6; // TCP
        Assert.True(IcmpEcho.WithoutIpHeader(packet, out _).IsEmpty);
    }

    [Fact]
    public void DnsProbe_should_ask_for_the_root_NS_and_take_any_answer_to_its_id()
    {
        var query = DnsProbe.Query(0xbeef);

        Assert.Equal([0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00, 0x01], query);
        var answer = (byte[])query.Clone();
        answer[2] |= 0x80;
        answer[3] = 0x05; // REFUSED: the server was reached all the same
        Assert.True(DnsProbe.IsResponseTo(answer, 0xbeef));
        Assert.False(DnsProbe.IsResponseTo(query, 0xbeef));
        Assert.False(DnsProbe.IsResponseTo(answer, 0xbeee));
    }
}
