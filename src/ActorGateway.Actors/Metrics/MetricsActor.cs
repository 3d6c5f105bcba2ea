using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Uplinks;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Metrics;

/// <summary>
/// Feeds <see cref="GatewayMetrics"/>: counts what the event stream says as it happens (CONNECTs, failovers, actors a
/// supervisor recreated) and samples the gateway's, the uplinks' and the supply's status every interval for the gauges.
/// It only asks and listens: a slow answer skips a sample, it never holds up the actors it asks.
/// </summary>
public sealed class MetricsActor : ReceiveActor, IWithTimers
{
    private const string SampleTimer = "sample";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(4);

    private readonly GatewayMetrics _metrics;
    private readonly IActorRef _gateway;
    private readonly IActorRef? _uplinks;
    private readonly IActorRef? _power;
    private readonly TimeSpan _interval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private bool _sampling;

    public MetricsActor(GatewayMetrics metrics, IActorRef gateway, IActorRef? uplinks, IActorRef? power, TimeSpan interval)
    {
        _metrics = metrics;
        _gateway = gateway;
        _uplinks = uplinks;
        _power = power;
        _interval = interval;

        Receive<DeviceEvents.Connected>(m => _metrics.Connected(m.DeviceId));
        Receive<DeviceEvents.Recreated>(m => _metrics.Restarted("device", m.DeviceId));
        Receive<UplinkManager.UplinkRestarted>(m => _metrics.Restarted("uplink", m.UplinkId));
        Receive<UplinkManager.Switched>(m =>
        {
            if (m.IsFailover)
            {
                _metrics.FailedOver(m.From, m.To);
            }
        });
        Receive<Sample>(_ => TakeSample());
        Receive<MetricsSample>(m =>
        {
            _sampling = false;
            foreach (var device in m.Devices.Where(d => _seen.Add(d.Id)))
            {
                _metrics.Connected(device.Id, 0); // the series exists from the first sample on, at zero
            }

            _metrics.Update(m);
        });
        Receive<Status.Failure>(m =>
        {
            _sampling = false;
            _log.Debug("Metrics: a sample was skipped: {Reason}", m.Cause.Message);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(GatewayMetrics metrics, IActorRef gateway, IActorRef? uplinks, IActorRef? power, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new MetricsActor(metrics, gateway, uplinks, power, interval));

    protected override void PreStart()
    {
        var events = Context.System.EventStream;
        events.Subscribe(Self, typeof(DeviceEvents.Connected));
        events.Subscribe(Self, typeof(DeviceEvents.Recreated));
        events.Subscribe(Self, typeof(UplinkManager.UplinkRestarted));
        events.Subscribe(Self, typeof(UplinkManager.Switched));
        TakeSample();
        Timers.StartPeriodicTimer(SampleTimer, Sample.Instance, _interval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void TakeSample()
    {
        if (_sampling)
        {
            return; // the last one is still being answered
        }

        _sampling = true;
        var (gateway, uplinks, power) = (_gateway, _uplinks, _power);
        SampleAsync(gateway, uplinks, power).PipeTo(Self);
    }

    private static async Task<MetricsSample> SampleAsync(IActorRef gateway, IActorRef? uplinks, IActorRef? power)
    {
        var devices = gateway.Ask<Gateway.Gateway.Status>(Gateway.Gateway.GetStatus.Instance, AskTimeout);
        var network = uplinks?.Ask<UplinksStatus>(UplinkManager.GetStatus.Instance, AskTimeout);
        var supply = power?.Ask<PowerStatus>(PowerMonitor.GetStatus.Instance, AskTimeout);
        return new MetricsSample(
            (await devices.ConfigureAwait(false)).Devices,
            network is null ? [] : (await network.ConfigureAwait(false)).Uplinks,
            supply is null ? null : await supply.ConfigureAwait(false));
    }

    private sealed record Sample
    {
        public static readonly Sample Instance = new();
    }
}
