using System.Diagnostics.Metrics;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;

namespace ActorGateway.Actors.Metrics;

/// <summary>
/// The gateway's instruments (System.Diagnostics.Metrics, which OpenTelemetry and Prometheus exporters read): per device
/// its signal, state and connects; per uplink its traffic, whether it is active and healthy; failovers; restarts by the
/// supervisors; the Pi's supply. Counters are added to by <see cref="MetricsActor"/> as events happen; gauges read the
/// last sample it took (an immutable snapshot swapped whole, so an exporter's thread never sees half of one).
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters (<c>AddMeter</c>).</summary>
    public const string MeterName = "ActorGateway";

    private readonly IInterfaceCounters _interfaces;
    private readonly Counter<long> _connects;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _restarts;
    private volatile MetricsSample _sample = MetricsSample.Empty;

    public GatewayMetrics(IInterfaceCounters interfaces, string? version = null)
    {
        _interfaces = interfaces;
        Meter = new Meter(MeterName, version);
        _connects = Meter.CreateCounter<long>("actorgateway.device.connects", description: "Calls the modem answered with CONNECT");
        _failovers = Meter.CreateCounter<long>("actorgateway.uplink.failovers", description: "Times the traffic left a failed uplink for another (or none)");
        _restarts = Meter.CreateCounter<long>("actorgateway.supervisor.restarts", description: "Actors recreated by their supervisor after a failure (kind: device or uplink)");
        Meter.CreateObservableGauge("actorgateway.device.signal.dbm", () => _sample.Devices
            .Where(d => d.SignalDbm is not null)
            .Select(d => new Measurement<int>(d.SignalDbm!.Value, new KeyValuePair<string, object?>("device_id", d.Id))),
            description: "Received signal strength (AT+CSQ) in dBm");
        Meter.CreateObservableGauge("actorgateway.device.state", () => _sample.Devices
            .Select(d => new Measurement<int>(1, new KeyValuePair<string, object?>("device_id", d.Id), new KeyValuePair<string, object?>("state", Kebab(d.State.ToString())))),
            description: "1 for the state each device is in (label state)");
        Meter.CreateObservableGauge("actorgateway.uplink.active", () => _sample.Uplinks
            .Select(u => new Measurement<int>(u.Active ? 1 : 0, new KeyValuePair<string, object?>("uplink_id", u.Id))),
            description: "1 for the uplink that carries the default route and the LAN's traffic");
        Meter.CreateObservableGauge("actorgateway.uplink.healthy", () => _sample.Uplinks
            .Select(u => new Measurement<int>(u.Health == Core.Network.UplinkHealth.Up ? 1 : 0, new KeyValuePair<string, object?>("uplink_id", u.Id))),
            description: "1 while the uplink's health probes are answered");
        Meter.CreateObservableCounter("actorgateway.uplink.traffic", Traffic, unit: "By",
            description: "Bytes through each uplink's interface (direction rx or tx); starts at zero with each PPP call");
        Meter.CreateObservableGauge("actorgateway.power.under_voltage", () => _sample.Power is { Available: true } p
            ? [new Measurement<int>(p.UnderVoltageNow ? 1 : 0)]
            : Array.Empty<Measurement<int>>(),
            description: "1 while the Raspberry Pi reports under-voltage (absent on other boards)");
        Meter.CreateObservableGauge("actorgateway.power.throttled", () => _sample.Power is { Available: true } p
            ? [new Measurement<int>(p.ThrottledNow ? 1 : 0)]
            : Array.Empty<Measurement<int>>(),
            description: "1 while the Raspberry Pi is throttled or its frequency capped (absent on other boards)");
    }

    /// <summary>The meter every instrument belongs to.</summary>
    public Meter Meter { get; }

    /// <summary>The last sample of the devices, uplinks and supply.</summary>
    public MetricsSample Sample => _sample;

    /// <summary>Replaces the sample the gauges read.</summary>
    public void Update(MetricsSample sample) => _sample = sample;

    /// <summary>Adds <paramref name="count"/> (0 makes the series exist) to a device's connects.</summary>
    public void Connected(string deviceId, long count = 1) => _connects.Add(count, new KeyValuePair<string, object?>("device_id", deviceId));

    /// <summary>Counts a failover from <paramref name="from"/> to <paramref name="to"/> (none: empty).</summary>
    public void FailedOver(string? from, string? to) =>
        _failovers.Add(1, new KeyValuePair<string, object?>("from", from ?? string.Empty), new KeyValuePair<string, object?>("to", to ?? string.Empty));

    /// <summary>Counts a restart by a supervisor of a <paramref name="kind"/> (device, uplink) actor.</summary>
    public void Restarted(string kind, string id, long count = 1) =>
        _restarts.Add(count, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("id", id));

    private IEnumerable<Measurement<long>> Traffic()
    {
        foreach (var uplink in _sample.Uplinks)
        {
            if (_interfaces.Read(uplink.Interface) is not { } bytes)
            {
                continue;
            }

            var id = new KeyValuePair<string, object?>("uplink_id", uplink.Id);
            var name = new KeyValuePair<string, object?>("interface", uplink.Interface);
            yield return new Measurement<long>(bytes.Received, id, name, new KeyValuePair<string, object?>("direction", "rx"));
            yield return new Measurement<long>(bytes.Sent, id, name, new KeyValuePair<string, object?>("direction", "tx"));
        }
    }

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public void Dispose() => Meter.Dispose();
}

/// <summary>One sample of what the gauges show.</summary>
public sealed record MetricsSample(IReadOnlyList<DeviceStatus> Devices, IReadOnlyList<UplinkStatus> Uplinks, PowerStatus? Power)
{
    public static readonly MetricsSample Empty = new([], [], null);
}
