using System.Collections.Concurrent;
using ActorGateway.Core.Modem;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>PIN verdicts in a dictionary: survives a session actor (a gateway restart), as the file store survives a reboot.</summary>
public sealed class InMemoryPinVerdictStore : IPinVerdictStore
{
    private readonly ConcurrentDictionary<string, PinVerdict> _verdicts = new();
    private readonly ConcurrentQueue<(string Key, PinVerdict Verdict)> _saves = new();

    public IReadOnlyList<(string Key, PinVerdict Verdict)> Saves => [.. _saves];

    public PinVerdict? this[string key] => _verdicts.TryGetValue(key, out var v) ? v : null;

    /// <summary>Puts a verdict in place as an earlier run of the gateway would have left it.</summary>
    public void Put(string key, PinVerdict verdict) => _verdicts[key] = verdict;

    public Task<PinVerdict?> FindAsync(string simKey, CancellationToken cancellationToken) =>
        Task.FromResult(this[simKey]);

    public Task SaveAsync(string simKey, PinVerdict verdict, CancellationToken cancellationToken)
    {
        _verdicts[simKey] = verdict;
        _saves.Enqueue((simKey, verdict));
        return Task.CompletedTask;
    }
}
