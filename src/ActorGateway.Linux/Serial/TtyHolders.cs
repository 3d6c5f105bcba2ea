using System.Globalization;
using ActorGateway.Linux.Native;

namespace ActorGateway.Linux.Serial;

/// <summary>A process that has a tty open or locked: its PID and its name (<c>/proc/PID/comm</c>).</summary>
public sealed record TtyHolder(int Pid, string Name)
{
    public override string ToString() => $"{Name} (pid {Pid})";
}

/// <summary>
/// Who holds a tty, from <c>/proc/*/fd</c> (proc(5): one symlink per open descriptor) and the process names in
/// <c>/proc/PID/comm</c>: the answer to "skip a port that ModemManager or another program holds, saying who".
/// </summary>
public static class TtyHolders
{
    /// <summary>Other processes (not this one) with <paramref name="ttyPath"/> open.</summary>
    public static IReadOnlyList<TtyHolder> OthersHolding(string ttyPath)
    {
        var target = ProcFs.RealPath(ttyPath);
        var self = Environment.ProcessId;
        var holders = new List<TtyHolder>();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).OfType<string>().ToList();
        }
        catch (IOException)
        {
            return holders;
        }

        foreach (var name in processes)
        {
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            if (ProcFs.DescriptorsOn(name, target).Count > 0)
            {
                holders.Add(new TtyHolder(pid, NameOf(pid)));
            }
        }

        return holders;
    }

    /// <summary>The process's name, or "pid N" when it is gone or not ours to read.</summary>
    public static string NameOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"pid {pid}";
        }
    }

    /// <summary>True when process <paramref name="pid"/> exists (kill(pid, 0): EPERM still means it exists).</summary>
    public static bool IsAlive(int pid)
    {
        if (Libc.kill(pid, 0) == 0)
        {
            return true;
        }

        return System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Libc.EPERM;
    }
}
