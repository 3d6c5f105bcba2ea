using ActorGateway.Core.Io;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Service;

/// <summary>
/// Pets systemd's watchdog (<c>WatchdogSec=</c>, systemd.service(5)) only while the actor system works. Every half
/// watchdog interval (sd_watchdog_enabled(3) recommends sending at half the timeout) it asks each actor it vouches for a
/// <see cref="Liveness.Ping"/>; when every one has answered within the liveness timeout it sends <c>WATCHDOG=1</c>. A
/// wedged supervisor, a flooded mailbox or a stuck dispatcher (this actor runs on the same one) leaves the question
/// unanswered or the tick unprocessed: no ping, and systemd restarts the service when the interval runs out.
/// </summary>
public sealed class ServiceWatchdogActor : ReceiveActor, IWithTimers
{
    private const string TickTimer = "tick";
    private const string DeadlineTimer = "deadline";

    private readonly IServiceNotifier _notifier;
    private readonly IReadOnlyList<(string Name, IActorRef Actor)> _targets;
    private readonly TimeSpan _watchdog;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _waiting = [];
    private long _sequence;
    private bool _missed;

    public ServiceWatchdogActor(IServiceNotifier notifier, IReadOnlyList<(string Name, IActorRef Actor)> targets, TimeSpan watchdog, TimeSpan livenessTimeout)
    {
        _notifier = notifier;
        _targets = targets;
        _watchdog = watchdog;
        // A quarter of WatchdogSec, not sd_watchdog_enabled(3)'s usual half: with half, one round that misses its deadline
        // puts the next pet just past WatchdogSec and a single slow moment restarts the service. With a quarter, two
        // rounds in a row may miss; a third means the actor system is really stuck.
        _interval = watchdog / 4;
        _timeout = livenessTimeout < _interval ? livenessTimeout : _interval;

        Receive<Tick>(_ => Ask());
        Receive<Liveness.Pong>(m =>
        {
            if (m.Sequence != _sequence || !_waiting.Remove(Sender) || _waiting.Count > 0)
            {
                return; // a late answer to an older question, or others still to answer
            }

            Timers.Cancel(DeadlineTimer);
            _notifier.Notify(Core.Io.ServiceNotifications.Watchdog);
            if (_missed)
            {
                _missed = false;
                _log.Info("Watchdog: every supervisor answers again; petting systemd's watchdog again");
            }
        });
        Receive<Deadline>(m =>
        {
            if (m.Sequence != _sequence || _waiting.Count == 0)
            {
                return;
            }

            var silent = string.Join(", ", _targets.Where(t => _waiting.Contains(t.Actor)).Select(t => t.Name));
            _missed = true;
            _log.Error("Watchdog: {Silent} did not answer within {Timeout} s; not petting systemd's watchdog (the service is restarted if this goes on for WatchdogSec)",
                silent, _timeout.TotalSeconds);
            _waiting.Clear(); // an answer after the deadline does not count
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// A watchdog for <paramref name="targets"/> (named for the log), when <paramref name="notifier"/> is watched with
    /// <paramref name="watchdog"/> (the unit's WatchdogSec).
    /// </summary>
    public static Props Props(IServiceNotifier notifier, IReadOnlyList<(string Name, IActorRef Actor)> targets, TimeSpan watchdog, TimeSpan livenessTimeout) =>
        Akka.Actor.Props.Create(() => new ServiceWatchdogActor(notifier, targets, watchdog, livenessTimeout));

    protected override void PreStart()
    {
        _log.Info("Watchdog: systemd expects a ping every {Watchdog} s; the supervisors are asked every {Interval} s and have {Timeout} s to answer",
            _watchdog.TotalSeconds, _interval.TotalSeconds, _timeout.TotalSeconds);
        Ask();
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _interval);
    }

    private void Ask()
    {
        if (_waiting.Count > 0 && !_missed)
        {
            // The last question is still open at the next tick: the deadline message itself did not get through.
            _missed = true;
            _log.Error("Watchdog: the last liveness question is still unanswered; not petting systemd's watchdog");
        }

        _sequence++;
        _waiting.Clear();
        foreach (var (_, actor) in _targets)
        {
            _waiting.Add(actor);
            actor.Tell(new Liveness.Ping(_sequence));
        }

        if (_waiting.Count == 0)
        {
            _notifier.Notify(Core.Io.ServiceNotifications.Watchdog);
            return;
        }

        Timers.StartSingleTimer(DeadlineTimer, new Deadline(_sequence), _timeout);
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Deadline(long Sequence);
}
