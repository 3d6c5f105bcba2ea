using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorGateway.Core.Network;

/// <summary>How a probe asks whether the internet answers through an uplink.</summary>
public enum ProbeMethod
{
    /// <summary>ICMP echo (ping): cheapest, but some networks drop it.</summary>
    Icmp,

    /// <summary>
    /// A TCP connection to an open port: only an accepted one proves the path works (a refusal may be an ICMP port
    /// unreachable from any router on the way).
    /// </summary>
    Tcp,

    /// <summary>A DNS query over UDP: any answer proves the path works.</summary>
    Dns,
}

/// <summary>One probe target: how, where and (for TCP and DNS) which port.</summary>
public sealed record ProbeTarget(ProbeMethod Method, IPAddress Address, int Port)
{
    /// <summary>As in the configuration: <c>icmp:1.1.1.1</c>, <c>tcp:1.1.1.1:443</c>, <c>dns:9.9.9.9:53</c>.</summary>
    public override string ToString() => Method switch
    {
        ProbeMethod.Icmp => $"icmp:{Address}",
        ProbeMethod.Tcp => $"tcp:{Address}:{Port}",
        _ => $"dns:{Address}:{Port}",
    };

    /// <summary>
    /// Reads a target: an IPv4 address (probed with <paramref name="defaultMethod"/>), or <c>icmp:ADDRESS</c>,
    /// <c>tcp:ADDRESS[:PORT]</c>, <c>dns:ADDRESS[:PORT]</c>. Throws <see cref="FormatException"/> saying what is wrong.
    /// </summary>
    public static ProbeTarget Parse(string text, ProbeMethod defaultMethod = ProbeMethod.Icmp, int defaultTcpPort = 443)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        var (method, rest) = parts[0].ToLowerInvariant() switch
        {
            "icmp" => (ProbeMethod.Icmp, parts[1..]),
            "tcp" => (ProbeMethod.Tcp, parts[1..]),
            "dns" => (ProbeMethod.Dns, parts[1..]),
            _ => (defaultMethod, parts),
        };
        if (rest.Length is 0 or > 2 || !IPAddress.TryParse(rest[0], out var address)
            || address.AddressFamily != AddressFamily.InterNetwork || rest[0].Count(c => c == '.') != 3)
        {
            throw new FormatException($"\"{text}\" is not a probe target (an IPv4 address, or icmp:ADDRESS, tcp:ADDRESS[:PORT], dns:ADDRESS[:PORT])");
        }

        var port = method switch { ProbeMethod.Tcp => defaultTcpPort, ProbeMethod.Dns => 53, _ => 0 };
        if (rest.Length == 2)
        {
            if (method == ProbeMethod.Icmp)
            {
                throw new FormatException($"\"{text}\": an ICMP target has no port");
            }

            if (!int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new FormatException($"\"{text}\": the port must be 1 to 65535");
            }
        }

        return new ProbeTarget(method, address, port);
    }
}

/// <summary>ICMP echo messages (RFC 792): the request a probe sends and the check of a reply.</summary>
public static class IcmpEcho
{
    /// <summary>Echo request.</summary>
    public const byte EchoRequest = 8;

    /// <summary>Echo reply.</summary>
    public const byte EchoReply = 0;

    /// <summary>An echo request with <paramref name="identifier"/>, <paramref name="sequence"/> and a small payload; checksum filled in.</summary>
    public static byte[] Request(ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[8 + payload.Length];
        packet[0] = EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        payload.CopyTo(packet.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        return packet;
    }

    /// <summary>
    /// True when <paramref name="icmp"/> (the ICMP message, without an IP header) is the echo reply to
    /// <paramref name="sequence"/>; <paramref name="identifier"/> is checked unless null (a datagram ICMP socket
    /// chooses the identifier itself and already delivers only its own replies).
    /// </summary>
    public static bool IsReplyTo(ReadOnlySpan<byte> icmp, ushort? identifier, ushort sequence) =>
        icmp.Length >= 8 && icmp[0] == EchoReply && icmp[1] == 0
        && (identifier is not { } id || BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == id)
        && BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) == sequence;

    /// <summary>The ICMP message inside an IPv4 packet (what a raw socket receives), or empty when it is not one.</summary>
    public static ReadOnlySpan<byte> WithoutIpHeader(ReadOnlySpan<byte> packet, out IPAddress? source)
    {
        source = null;
        if (packet.Length < 20 || packet[0] >> 4 != 4 || packet[9] != 1)
        {
            return [];
        }

        var headerLength = (packet[0] & 0x0f) * 4;
        if (headerLength < 20 || packet.Length < headerLength)
        {
            return [];
        }

        source = new IPAddress(packet.Slice(12, 4));
        return packet[headerLength..];
    }

    /// <summary>The Internet checksum (RFC 1071).</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}

/// <summary>The DNS query a probe sends (RFC 1035 §4.1) and the check of an answer.</summary>
public static class DnsProbe
{
    /// <summary>
    /// A query for the root zone's NS records (<c>. IN NS</c>), recursion desired: every resolver has the answer
    /// cached, and it is small.
    /// </summary>
    public static byte[] Query(ushort id)
    {
        var message = new byte[12 + 1 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        message[2] = 0x01;                                              // RD
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 1);    // QDCOUNT
        message[12] = 0;                                                // the root name
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(13), 2);   // QTYPE NS
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(15), 1);   // QCLASS IN
        return message;
    }

    /// <summary>
    /// True when <paramref name="message"/> is a response (QR set) to query <paramref name="id"/>. Its RCODE does
    /// not matter: even SERVFAIL or REFUSED means the server was reached through the uplink.
    /// </summary>
    public static bool IsResponseTo(ReadOnlySpan<byte> message, ushort id) =>
        message.Length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(message) == id && (message[2] & 0x80) != 0;
}
