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
    public static (UucpLockFile? Lock, TtyHolder? Holder) TryAcquire(string lockDirectory, string ttyPath)
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
                    // Being written this instant (created, not yet filled): someone is taking it.
                    return (null, new TtyHolder(0, "another program (lock being written)"));
                }

                if (pid == self)
                {
                    Write(path, self);
                    return (new UucpLockFile(path), null);
                }

                if (TtyHolders.IsAlive(pid.Value))
                {
                    return (null, new TtyHolder(pid.Value, TtyHolders.NameOf(pid.Value)));
                }

                TryDelete(path); // stale: its process is gone
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

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
