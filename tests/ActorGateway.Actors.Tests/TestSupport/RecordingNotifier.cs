using ActorGateway.Core.Io;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>A service manager that only listens: every notification, with the virtual time it was sent at.</summary>
public sealed class RecordingNotifier(TimeProvider clock, TimeSpan? watchdog) : IServiceNotifier
{
    private readonly List<(string State, DateTimeOffset At)> _sent = [];
    private readonly Lock _gate = new();

    public TimeSpan? WatchdogTimeout => watchdog;

    public IReadOnlyList<(string State, DateTimeOffset At)> Sent
    {
        get { lock (_gate) { return [.. _sent]; } }
    }

    /// <summary>When each <c>WATCHDOG=1</c> was sent.</summary>
    public IReadOnlyList<DateTimeOffset> Pets => [.. Sent.Where(s => s.State == ServiceNotifications.Watchdog).Select(s => s.At)];

    public bool Notify(string state)
    {
        lock (_gate)
        {
            _sent.Add((state, clock.GetUtcNow()));
        }

        return true;
    }
}
