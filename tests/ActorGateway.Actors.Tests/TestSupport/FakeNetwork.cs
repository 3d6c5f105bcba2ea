using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using ActorGateway.Core.Network;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>Records every ip and nft command; all succeed unless <see cref="Fail"/> says otherwise.</summary>
public sealed class FakeCommandRunner : ICommandRunner
{
    private readonly ConcurrentQueue<CommandSpec> _commands = new();

    /// <summary>Commands for which this returns true exit 2 with "RTNETLINK answers: File exists".</summary>
    public Func<CommandSpec, bool> Fail { get; set; } = _ => false;

    public IReadOnlyList<CommandSpec> Commands => [.. _commands];

    /// <summary>Every command as a person would type it (nft scripts after a '|').</summary>
    public IReadOnlyList<string> Lines => [.. _commands.Select(c => c.StandardInput is { } input ? $"{c} | {input}" : c.ToString())];

    public Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        _commands.Enqueue(spec);
        return Task.FromResult(Fail(spec) ? new CommandResult(2, string.Empty, "RTNETLINK answers: File exists") : new CommandResult(0, string.Empty, string.Empty));
    }
}

/// <summary>Link events the spec pushes, as the kernel would send them.</summary>
public sealed class FakeLinkMonitor : ILinkMonitor
{
    private readonly Channel<LinkEvent> _events = Channel.CreateUnbounded<LinkEvent>();

    public void Push(string name, bool up = true, bool carrier = true, bool exists = true, int index = 0) =>
        _events.Writer.TryWrite(new LinkEvent(name, index == 0 ? Math.Abs(name.GetHashCode(StringComparison.Ordinal) % 1000) + 2 : index, exists, exists && up, exists && carrier));

    public async IAsyncEnumerable<LinkEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }
}

/// <summary>Answers probes per interface as the spec says: answered (default) or not.</summary>
public sealed class FakeProber : IUplinkProber
{
    private readonly ConcurrentDictionary<string, bool> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Interface, ProbeTarget Target)> _probes = new();

    public IReadOnlyList<(string Interface, ProbeTarget Target)> Probes => [.. _probes];

    public void Answer(string ifname, bool answered) => _answers[ifname] = answered;

    public Task<ProbeResult> ProbeAsync(string ifname, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _probes.Enqueue((ifname, target));
        return Task.FromResult(_answers.GetValueOrDefault(ifname, true)
            ? new ProbeResult(true, TimeSpan.FromMilliseconds(23))
            : ProbeResult.TimedOut);
    }
}

/// <summary>Kernel parameters in a dictionary.</summary>
public sealed class FakeSysctl : ISysctl
{
    public ConcurrentDictionary<string, string> Values { get; } = new(StringComparer.Ordinal) { ["net.ipv4.ip_forward"] = "0" };

    public string? Read(string name) => Values.GetValueOrDefault(name);

    public void Write(string name, string value) => Values[name] = value;
}

/// <summary>Directories that are not created.</summary>
public sealed class FakeRuntimeFiles : IRuntimeFiles
{
    public ConcurrentQueue<string> Created { get; } = new();

    public void CreateDirectory(string path) => Created.Enqueue(path);
}

/// <summary>The fakes together, as <see cref="NetworkDependencies"/>.</summary>
public sealed class FakeNetwork(TimeProvider clock)
{
    private readonly List<FakeProcess> _seen = [];

    public FakeCommandRunner Commands { get; } = new();

    public FakeProcessRunner Processes { get; } = new();

    public FakeLinkMonitor Links { get; } = new();

    public FakeProber Prober { get; } = new();

    public FakeSysctl Sysctl { get; } = new();

    public FakeRuntimeFiles Files { get; } = new();

    public PendingReleases Releases { get; } = new();

    public NetworkDependencies Dependencies => new(Commands, Processes, Links, Prober, Sysctl, Files, clock, Releases);

    /// <summary>The next udhcpc started, for <paramref name="ifname"/> (others started meanwhile are kept for later).</summary>
    public Task<FakeProcess> DhcpClientAsync(string ifname, TimeSpan? timeout = null) => NextAsync(p => IsDhcpFor(p, ifname), timeout);

    /// <summary>The next dnsmasq started.</summary>
    public Task<FakeProcess> DnsmasqAsync(TimeSpan? timeout = null) => NextAsync(p => p.Spec.Program.EndsWith("dnsmasq", StringComparison.Ordinal), timeout);

    /// <summary>The next process started that <paramref name="match"/> accepts; the others are kept for later calls.</summary>
    public async Task<FakeProcess> NextAsync(Func<FakeProcess, bool> match, TimeSpan? timeout = null)
    {
        lock (_seen)
        {
            if (_seen.FirstOrDefault(match) is { } seen)
            {
                _seen.Remove(seen);
                return seen;
            }
        }

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var process = await Processes.NextStartedAsync(deadline - DateTime.UtcNow);
            if (match(process))
            {
                return process;
            }

            lock (_seen)
            {
                _seen.Add(process);
            }
        }
    }

    private static bool IsDhcpFor(FakeProcess p, string ifname) =>
        p.Spec.Program.EndsWith("udhcpc", StringComparison.Ordinal) && p.Spec.Arguments.SkipWhile(a => a != "-i").Skip(1).FirstOrDefault() == ifname;

    /// <summary>The hook line udhcpc would print for a new lease.</summary>
    public static string Bound(string address, string router, string dns = "", int lease = 3600, string evt = "bound") =>
        $"actorgateway-dhcp\t{evt}\tip={address}\tmask=24\tsubnet=255.255.255.0\trouter={router}\tdns={dns}\tlease={lease}\tserverid={router}\tmtu=";

    /// <summary>The hook line for an event without a lease.</summary>
    public static string Event(string evt) => $"actorgateway-dhcp\t{evt}\tip=\tmask=\tsubnet=\trouter=\tdns=\tlease=\tserverid=\tmtu=";
}
