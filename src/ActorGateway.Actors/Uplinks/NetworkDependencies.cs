using System.Collections.Concurrent;
using ActorGateway.Core.Io;
using ActorGateway.Core.Network;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// The outside world of the network side, behind interfaces: short commands (ip, nft), long-running programs
/// (udhcpc, dnsmasq), link events, probes, kernel parameters, small files, the clock and the releases still
/// under way. The host gives the Linux ones; specs give fakes.
/// </summary>
public sealed record NetworkDependencies(
    ICommandRunner Commands,
    IProcessRunner Processes,
    ILinkMonitor Links,
    IUplinkProber Prober,
    ISysctl Sysctl,
    IRuntimeFiles Files,
    TimeProvider Clock,
    PendingReleases Releases);

/// <summary>
/// Releases of OS resources started in <c>PostStop</c> (a route deleted, the nft table removed, udhcpc told
/// to release its lease). <c>PostStop</c> must not block, so it starts them and tracks them here; the
/// gateway's shutdown waits for them, so that nothing the gateway set up outlives it.
/// </summary>
public sealed class PendingReleases
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    /// <summary>How many are still under way.</summary>
    public int Count => _pending.Count;

    /// <summary>Tracks <paramref name="release"/> until it ends (its failure is the releaser's to log).</summary>
    public void Track(Task release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.IsCompleted)
        {
            _ = release.Exception; // observed
            return;
        }

        _pending.TryAdd(release, 0);
        _ = release.ContinueWith(t => _pending.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Waits until every tracked release has ended, or <paramref name="timeout"/>; true when all ended.</summary>
    public async Task<bool> WhenAllAsync(TimeSpan timeout)
    {
        var deadline = Task.Delay(timeout);
        while (!_pending.IsEmpty)
        {
            var all = Task.WhenAll(_pending.Keys);
            if (await Task.WhenAny(all, deadline).ConfigureAwait(false) == deadline)
            {
                return _pending.IsEmpty;
            }
        }

        return true;
    }
}

/// <summary>
/// Runs an actor's commands one after another, in the order they were asked for (a route is added before
/// the old one is deleted; an element is removed after it was added), without the actor ever waiting.
/// </summary>
internal sealed class CommandQueue(ICommandRunner runner)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private Task _tail = Task.CompletedTask;

    /// <summary>Runs <paramref name="spec"/> after every command asked for before it.</summary>
    public Task<CommandResult> Enqueue(CommandSpec spec)
    {
        var next = _tail.ContinueWith(
            async _ =>
            {
                using var timeout = new CancellationTokenSource(CommandTimeout);
                return await runner.RunAsync(spec, timeout.Token).ConfigureAwait(false);
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default).Unwrap();
        _tail = next;
        return next;
    }

    /// <summary>Completes when every command asked for so far has ended.</summary>
    public Task Drained => _tail.ContinueWith(_ => { }, TaskScheduler.Default);
}
