namespace ActorGateway.Simulation;

/// <summary>
/// One simulated modem or phone: a pure core with no I/O of its own. Faces (in-memory, pty) feed host bytes into its
/// <see cref="SimulatedPort"/>s and drain their output. All time comes from the injected <see cref="TimeProvider"/>:
/// delayed answers, registration, dialling and periodic URCs are <see cref="TimeProvider.CreateTimer"/> timers, so a
/// test clock drives everything. One lock guards the whole device; events are raised after it is released.
/// </summary>
public sealed partial class ModemSimulator : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly SimulatedPort[] _ports;
    private readonly List<SimTimer> _powerTimers = [];
    private readonly Queue<DialOutcome> _dialFailures = new();
    private readonly List<CommandLogEntry> _log = [];
    private readonly HashSet<SimulatedPort> _changed = [];
    private readonly SimCard _sim;
    private bool _presenceChanged;
    private ModemFaults _faults = ModemFaults.None;
    private Random? _noise;
    private bool _present;
    private bool _disposed;
    private int _incarnation;
    private SimTimer? _returnTimer;

    /// <summary>Creates a powered-on, plugged-in device.</summary>
    /// <param name="profile">The model to simulate (see <c>Profiles/</c>).</param>
    /// <param name="sim">The SIM in the slot; by default a card with the profile's ICCID/IMSI.</param>
    /// <param name="faults">Faults from the start; none by default.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default, a test clock in tests.</param>
    public ModemSimulator(ModemProfile profile, SimCard? sim = null, ModemFaults? faults = null, TimeProvider? timeProvider = null)
    {
        Profile = profile;
        _time = timeProvider ?? TimeProvider.System;
        _sim = sim ?? SimCard.ForProfile(profile);
        _ports = [.. profile.Ports.Select((p, i) => new SimulatedPort(this, p, i))];
        lock (_gate)
        {
            ApplyFaults(faults ?? ModemFaults.None);
            _present = true;
            PowerOn();
            _changed.Clear();
            _presenceChanged = false;
        }
    }

    /// <summary>Raised (outside the lock) when the device is unplugged or plugged back in; read <see cref="IsPresent"/>.</summary>
    public event Action<ModemSimulator>? PresenceChanged;

    /// <summary>The simulated model.</summary>
    public ModemProfile Profile { get; }

    /// <summary>The clock everything runs on.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The device's ttys in USB interface order.</summary>
    public IReadOnlyList<SimulatedPort> Ports => _ports;

    /// <summary>The tty that answers AT.</summary>
    public SimulatedPort AtPort => _ports.First(p => p.Role == PortRole.At);

    /// <summary>The SIM in the slot (its counters survive resets and unplugging).</summary>
    public SimCard Sim => _sim;

    /// <summary>Whether the device is on the USB bus.</summary>
    public bool IsPresent => Read(() => _present);

    /// <summary>How many times the device has powered on; a handle from an earlier incarnation is dead.</summary>
    public int Incarnation => Read(() => _incarnation);

    /// <summary>Where the data call stands.</summary>
    public CallState CallState => Read(() => _call);

    /// <summary>What ended the last call that was up, or null while none has ended.</summary>
    public CallEnd? LastCallEnd => Read(() => _lastCallEnd);

    /// <summary>Network registration status (27.007 §7.2 stat).</summary>
    public RegistrationStatus Registration => Read(() => _registration);

    /// <summary>The <c>+CSQ</c> rssi the modem reports now (99 = unknown).</summary>
    public int SignalQuality => Read(() => _rssi);

    /// <summary>The PDP contexts the host defined.</summary>
    public IReadOnlyList<PdpContext> PdpContexts => Read(() => _contexts.Values.ToArray());

    /// <summary>Every command line the host sent on any tty, oldest first, stamped by the clock.</summary>
    public IReadOnlyList<CommandLogEntry> CommandLog => Read(() => _log.ToArray());

    /// <summary>The faults in force; set it (e.g. <c>sim.Faults = sim.Faults with { Silent = true }</c>) to change them now.</summary>
    public ModemFaults Faults
    {
        get => Read(() => _faults with { DialFailures = [.. _dialFailures] });
        set => Mutate(() => ApplyFaults(value));
    }

    /// <summary>The tty named <paramref name="name"/> (e.g. <c>ttyUSB1</c>).</summary>
    public SimulatedPort GetPort(string name) =>
        _ports.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"{Profile.Name} has no port {name}.", nameof(name));

    /// <summary>The next <paramref name="count"/> dials end with <paramref name="outcome"/> instead of CONNECT.</summary>
    public void FailNextDials(DialOutcome outcome, int count = 1) => Mutate(() =>
    {
        for (var i = 0; i < count; i++)
        {
            _dialFailures.Enqueue(outcome);
        }
    });

    /// <summary>The network drops the call: NO CARRIER on the line and back to command state.</summary>
    public void DropCarrier() => Mutate(DropCarrierCore);

    /// <summary>An incoming call rings: RING on the AT ports (V.250 Table 1, code 2).</summary>
    public void Ring() => Mutate(() => EmitToAtPorts("RING", periodic: false));

    /// <summary>Sends an unsolicited result code on the AT ports now (held while a port is in online data state).</summary>
    public void InjectUrc(string text) => Mutate(() => EmitToAtPorts(text, periodic: false));

    /// <summary>Puts a URC between the next response's information text and its final result code, as real modems do.</summary>
    public void InjectUrcBeforeNextFinalResult(string text) => Mutate(() =>
    {
        foreach (var port in _ports.Where(p => p.Role == PortRole.At))
        {
            port.MidResponseUrcs.Add(text);
        }
    });

    /// <summary>Changes the signal (<c>+CSQ</c> rssi 0..31); Huawei devices report it with <c>^RSSI</c>.</summary>
    public void SetSignalQuality(int rssi)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rssi);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rssi, 31);
        Mutate(() =>
        {
            _signal = rssi;
            if (IsRegistered)
            {
                _rssi = rssi;
                EmitHuaweiReport($"^RSSI:{rssi}", periodic: false);
            }
        });
    }

    /// <summary>Unplugs the device: ports disappear, open handles fail, all modem state is lost (the SIM keeps its counters).</summary>
    public void Vanish() => Mutate(VanishCore);

    /// <summary>Plugs the device back in: a power-on with fresh modem state and the same SIM.</summary>
    public void Return() => Mutate(ReturnCore);

    /// <summary>A brown-out: the device vanishes and comes back after <paramref name="outage"/>.</summary>
    public void Brownout(TimeSpan outage) => Mutate(() => BrownoutCore(outage));

    /// <summary>Stops all timers; the device counts as unplugged for good.</summary>
    public void Dispose() => Mutate(() =>
    {
        if (_disposed)
        {
            return;
        }

        VanishCore();
        _disposed = true;
        Cancel(ref _returnTimer);
    });

    // ---- used by SimulatedPort ----

    internal Lock Gate => _gate;

    internal T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    internal int OpenPort(SimulatedPort port) => Mutate(() =>
    {
        if (!_present)
        {
            throw new IOException($"{port}: no such device");
        }

        port.OpenCount++;
        port.DtrState = true;
        _changed.Add(port);
        return _incarnation;
    });

    internal void ClosePort(SimulatedPort port, int incarnation) => Mutate(() =>
    {
        if (!_present || incarnation != _incarnation || port.OpenCount == 0)
        {
            return;
        }

        // Only the last close drops DTR, as a tty with HUPCL does; a hand-over keeps the line up.
        port.OpenCount--;
        if (port.OpenCount == 0)
        {
            port.DtrState = false;
            DtrDropped(port);
            port.ClearOutput();
        }
    });

    internal void SetDtr(SimulatedPort port, bool high) => Mutate(() =>
    {
        if (!_present || port.DtrState == high)
        {
            return;
        }

        port.DtrState = high;
        if (!high)
        {
            DtrDropped(port);
        }
    });

    internal void Receive(SimulatedPort port, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (!_present)
            {
                throw new IOException($"{port}: device gone");
            }

            ReceiveCore(port, data);
        }

        RaiseNotifications();
    }

    internal bool InjectData(SimulatedPort port, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (!_present || port.ModeState != PortMode.OnlineData || port.OpenCount == 0)
            {
                return false;
            }

            Emit(port, data);
            port.InjectedCount += data.Length;
        }

        RaiseNotifications();
        return true;
    }

    // ---- plumbing ----

    private void Mutate(Action body)
    {
        lock (_gate)
        {
            body();
        }

        RaiseNotifications();
    }

    private T Mutate<T>(Func<T> body)
    {
        T result;
        lock (_gate)
        {
            result = body();
        }

        RaiseNotifications();
        return result;
    }

    private void RaiseNotifications()
    {
        SimulatedPort[] ports;
        bool presence;
        lock (_gate)
        {
            if (_changed.Count == 0 && !_presenceChanged)
            {
                return;
            }

            ports = [.. _changed];
            _changed.Clear();
            presence = _presenceChanged;
            _presenceChanged = false;
        }

        if (presence)
        {
            PresenceChanged?.Invoke(this);
        }

        foreach (var port in ports)
        {
            port.RaiseChanged();
        }
    }

    /// <summary>Runs <paramref name="body"/> after <paramref name="due"/> under the lock; inline when the delay is zero.</summary>
    private SimTimer? Schedule(TimeSpan due, Action body, bool tiedToPower = true)
    {
        if (due <= TimeSpan.Zero)
        {
            body();
            return null;
        }

        var timer = new SimTimer { TiedToPower = tiedToPower };
        if (tiedToPower)
        {
            _powerTimers.Add(timer);
        }

        timer.Timer = _time.CreateTimer(
            _ => Mutate(() =>
            {
                if (timer.Cancelled)
                {
                    return;
                }

                timer.Cancel();
                _powerTimers.Remove(timer);
                body();
            }),
            null,
            due,
            Timeout.InfiniteTimeSpan);
        return timer;
    }

    private SimTimer SchedulePeriodic(TimeSpan period, Action body)
    {
        var timer = new SimTimer();
        _powerTimers.Add(timer);
        timer.Timer = _time.CreateTimer(
            _ => Mutate(() =>
            {
                if (!timer.Cancelled)
                {
                    body();
                }
            }),
            null,
            period,
            period);
        return timer;
    }

    private void Cancel(ref SimTimer? timer)
    {
        if (timer is null)
        {
            return;
        }

        timer.Cancel();
        _powerTimers.Remove(timer);
        timer = null;
    }

    private void ApplyFaults(ModemFaults faults)
    {
        var old = _faults;
        _faults = faults with { DialFailures = [] };
        _dialFailures.Clear();
        foreach (var outcome in faults.DialFailures)
        {
            _dialFailures.Enqueue(outcome);
        }

        if (!Equals(old.Garbage, faults.Garbage))
        {
            _noise = faults.Garbage is null ? null : new Random(faults.Garbage.Seed);
        }

        if (!_present)
        {
            return;
        }

        if (old.SimAbsent != faults.SimAbsent)
        {
            SimSlotChanged();
        }

        if (old.Registration != faults.Registration && _functionality == 1 && SimReady)
        {
            StartRegistration();
        }
    }

    private void VanishCore()
    {
        if (!_present)
        {
            return;
        }

        _present = false;
        foreach (var timer in _powerTimers)
        {
            timer.Cancel();
        }

        _powerTimers.Clear();
        _registrationTimer = _dialTimer = _flowTimer = _rssiTimer = null;
        _call = CallState.Idle;
        _callPort = null;
        foreach (var port in _ports)
        {
            port.ResetForPowerCycle();
            _changed.Add(port);
        }

        _presenceChanged = true;
    }

    private void ReturnCore()
    {
        if (_present || _disposed)
        {
            return;
        }

        Cancel(ref _returnTimer);
        _present = true;
        PowerOn();
        _presenceChanged = true;
    }

    private void BrownoutCore(TimeSpan outage)
    {
        VanishCore();
        Cancel(ref _returnTimer);
        _returnTimer = Schedule(outage, ReturnCore, tiedToPower: false);
    }

    /// <summary>Power-on: fresh modem state, the SIM re-initialised (its counters kept), registration under way.</summary>
    private void PowerOn()
    {
        _incarnation++;
        _functionality = 1;
        _operatorSelection = 0;
        _registration = RegistrationStatus.NotSearching;
        _rssi = 99;
        _signal = null;
        _unsolicitedReports = true;
        _contexts.Clear();
        _call = CallState.Idle;
        _callPort = null;
        _sim.PowerCycle();
        foreach (var port in _ports)
        {
            port.ResetForPowerCycle();
            _changed.Add(port);
            if (port.Role == PortRole.Diagnostic)
            {
                // Deterministic per port, so two runs produce the same "garbage".
                port.DiagnosticNoise = new Random(0x5EED + port.Index);
                SchedulePeriodic(Profile.DiagnosticInterval, () => EmitDiagnosticFrame(port));
            }
        }

        if (Profile.Huawei is { } huawei)
        {
            // Huawei firmware announces the SIM state and a ^BOOT line after start-up (formats as ModemManager matches them).
            Schedule(Profile.BootDelay, () =>
            {
                EmitHuaweiReport($"^SIMST:{HuaweiSimState}", periodic: false);
                EmitHuaweiReport(huawei.BootReport, periodic: true);
            });
        }

        TryStartNetwork();
    }

    private void Log(SimulatedPort port, string line) => _log.Add(new CommandLogEntry(_time.GetUtcNow(), port.Name, line));

    /// <summary>Per-line state while a command line executes.</summary>
    private sealed class LineContext(SimulatedPort port)
    {
        public SimulatedPort Port { get; } = port;

        public List<IReadOnlyList<string>> Info { get; } = [];

        /// <summary>Runs after the final result code went out (enter data mode, reset the device).</summary>
        public Action? After { get; set; }

        /// <summary>For a deferred final result: starts the work that will produce it (the dial).</summary>
        public Action? Deferred { get; set; }

        public void AddInfo(params IReadOnlyList<string> lines) => Info.Add(lines);
    }
}
