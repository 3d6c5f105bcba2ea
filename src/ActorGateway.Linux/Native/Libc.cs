using System.Runtime.InteropServices;

namespace ActorGateway.Linux.Native;

/// <summary>The few libc calls .NET has no managed API for.</summary>
internal static partial class Libc
{
    public const int SIGTERM = 15;

    /// <summary>TIOCNXCL (asm-generic/ioctls.h): clear exclusive mode on a tty, so a second opener (pppd) is let in.</summary>
    public const nuint TIOCNXCL = 0x540D;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    public const int O_RDONLY = 0;
    public const int O_DIRECTORY = 0x10000; // asm-generic/fcntl.h (x86-64 and arm64 alike)
    public const int O_CLOEXEC = 0x80000; // close(2) is declared in Libc.Usb.cs

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, nint arg);

    public const int AT_FDCWD = -100;
    public const uint STATX_UID = 0x8;

    /// <summary>Offset of stx_uid in struct statx (linux/stat.h): the same on every architecture, unlike struct stat.</summary>
    public const int StatxUidOffset = 20;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
