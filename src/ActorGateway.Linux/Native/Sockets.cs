using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorGateway.Linux.Native;

/// <summary>
/// Socket options and rtnetlink sockets that .NET has no managed API for (socket(7), netlink(7)), for the
/// network side (uplinks): kept apart from <see cref="Libc"/> so that each side owns its own imports.
/// </summary>
internal static partial class NetNative
{
    public const int AfNetlink = 16;
    public const int SockRaw = 3;
    public const int SockCloexec = 0x80000;
    public const int NetlinkRoute = 0;
    public const int SolSocket = 1;
    public const int SoRcvbuf = 8;
    public const int SoBindToDevice = 25;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>SO_BINDTODEVICE (socket(7)): the socket sends and receives through <paramref name="ifname"/> only.</summary>
    public static void BindToDevice(Socket socket, string ifname) =>
        socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(ifname + "\0"));

    /// <summary>
    /// A NETLINK_ROUTE socket subscribed to <paramref name="groups"/>, wrapped in a <see cref="Socket"/> so that
    /// reads are asynchronous and cancellable (.NET cannot create an AF_NETLINK socket itself).
    /// </summary>
    public static unsafe Socket OpenRouteNetlink(uint groups)
    {
        var fd = socket(AfNetlink, SockRaw | SockCloexec, NetlinkRoute);
        if (fd < 0)
        {
            throw new IOException($"cannot open a netlink socket: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        // struct sockaddr_nl: family (u16), pad (u16), pid (u32, 0: the kernel picks), groups (u32).
        var address = stackalloc byte[12];
        new Span<byte>(address, 12).Clear();
        *(ushort*)address = AfNetlink;
        *(uint*)(address + 8) = groups;
        if (bind(fd, address, 12) != 0)
        {
            var problem = Marshal.GetLastPInvokeErrorMessage();
            _ = close(fd);
            throw new IOException($"cannot subscribe to netlink groups {groups}: {problem}");
        }

        var wrapped = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        // A burst of link changes (a hub with several modems replugged) must not overflow the queue.
        wrapped.ReceiveBufferSize = 1 << 20;
        return wrapped;
    }
}
