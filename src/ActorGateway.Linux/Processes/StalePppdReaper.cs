using System.Globalization;
using ActorGateway.Core.Io;
using ActorGateway.Linux.Native;

namespace ActorGateway.Linux.Processes;

/// <summary>
/// Finds a leftover pppd by the pid file pppd writes for its link name (pppd(8), FILES:
/// <c>/var/run/ppp-&lt;linkname&gt;.pid</c>) and proves it is that pppd from /proc/&lt;pid&gt;/cmdline before it
/// signals it: a pid file can outlive its process and the pid be reused.
/// </summary>
public sealed class StalePppdReaper(string runDirectory = "/run", TimeProvider? clock = null) : IStalePppdReaper
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<int?> ReapAsync(string linkName, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(runDirectory, $"ppp-{linkName}.pid");
        string text;
        try
        {
            text = await File.ReadAllTextAsync(pidFile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // no leftover: pppd removes the file when it ends cleanly
        }

        var first = text.Split('\n', 2)[0].Trim();
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsOurPppd(pid, linkName))
        {
            return null;
        }

        _ = Libc.kill(pid, Libc.SIGTERM);
        var deadline = _clock.GetUtcNow() + Grace;
        while (Directory.Exists($"/proc/{pid}") && _clock.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _clock, cancellationToken).ConfigureAwait(false);
        }

        if (Directory.Exists($"/proc/{pid}"))
        {
            _ = Libc.kill(pid, 9);
        }

        return pid;
    }

    private static bool IsOurPppd(int pid, string linkName)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var isPppd = arguments.Length > 0 && Path.GetFileName(arguments[0]) == "pppd";
            var index = Array.IndexOf(arguments, "linkname");
            return isPppd && index >= 0 && index + 1 < arguments.Length && arguments[index + 1] == linkName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
