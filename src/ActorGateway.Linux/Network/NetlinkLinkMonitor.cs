using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ActorGateway.Core.Network;
using ActorGateway.Linux.Native;

namespace ActorGateway.Linux.Network;

/// <summary>
/// Interface state from rtnetlink (rtnetlink(7)): the kernel sends RTM_NEWLINK/RTM_DELLINK to the
/// RTMGRP_LINK group the moment a carrier drops, an interface goes down or disappears, so a hard failure
/// reaches the gateway in well under a millisecond; a poll of /sys every second would cost up to a second of
/// the failover budget. The socket subscribes first and asks for a dump after, so no change falls between
/// the two. If the kernel drops events (ENOBUFS: the queue overflowed), it dumps again.
/// </summary>
public sealed class NetlinkLinkMonitor : ILinkMonitor
{
    /// <inheritdoc />
    public async IAsyncEnumerable<LinkEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var socket = NetNative.OpenRouteNetlink(Rtnetlink.RtmgrpLink);
        uint sequence = 1;
        Dump(socket, sequence);
        var buffer = new byte[1 << 16];
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                // Events were lost: ask for the whole picture again (netlink(7), "ENOBUFS").
                Dump(socket, ++sequence);
                continue;
            }
            catch (SocketException e)
            {
                throw new IOException($"reading link events from netlink failed: {e.Message}", e);
            }

            foreach (var link in Rtnetlink.ParseLinks(buffer.AsSpan(0, received), out _))
            {
                yield return link;
            }
        }
    }

    private static void Dump(Socket socket, uint sequence)
    {
        try
        {
            // An unconnected netlink socket sends to the kernel (port id 0), netlink(7).
            socket.Send(Rtnetlink.GetLinksRequest(sequence));
        }
        catch (SocketException e)
        {
            throw new IOException($"asking netlink for the interfaces failed: {e.Message}", e);
        }
    }
}
