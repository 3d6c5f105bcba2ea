using ActorGateway.Core.Network;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// Probes one uplink through its own interface: one round per interval (shorter while it carries the
/// traffic, longer while it waits), each round one target in turn, so that one dead target alone never
/// brings a working uplink down. The rounds feed the pure <see cref="HealthMonitor"/>; a change of health
/// goes to the parent with its reason. No targets: the uplink is judged by hard signals alone.
/// </summary>
public sealed class HealthProbeActor : ReceiveActor, IWithTimers
{
    private const string RoundTimer = "round";

    private readonly string _uplinkId;
    private readonly string _interface;
    private readonly HealthSettings _settings;
    private readonly IUplinkProber _prober;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stop = new();
    private HealthState _state = HealthState.Initial;
    private bool _active;
    private int _round;

    public HealthProbeActor(string uplinkId, string ifname, HealthSettings settings, IUplinkProber prober, bool active)
    {
        _uplinkId = uplinkId;
        _interface = ifname;
        _settings = settings;
        _prober = prober;
        _active = active;

        Receive<Round>(_ => StartRound());
        Receive<RoundDone>(Judge);
        Receive<HealthProbe.SetPace>(m =>
        {
            if (m.Active != _active && _settings.Targets.Count > 0)
            {
                _active = m.Active;
                Timers.StartPeriodicTimer(RoundTimer, Round.Instance, Interval);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string uplinkId, string ifname, HealthSettings settings, IUplinkProber prober, bool active) =>
        Akka.Actor.Props.Create(() => new HealthProbeActor(uplinkId, ifname, settings, prober, active));

    private TimeSpan Interval => _active ? _settings.Interval : _settings.StandbyInterval;

    protected override void PreStart()
    {
        if (_settings.Targets.Count == 0)
        {
            Context.Parent.Tell(new HealthProbe.Changed(new HealthChange(UplinkHealth.Unknown, UplinkHealth.Up, "no probe targets: judged by hard signals only")));
            return;
        }

        StartRound(); // the first round now: a new uplink should not wait a whole interval
        Timers.StartPeriodicTimer(RoundTimer, Round.Instance, Interval);
    }

    protected override void PostStop() => _stop.Cancel();

    private void StartRound()
    {
        var round = ++_round;
        var target = _settings.Targets[(round - 1) % _settings.Targets.Count];
        Task<ProbeResult> probe;
        try
        {
            probe = _prober.ProbeAsync(_interface, target, _settings.Timeout, _stop.Token);
        }
        catch (Exception e)
        {
            probe = Task.FromException<ProbeResult>(e);
        }

        probe.ContinueWith(
            t => new RoundDone(round, target, t.IsCompletedSuccessfully
                ? t.Result
                : new ProbeResult(false, TimeSpan.Zero, t.Exception?.GetBaseException().Message ?? "cancelled")),
            TaskScheduler.Default).PipeTo(Self);
    }

    private void Judge(RoundDone m)
    {
        Context.Parent.Tell(new HealthProbe.Probed(m.Target, m.Result));
        var (state, change) = HealthMonitor.Apply(_state, m.Result.Answered, _settings.Thresholds);
        _state = state;
        if (change is not null)
        {
            var last = m.Result.Answered ? string.Empty : $" (last: {m.Target}: {m.Result.Problem})";
            _log.Info("{UplinkId} is {Unhealthy}: probes through {Interface}: {Reason}{Last}", _uplinkId, change.To == UplinkHealth.Up ? "healthy" : "unhealthy", _interface, change.Reason, last);
            Context.Parent.Tell(new HealthProbe.Changed(change with { Reason = change.Reason + last }));
        }
    }

    private sealed record Round
    {
        public static readonly Round Instance = new();
    }

    private sealed record RoundDone(int Round, ProbeTarget Target, ProbeResult Result);
}

/// <summary>The protocol of <see cref="HealthProbeActor"/>.</summary>
public static class HealthProbe
{
    /// <summary>From the parent: the uplink became active (probe at the active pace) or standby.</summary>
    public sealed record SetPace(bool Active);

    /// <summary>To the parent: the health changed.</summary>
    public sealed record Changed(HealthChange Change);

    /// <summary>To the parent: one round's result, for status.</summary>
    public sealed record Probed(ProbeTarget Target, ProbeResult Result);
}
