using System.Runtime.InteropServices;
using System.Text;

namespace ActorGateway.Core.Network;

/// <summary>
/// A network interface as rtnetlink reports it (rtnetlink(7)): whether it exists, is administratively up
/// (IFF_UP) and has a carrier (IFF_LOWER_UP, "NO-CARRIER" in <c>ip link</c> when missing).
/// </summary>
public sealed record LinkEvent(string Name, int Index, bool Exists, bool AdminUp, bool Carrier)
{
    /// <summary>It can carry packets: present, up, with a carrier.</summary>
    public bool Usable => Exists && AdminUp && Carrier;

    /// <summary>In words, for logs and status.</summary>
    public string Describe() => !Exists ? $"{Name} is gone" : !AdminUp ? $"{Name} is down" : !Carrier ? $"{Name} has no carrier" : $"{Name} is up";
}

/// <summary>
/// The rtnetlink messages the gateway reads and sends (rtnetlink(7), netlink(7); linux/rtnetlink.h,
/// linux/if_link.h): RTM_NEWLINK and RTM_DELLINK from the RTMGRP_LINK multicast group, and the RTM_GETLINK
/// dump that gives the state of every interface at start. Netlink uses the host's byte order.
/// </summary>
public static class Rtnetlink
{
    /// <summary>The multicast group for link changes.</summary>
    public const uint RtmgrpLink = 1;

    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort RtmNewLink = 16;
    private const ushort RtmDelLink = 17;
    private const ushort RtmGetLink = 18;
    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFDump = 0x300;
    private const uint IffUp = 0x1;
    private const uint IffLowerUp = 0x10000;
    private const ushort IflaIfname = 3;
    private const int HeaderLength = 16;   // struct nlmsghdr
    private const int IfInfoLength = 16;   // struct ifinfomsg

    /// <summary>An RTM_GETLINK dump request with sequence number <paramref name="sequence"/>.</summary>
    public static byte[] GetLinksRequest(uint sequence)
    {
        var message = new byte[HeaderLength + IfInfoLength];
        var span = message.AsSpan();
        MemoryMarshal.Write(span, (uint)message.Length);
        MemoryMarshal.Write(span[4..], RtmGetLink);
        MemoryMarshal.Write(span[6..], (ushort)(NlmFRequest | NlmFDump));
        MemoryMarshal.Write(span[8..], sequence);
        return message; // ifinfomsg all zero: family AF_UNSPEC, every interface
    }

    /// <summary>
    /// The link events in one datagram of netlink messages; other message types are skipped.
    /// <paramref name="done"/> says whether the datagram ended a dump (NLMSG_DONE).
    /// </summary>
    public static IReadOnlyList<LinkEvent> ParseLinks(ReadOnlySpan<byte> datagram, out bool done)
    {
        done = false;
        var events = new List<LinkEvent>();
        while (datagram.Length >= HeaderLength)
        {
            var length = (int)MemoryMarshal.Read<uint>(datagram);
            if (length < HeaderLength || length > datagram.Length)
            {
                break;
            }

            var type = MemoryMarshal.Read<ushort>(datagram[4..]);
            var body = datagram[HeaderLength..length];
            if (type == NlmsgDone)
            {
                done = true;
            }
            else if (type == NlmsgError)
            {
                // An error (or an ack) to our request: the dump will not come.
                done = true;
            }
            else if ((type == RtmNewLink || type == RtmDelLink) && body.Length >= IfInfoLength)
            {
                var index = MemoryMarshal.Read<int>(body[4..]);
                var flags = MemoryMarshal.Read<uint>(body[8..]);
                if (Name(body[IfInfoLength..]) is { } name)
                {
                    var exists = type == RtmNewLink;
                    events.Add(new LinkEvent(name, index, exists, exists && (flags & IffUp) != 0, exists && (flags & IffLowerUp) != 0));
                }
            }

            datagram = datagram[Math.Min(Align(length), datagram.Length)..];
        }

        return events;
    }

    private static string? Name(ReadOnlySpan<byte> attributes)
    {
        while (attributes.Length >= 4)
        {
            var length = MemoryMarshal.Read<ushort>(attributes);
            var type = (ushort)(MemoryMarshal.Read<ushort>(attributes[2..]) & 0x3fff);
            if (length < 4 || length > attributes.Length)
            {
                return null;
            }

            if (type == IflaIfname)
            {
                var value = attributes[4..length];
                var end = value.IndexOf((byte)0);
                return Encoding.ASCII.GetString(end < 0 ? value : value[..end]);
            }

            attributes = attributes[Math.Min(Align(length), attributes.Length)..];
        }

        return null;
    }

    private static int Align(int length) => (length + 3) & ~3;
}
