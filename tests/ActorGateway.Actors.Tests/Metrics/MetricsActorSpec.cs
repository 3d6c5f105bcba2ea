using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Metrics;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using ActorGateway.Core.Network;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;
using GatewayProtocol = ActorGateway.Actors.Gateway.Gateway;

namespace ActorGateway.Actors.Tests.Metrics;

/// <summary>
/// The metrics feed: what the event stream says is counted as it happens (connects, failovers, restarts by a supervisor),
/// and the gauges show the last sample of the devices', uplinks' and supply's status. Read with a MeterListener, as an
/// exporter would; time is virtual.
/// </summary>
public sealed class MetricsActorSpec : VirtualTimeSpec
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly FakeCounters _interfaces = new();
    private readonly GatewayMetrics _metrics;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private readonly ConcurrentDictionary<string, long> _observed = new();
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new();
    private volatile GatewayProtocol.Status _devices;
    private readonly UplinksStatus _uplinks;

    public MetricsActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _metrics = new GatewayMetrics(_interfaces, "test");
        _devices = new GatewayProtocol.Status(DateTimeOffset.UnixEpoch, [
            new DeviceStatus { Id = "dongle", Port = "/dev/ttyUSB0", State = DeviceState.Online, SignalDbm = -71 },
            new DeviceStatus { Id = "phone", Port = "/dev/ttyACM0", State = DeviceState.Registering },
        ]);
        _uplinks = new UplinksStatus("ppp-dongle", "best", null, true, "eth0", [
            new UplinkStatus { Id = "ppp-dongle", Interface = "ppp0", Active = true, Health = UplinkHealth.Up },
            new UplinkStatus { Id = "backup", Interface = "usb1", Health = UplinkHealth.Down },
        ]);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _metrics.Meter))
            {
                _instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument.Name + "{" + string.Join(",", tags.ToArray().OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}")) + "}";
        if (instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal))
        {
            _observed[key] = value;
        }
        else
        {
            _counters.AddOrUpdate(key, value, (_, v) => v + value);
        }
    }

    private IReadOnlyDictionary<string, long> Observe()
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
        return new Dictionary<string, long>(_observed);
    }

    private IActorRef Start(PowerStatus? power = null)
    {
        var gateway = CreateTestProbe();
        gateway.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            sender.Tell(_devices);
            return AutoPilot.KeepRunning;
        }));
        var uplinks = CreateTestProbe();
        uplinks.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            sender.Tell(_uplinks);
            return AutoPilot.KeepRunning;
        }));
        IActorRef? supply = null;
        if (power is not null)
        {
            var p = CreateTestProbe();
            p.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
            {
                sender.Tell(power);
                return AutoPilot.KeepRunning;
            }));
            supply = p;
        }

        var actor = Sys.ActorOf(MetricsActor.Props(_metrics, gateway, uplinks, supply, Interval), "metrics");
        AwaitCondition(() => _metrics.Sample.Devices.Count > 0, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));
        return actor;
    }

    [Fact]
    public void MetricsActor_should_show_each_device_signal_and_state_and_each_uplink()
    {
        Start();

        var observed = Observe();

        Assert.Equal(-71, observed["actorgateway.device.signal.dbm{device_id=dongle}"]);
        Assert.False(observed.ContainsKey("actorgateway.device.signal.dbm{device_id=phone}")); // no reading yet: no value, not a made-up one
        Assert.Equal(1, observed["actorgateway.device.state{device_id=dongle,state=online}"]);
        Assert.Equal(1, observed["actorgateway.device.state{device_id=phone,state=registering}"]);
        Assert.Equal(1, observed["actorgateway.uplink.active{uplink_id=ppp-dongle}"]);
        Assert.Equal(0, observed["actorgateway.uplink.active{uplink_id=backup}"]);
        Assert.Equal(1, observed["actorgateway.uplink.healthy{uplink_id=ppp-dongle}"]);
        Assert.Equal(0, observed["actorgateway.uplink.healthy{uplink_id=backup}"]);
        Assert.DoesNotContain(observed.Keys, k => k.StartsWith("actorgateway.power", StringComparison.Ordinal)); // not a Pi
        // The connect counters exist from the first sample, at zero.
        Assert.Equal(0, _counters["actorgateway.device.connects{device_id=dongle}"]);
        Assert.Equal(0, _counters["actorgateway.device.connects{device_id=phone}"]);
    }

    [Fact]
    public void MetricsActor_should_follow_a_new_state_at_the_next_sample()
    {
        var actor = Start();
        _devices = _devices with
        {
            Devices = [_devices.Devices[0] with { State = DeviceState.Retrying, SignalDbm = -99 }, _devices.Devices[1]],
        };

        Advance(Interval);
        AwaitCondition(() => _metrics.Sample.Devices[0].State == DeviceState.Retrying, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));
        Settle(actor);

        var observed = Observe();
        Assert.Equal(1, observed["actorgateway.device.state{device_id=dongle,state=retrying}"]);
        Assert.False(observed.ContainsKey("actorgateway.device.state{device_id=dongle,state=online}"));
        Assert.Equal(-99, observed["actorgateway.device.signal.dbm{device_id=dongle}"]);
    }

    [Fact]
    public void MetricsActor_should_count_connects_failovers_and_restarts_from_the_event_stream()
    {
        var actor = Start();

        Sys.EventStream.Publish(new DeviceEvents.Connected("dongle"));
        Sys.EventStream.Publish(new DeviceEvents.Connected("dongle"));
        Sys.EventStream.Publish(new DeviceEvents.Recreated("phone", "modem does not answer"));
        Sys.EventStream.Publish(new UplinkManager.UplinkRestarted("backup"));
        Sys.EventStream.Publish(new UplinkManager.Switched("ppp-dongle", "backup", "ppp-dongle is down", IsFailover: true));
        Sys.EventStream.Publish(new UplinkManager.Switched("backup", "ppp-dongle", "failback", IsFailover: false));
        Sys.EventStream.Publish(new UplinkManager.Switched(null, "ppp-dongle", "first uplink", IsFailover: false));
        Settle(actor);

        Assert.Equal(2, _counters["actorgateway.device.connects{device_id=dongle}"]);
        Assert.Equal(0, _counters["actorgateway.device.connects{device_id=phone}"]);
        Assert.Equal(1, _counters["actorgateway.supervisor.restarts{id=phone,kind=device}"]);
        Assert.Equal(1, _counters["actorgateway.supervisor.restarts{id=backup,kind=uplink}"]);
        Assert.Equal(1, _counters["actorgateway.uplink.failovers{from=ppp-dongle,to=backup}"]); // a failback is not a failover
        Assert.Single(_counters.Keys, k => k.StartsWith("actorgateway.uplink.failovers", StringComparison.Ordinal));
    }

    [Fact]
    public void MetricsActor_should_show_the_bytes_through_each_uplink_interface()
    {
        _interfaces.Set("ppp0", 123_456, 7_890);
        Start();

        var observed = Observe();

        Assert.Equal(123_456, observed["actorgateway.uplink.traffic{direction=rx,interface=ppp0,uplink_id=ppp-dongle}"]);
        Assert.Equal(7_890, observed["actorgateway.uplink.traffic{direction=tx,interface=ppp0,uplink_id=ppp-dongle}"]);
        Assert.DoesNotContain(observed.Keys, k => k.Contains("interface=usb1", StringComparison.Ordinal)); // no such interface now
        Assert.Equal("By", _instruments["actorgateway.uplink.traffic"].Unit); // bytes in UCUM: Prometheus shows ..._bytes_total
    }

    [Fact]
    public void MetricsActor_should_show_the_supply_on_a_Pi()
    {
        Start(new PowerStatus { Available = true, UnderVoltageNow = true, ThrottledNow = false });
        AwaitCondition(() => _metrics.Sample.Power is not null, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));

        var observed = Observe();

        Assert.Equal(1, observed["actorgateway.power.under_voltage{}"]);
        Assert.Equal(0, observed["actorgateway.power.throttled{}"]);
    }

    protected override void AfterAll()
    {
        _listener.Dispose();
        _metrics.Dispose();
        base.AfterAll();
    }

    private sealed class FakeCounters : IInterfaceCounters
    {
        private readonly ConcurrentDictionary<string, InterfaceBytes> _bytes = new();

        public void Set(string name, long rx, long tx) => _bytes[name] = new InterfaceBytes(rx, tx);

        public InterfaceBytes? Read(string interfaceName) => _bytes.TryGetValue(interfaceName, out var b) ? b : null;
    }
}
