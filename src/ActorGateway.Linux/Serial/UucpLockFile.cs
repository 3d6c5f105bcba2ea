using System.Text;
using ActorGateway.Core.Usb;

namespace ActorGateway.Linux.Serial;

/// <summary>
/// One UUCP lock file (<c>/run/lock/LCK..ttyUSB0</c>, HDB format, <see cref="UucpLock"/>). Created with O_EXCL so two
/// takers cannot both win; a lock whose process is gone is stale and is taken over, as pppd and minicom do.
/// </summary>
public sealed class UucpLockFile
{
    private UucpLockFile(string path) => Path = path;

    /// <summary>The lock file's path.</summary>
    public string Path { get; }

    /// <summary>The lock file's path for <paramref name="ttyPath"/> (resolved, so that two names of one tty share it).</summary>
    public static string PathFor(string lockDirectory, string ttyPath) =>
        System.IO.Path.Combine(lockDirectory, UucpLock.FileName(Native.ProcFs.RealPath(ttyPath)));

    /// <summary>
    /// Takes the lock for this process, or returns the holder when another live process has it. A lock left by this
    /// process (a hand-over that ended) is taken back.
    /// </summary>
    /// <remarks><paramref name="clock"/> judges how old a lock without a PID is (the system clock when null).</remarks>
    public static (UucpLockFile? Lock, TtyHolder? Holder) TryAcquire(string lockDirectory, string ttyPath, TimeProvider? clock = null)
    {
        var path = PathFor(lockDirectory, ttyPath);
        var self = Environment.ProcessId;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                }))
                {
                    stream.Write(Encoding.ASCII.GetBytes(UucpLock.Content(self)));
                }

                return (new UucpLockFile(path), null);
            }
            catch (IOException) when (File.Exists(path))
            {
                var pid = ReadPid(path);
                if (pid is null)
                {
                    if (!UucpLock.IsStaleWithoutPid(File.GetLastWriteTimeUtc(path), (clock ?? TimeProvider.System).GetUtcNow()))
                    {
                        // Being written this instant (created, not yet filled): someone is taking it.
                        return (null, new TtyHolder(0, "another program (lock being written)"));
                    }

                    // Empty, garbage or 0 for longer than a write takes: stale, as pppd's lock() judges it.
                }
                else if (pid == self)
                {
                    Write(path, self);
                    return (new UucpLockFile(path), null);
                }
                else if (TtyHolders.IsAlive(pid.Value))
                {
                    return (null, new TtyHolder(pid.Value, TtyHolders.NameOf(pid.Value)));
                }

                if (TryDelete(path) is { } refused)
                {
                    return (null, new TtyHolder(0, $"another program ({refused})"));
                }
            }
        }

        return (null, new TtyHolder(0, $"another program (cannot take {path})"));
    }

    /// <summary>The PID in the lock file at <paramref name="path"/>, or null.</summary>
    public static int? ReadPid(string path)
    {
        try
        {
            return UucpLock.ParsePid(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Hands the lock to <paramref name="pid"/> (pppd, after it took the line over), so it stays valid while it runs.</summary>
    public void TransferTo(int pid) => Write(Path, pid);

    /// <summary>Removes the lock if it still names <paramref name="pid"/> (a process it was handed to) and that process has ended.</summary>
    public void ReleaseIfEnded(int pid)
    {
        if (ReadPid(Path) == pid && !TtyHolders.IsAlive(pid))
        {
            TryDelete(Path);
        }
    }

    /// <summary>Removes the lock if it is still this process's.</summary>
    public void Release()
    {
        if (ReadPid(Path) == Environment.ProcessId)
        {
            TryDelete(Path);
        }
    }

    private static void Write(string path, int pid)
    {
        var temporary = path + ".ag-" + Environment.ProcessId;
        File.WriteAllText(temporary, UucpLock.Content(pid), Encoding.ASCII);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the file; null when it is gone, else why it could not be (who owns it, in a sticky lock directory).</summary>
    private static string? TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return null;
        }
        catch (IOException)
        {
            return null; // gone meanwhile, or busy: the next attempt looks again
        }
        catch (UnauthorizedAccessException)
        {
            return $"the stale lock {path} belongs to {OwnerOf(path)} and this process may not remove it";
        }
    }

    /// <summary>The user that owns <paramref name="path"/>, by name when /etc/passwd has it.</summary>
    private static unsafe string OwnerOf(string path)
    {
        var buffer = stackalloc byte[256]; // struct statx is 256 bytes
        if (Native.Libc.statx(Native.Libc.AT_FDCWD, path, 0, Native.Libc.STATX_UID, buffer) != 0)
        {
            return "another user";
        }

        var uid = *(uint*)(buffer + Native.Libc.StatxUidOffset);
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && fields[2] == uid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    return $"{fields[0]} (uid {uid})";
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return $"uid {uid}";
    }
}
