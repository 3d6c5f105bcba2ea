using System.Runtime.InteropServices;

namespace ActorGateway.Simulation.Pty;

/// <summary>The few libc calls a pty needs (posix_openpt(3), grantpt(3), unlockpt(3), ptsname_r(3), termios(3), poll(2)).</summary>
internal static unsafe partial class Interop
{
    public const int ORdWr = 0x2;
    public const int ONoCtty = 0x100;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const int FGetFl = 3;
    public const int FSetFl = 4;
    public const int TcsaNow = 0;
    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const short PollErr = 0x8;
    public const short PollHup = 0x10;
    public const short PollNval = 0x20;
    public const int EIntr = 4;
    public const int EIo = 5;
    public const int EAgain = 11;

    /// <summary>glibc's struct termios is 60 bytes; a generous buffer keeps us independent of the exact layout.</summary>
    public const int TermiosSize = 256;

    private const string Libc = "libc";

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport(Libc)]
    public static partial void cfmakeraw(byte* termios);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int eventfd(uint initial, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    public static IOException Error(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    /// <summary>cfmakeraw(3) on <paramref name="fd"/>: no echo, no line editing, no CR/LF translation.</summary>
    public static void MakeRaw(int fd)
    {
        var termios = stackalloc byte[TermiosSize];
        if (tcgetattr(fd, termios) != 0)
        {
            throw Error("tcgetattr");
        }

        cfmakeraw(termios);
        if (tcsetattr(fd, TcsaNow, termios) != 0)
        {
            throw Error("tcsetattr");
        }
    }
}

/// <summary>Terminal helpers for code that opens a pty slave itself (tests with a FileStream).</summary>
internal static class PtyTerminal
{
    /// <summary>Puts the tty behind <paramref name="handle"/> in raw mode (the slave's default has ECHO and ICANON).</summary>
    public static void MakeRaw(SafeHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            Interop.MakeRaw((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
