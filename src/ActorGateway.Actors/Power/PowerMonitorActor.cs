using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Io;
using ActorGateway.Core.Power;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Power;

/// <summary>
/// Watches a Raspberry Pi's supply: reads the firmware's under-voltage and throttling flags (and the <c>rpi_volt</c>
/// hwmon alarm) every poll interval, logs each change, and ties the device resets an under-voltage causes to it — a
/// modem that vanishes, stops answering or is reset within the reset window of an under-voltage is reported as its
/// casualty, with the seed's advice (a powered USB hub). On a board without the sensors it says nothing, and status
/// shows no power section.
/// </summary>
public sealed class PowerMonitorActor : ReceiveActor, IWithTimers
{
    private const string PollTimer = "poll";
    private const int KeptCasualties = 10;

    private readonly PowerSettings _settings;
    private readonly IPowerSensor _sensor;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<(string What, DateTimeOffset At)> _recentResets = [];
    private readonly List<PowerCasualty> _casualties = [];
    private PowerReading? _last;
    private DateTimeOffset? _lastUnderVoltage;
    private int _underVoltageEpisodes;

    public PowerMonitorActor(PowerSettings settings, IPowerSensor sensor, TimeProvider clock)
    {
        _settings = settings;
        _sensor = sensor;
        _clock = clock;
        Receive<Poll>(_ => Read());
        Receive<UsbEvents.DeviceDetached>(m => DeviceHit($"USB device {m.Name} left the bus"));
        Receive<UsbEvents.DeviceReset>(m => DeviceHit($"{m.DeviceId} was reset at USB level ({m.How})"));
        Receive<DeviceEvents.ModemUnresponsive>(m => DeviceHit($"{m.DeviceId} stopped answering"));
        Receive<DeviceEvents.PortLost>(m => DeviceHit($"{m.DeviceId} lost its port ({m.Reason})"));
        Receive<PowerMonitor.GetStatus>(_ => Sender.Tell(Status()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PowerSettings settings, IPowerSensor sensor, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new PowerMonitorActor(settings, sensor, clock));

    protected override void PreStart()
    {
        if (_sensor.Read() is not { } first)
        {
            _log.Debug("Power: no Raspberry Pi power sensors ({Where}); not watching the supply", _sensor.Describe());
            Become(() => Receive<PowerMonitor.GetStatus>(_ => Sender.Tell(PowerStatus.NotAvailable)));
            return;
        }

        _log.Info("Power: watching the Raspberry Pi's supply flags every {Interval} s", _settings.PollInterval.TotalSeconds);
        var events = Context.System.EventStream;
        events.Subscribe(Self, typeof(UsbEvents.DeviceDetached));
        events.Subscribe(Self, typeof(UsbEvents.DeviceReset));
        events.Subscribe(Self, typeof(DeviceEvents.ModemUnresponsive));
        events.Subscribe(Self, typeof(DeviceEvents.PortLost));
        if (first.UnderVoltageOccurred && !first.UnderVoltageNow)
        {
            _log.Warning("Power: the Pi has seen under-voltage before the gateway started ({Flags}); {Advice}", Words(first), Throttle.Advice);
        }

        Apply(first);
        Timers.StartPeriodicTimer(PollTimer, Poll.Instance, _settings.PollInterval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Read()
    {
        if (_sensor.Read() is { } reading)
        {
            Apply(reading);
        }
    }

    private void Apply(PowerReading reading)
    {
        var before = _last;
        _last = reading;
        var now = _clock.GetUtcNow();

        // The sticky bit turning on between two reads is an under-voltage the reads missed, unless the last read saw one
        // going on: then it is that episode's tail (the hwmon driver clears the sticky bits every 2 s, also mid-episode).
        var newlyOccurred = before is not null && reading.UnderVoltageOccurred && !before.UnderVoltageOccurred && !before.UnderVoltageNow;
        if (reading.UnderVoltageNow || newlyOccurred)
        {
            _lastUnderVoltage = now;
        }

        if (reading.UnderVoltageNow && before?.UnderVoltageNow != true)
        {
            _underVoltageEpisodes++;
            _log.Warning("Power: under-voltage now ({Flags}); USB devices may reset. {Advice}", Words(reading), Throttle.Advice);
        }
        else if (newlyOccurred && !reading.UnderVoltageNow)
        {
            _underVoltageEpisodes++;
            _log.Warning("Power: an under-voltage happened since the last read ({Flags}). {Advice}", Words(reading), Throttle.Advice);
        }
        else if (!reading.UnderVoltageNow && before?.UnderVoltageNow == true)
        {
            _log.Info("Power: the supply voltage is back to normal");
        }

        if (reading.ThrottledNow && before?.ThrottledNow != true)
        {
            _log.Warning("Power: the Pi is throttled ({Flags})", Words(reading));
        }

        if (_lastUnderVoltage is { } uv)
        {
            // Devices that went in the window before this under-voltage was seen are its casualties too.
            foreach (var hit in _recentResets.Where(r => uv - r.At <= _settings.ResetWindow && r.At - uv <= _settings.ResetWindow).ToList())
            {
                _recentResets.Remove(hit);
                Casualty(hit.What, hit.At, uv);
            }
        }

        _recentResets.RemoveAll(r => now - r.At > _settings.ResetWindow);
    }

    private void DeviceHit(string what)
    {
        var now = _clock.GetUtcNow();
        if (_lastUnderVoltage is { } uv && now - uv <= _settings.ResetWindow)
        {
            Casualty(what, now, uv);
            return;
        }

        _recentResets.Add((what, now));
    }

    private void Casualty(string what, DateTimeOffset at, DateTimeOffset underVoltageAt)
    {
        var apart = (at - underVoltageAt).Duration();
        var text = $"{what} {apart.TotalSeconds:0} s {(at >= underVoltageAt ? "after" : "before")} the Pi reported under-voltage";
        _casualties.Add(new PowerCasualty(what, at, text));
        if (_casualties.Count > KeptCasualties)
        {
            _casualties.RemoveAt(0);
        }

        _log.Warning("Power: {What}: likely a brown-out, not a fault of the device. {Advice}", text, Throttle.Advice);
    }

    private PowerStatus Status()
    {
        var r = _last;
        return new PowerStatus
        {
            Available = r is not null,
            UnderVoltageNow = r?.UnderVoltageNow ?? false,
            UnderVoltageEarlier = r?.UnderVoltageOccurred ?? false,
            ThrottledNow = r?.ThrottledNow ?? false,
            Flags = r?.Flags is { } f ? $"0x{(int)f:x}" : null,
            Detail = r is null ? null : Words(r),
            LastUnderVoltageAt = _lastUnderVoltage,
            UnderVoltageEpisodes = _underVoltageEpisodes,
            Casualties = [.. _casualties],
            Advice = r is not null && (r.UnderVoltageNow || r.UnderVoltageOccurred || _casualties.Count > 0) ? Throttle.Advice : null,
        };
    }

    private static string Words(PowerReading r)
    {
        var words = r.Flags is { } f ? Throttle.Describe(f) : "no firmware flags";
        return r.LowVoltageAlarm == true ? $"{words}; rpi_volt in0_lcrit_alarm = 1" : words;
    }

    private sealed record Poll
    {
        public static readonly Poll Instance = new();
    }
}

/// <summary>A device reset tied to an under-voltage.</summary>
public sealed record PowerCasualty(string What, DateTimeOffset At, string Detail);

/// <summary>What <c>actorgateway status</c> shows of the supply; only on a board with the sensors.</summary>
public sealed record PowerStatus
{
    /// <summary>For a board without the sensors.</summary>
    public static readonly PowerStatus NotAvailable = new();

    public bool Available { get; init; }

    public bool UnderVoltageNow { get; init; }

    public bool UnderVoltageEarlier { get; init; }

    public bool ThrottledNow { get; init; }

    /// <summary>The firmware's bitmask as <c>vcgencmd get_throttled</c> shows it.</summary>
    public string? Flags { get; init; }

    public string? Detail { get; init; }

    public DateTimeOffset? LastUnderVoltageAt { get; init; }

    public int UnderVoltageEpisodes { get; init; }

    public IReadOnlyList<PowerCasualty> Casualties { get; init; } = [];

    public string? Advice { get; init; }
}

/// <summary>The public protocol of <see cref="PowerMonitorActor"/>.</summary>
public static class PowerMonitor
{
    /// <summary>Ask for the supply's <see cref="PowerStatus"/>.</summary>
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }
}
