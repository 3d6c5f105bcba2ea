using System.Runtime.InteropServices;

namespace ActorGateway.Linux.Native;

/// <summary>The libc calls for netlink uevents, USB resets and lock-file liveness checks.</summary>
internal static partial class Libc
{
    public const int AF_NETLINK = 16;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_KOBJECT_UEVENT = 15;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVBUFFORCE = 33;
    public const int ESRCH = 3;
    public const int EPERM = 1;

    /// <summary>USBDEVFS_RESET = _IO('U', 20) (include/uapi/linux/usbdevice_fs.h): (0x55 &lt;&lt; 8) | 20.</summary>
    public const nuint USBDEVFS_RESET = 0x5514;

    /// <summary>struct sockaddr_nl (include/uapi/linux/netlink.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int bind(int fd, ref SockaddrNl address, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, ref int value, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);
}
