using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ActorGateway.Core.Usb;
using ActorGateway.Linux.Native;

namespace ActorGateway.Linux.Usb;

/// <summary>
/// Kernel uevents from a NETLINK_KOBJECT_UEVENT socket bound to multicast group 1, the kernel's own broadcasts
/// (lib/kobject_uevent.c; group 2 is udev's re-broadcast, which needs udev). No polling: the kernel pushes every add,
/// remove, bind and unbind as it happens. Only the kernel can send to group 1 (the socket family allows unprivileged
/// receivers, not senders: net/netlink/af_netlink.c netlink_sendmsg), so the messages need no sender check.
/// </summary>
public sealed class NetlinkUeventSource : IUeventSource
{
    // Bursts (a hub with four devices, a modem with nine interfaces) must not overflow the socket: ENOBUFS loses events.
    private const int ReceiveBuffer = 4 * 1024 * 1024;

    /// <inheritdoc />
    public IUeventStream Open()
    {
        var fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.NETLINK_KOBJECT_UEVENT);
        if (fd < 0)
        {
            throw new UeventSourceException($"cannot open a netlink uevent socket: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var size = ReceiveBuffer;
        // SO_RCVBUFFORCE passes rmem_max for root; without the capability the plain option gives what it can.
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, ref size, sizeof(int)) != 0)
        {
            _ = Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, ref size, sizeof(int));
        }

        var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK, Pid = 0, Groups = 1 };
        if (Libc.bind(fd, ref address, Marshal.SizeOf<Libc.SockaddrNl>()) != 0)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            _ = Libc.close(fd);
            throw new UeventSourceException($"cannot join the kernel's uevent group: {error}");
        }

        return new Stream(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));
    }

    private sealed class Stream(Socket socket) : IUeventStream
    {
        // A uevent is at most UEVENT_BUFFER_SIZE (2048) of environment plus its header.
        private readonly byte[] _buffer = new byte[16 * 1024];

        public async ValueTask<Uevent> ReceiveAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                int n;
                try
                {
                    n = await socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
                {
                    throw new UeventsLostException("the kernel dropped uevents (socket buffer full)");
                }
                catch (SocketException e)
                {
                    throw new UeventSourceException($"reading uevents failed: {e.Message}", e);
                }

                var stamp = Stopwatch.GetTimestamp();
                if (UeventParser.Parse(_buffer.AsSpan(0, n)) is { } uevent)
                {
                    return uevent with { ReceivedAt = stamp };
                }
            }
        }

        public void Dispose() => socket.Dispose();
    }
}
