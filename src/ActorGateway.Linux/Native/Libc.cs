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

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, nint arg);
}
