using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorGateway.Simulation.Network;

/// <summary>
/// Network namespaces built for one test, demo or benchmark run, and torn down by it: every namespace is named
/// <c>ag&lt;pid&gt;x&lt;n&gt;-&lt;role&gt;</c>, so that runs side by side never clash and a later run can tell a
/// leftover of a dead run (its pid is gone) from a live one. Everything is done with ip(8), with argument
/// lists. <see cref="DisposeAsync"/> ends every process started in the lab's namespaces (by pid: those it
/// started, and any its namespaces still hold, such as a DHCP client of a gateway that crashed) and deletes
/// the namespaces, which deletes their veths. Needs root.
/// </summary>
public sealed partial class NetworkLab : IAsyncDisposable
{
    private static int _counter;
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];
    private readonly Lock _gate = new();

    private NetworkLab(string prefix, string directory)
    {
        Prefix = prefix;
        Directory = directory;
    }

    /// <summary>The prefix of every namespace of this lab.</summary>
    public string Prefix { get; }

    /// <summary>A private directory for the lab's files (DHCP lease files), removed with it.</summary>
    public string Directory { get; }

    /// <summary>The ip program.</summary>
    public static string Ip { get; set; } = "/usr/sbin/ip";

    /// <summary>True when this process can build labs: root, with ip present.</summary>
    public static bool CanRun => Environment.IsPrivilegedProcess && File.Exists(Ip);

    /// <summary>A new, empty lab. Namespaces that dead runs left behind are swept first.</summary>
    public static async Task<NetworkLab> CreateAsync(CancellationToken cancellationToken = default)
    {
        await SweepLeftoversAsync(cancellationToken).ConfigureAwait(false);
        var prefix = $"ag{Environment.ProcessId}x{Interlocked.Increment(ref _counter)}";
        var directory = System.IO.Directory.CreateTempSubdirectory($"{prefix}-").FullName;
        return new NetworkLab(prefix, directory);
    }

    /// <summary>The full name of the namespace for <paramref name="role"/>.</summary>
    public string Namespace(string role) => $"{Prefix}-{role}";

    /// <summary>Creates the namespace for <paramref name="role"/> with its loopback up; returns its full name.</summary>
    public async Task<string> AddNamespaceAsync(string role, CancellationToken cancellationToken = default)
    {
        var name = Namespace(role);
        await RunAsync(Ip, ["netns", "add", name], cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _namespaces.Add(name);
        }

        await RunAsync(Ip, ["-n", name, "link", "set", "dev", "lo", "up"], cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>A veth pair: <paramref name="ifA"/> in <paramref name="nsA"/>, <paramref name="ifB"/> in <paramref name="nsB"/>, both left down.</summary>
    public Task VethAsync(string nsA, string ifA, string nsB, string ifB, CancellationToken cancellationToken = default) =>
        RunAsync(Ip, ["link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB], cancellationToken);

    /// <summary><c>ip -n NS ARGS</c>; throws naming the command and what ip said when it fails.</summary>
    public Task IpAsync(string ns, params string[] args) => RunAsync(Ip, ["-n", ns, .. args], CancellationToken.None);

    /// <summary>Runs <paramref name="program"/> inside <paramref name="ns"/> to completion (<c>ip netns exec</c>); throws when it fails.</summary>
    public Task<string> ExecAsync(string ns, string program, IReadOnlyList<string> args, string? input = null, CancellationToken cancellationToken = default) =>
        RunAsync(Ip, ["netns", "exec", ns, program, .. args], cancellationToken, input);

    /// <summary>Like <see cref="ExecAsync"/>, but returns the exit status and output instead of throwing.</summary>
    public static async Task<(int Code, string Output)> TryRunAsync(string program, IReadOnlyList<string> args, CancellationToken cancellationToken = default, string? input = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new Win32Exception($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, (await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false)));
    }

    /// <summary>Starts a long-running program inside <paramref name="ns"/>; the lab ends it on dispose.</summary>
    public Process Start(string ns, string program, IReadOnlyList<string> args, Action<string>? onLine = null)
    {
        var info = new ProcessStartInfo(Ip)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["netns", "exec", ns, program, .. args])
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                onLine?.Invoke(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                onLine?.Invoke(line);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Deletes the namespace of <paramref name="role"/> now (a phone unplugged), ending what runs in it first.</summary>
    public async Task DeleteNamespaceAsync(string role)
    {
        var name = Namespace(role);
        await EndProcessesInAsync(name).ConfigureAwait(false);
        await TryRunAsync(Ip, ["netns", "del", name]).ConfigureAwait(false);
        lock (_gate)
        {
            _namespaces.Remove(name);
        }
    }

    /// <summary>Ends every process of the lab and deletes its namespaces and directory.</summary>
    public async ValueTask DisposeAsync()
    {
        Process[] processes;
        string[] namespaces;
        lock (_gate)
        {
            processes = [.. _processes];
            namespaces = [.. _namespaces];
            _processes.Clear();
            _namespaces.Clear();
        }

        foreach (var process in processes)
        {
            await EndAsync(process).ConfigureAwait(false);
        }

        foreach (var ns in namespaces)
        {
            await EndProcessesInAsync(ns).ConfigureAwait(false);
            await TryRunAsync(Ip, ["netns", "del", ns]).ConfigureAwait(false);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Deletes the namespaces of labs whose process is gone (a run that was killed), ending what runs in them.</summary>
    public static async Task SweepLeftoversAsync(CancellationToken cancellationToken = default)
    {
        if (!CanRun)
        {
            return;
        }

        var (_, list) = await TryRunAsync(Ip, ["netns", "list"], cancellationToken).ConfigureAwait(false);
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            var match = LabName().Match(name);
            if (match.Success && int.TryParse(match.Groups[1].Value, out var pid) && !System.IO.Directory.Exists($"/proc/{pid}"))
            {
                await EndProcessesInAsync(name).ConfigureAwait(false);
                await TryRunAsync(Ip, ["netns", "del", name], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task EndProcessesInAsync(string ns)
    {
        var (_, pids) = await TryRunAsync(Ip, ["netns", "pids", ns]).ConfigureAwait(false);
        foreach (var text in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(text, out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    await EndAsync(process).ConfigureAwait(false);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="process"/> (SIGINT makes ping print and flush its summary).</summary>
    public static void Signal(Process process, int signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        _ = Kill(process.Id, signal);
    }

    private static async Task EndAsync(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            _ = Kill(process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> args, CancellationToken cancellationToken, string? input = null)
    {
        var (code, output) = await TryRunAsync(program, args, cancellationToken, input).ConfigureAwait(false);
        return code == 0
            ? output
            : throw new InvalidOperationException($"`{program} {string.Join(' ', args)}` failed ({code}): {output.Trim()}");
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex("^ag([0-9]+)x[0-9]+-")]
    private static partial Regex LabName();
}
