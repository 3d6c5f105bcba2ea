using System.Diagnostics;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Supervision;
using ActorGateway.Core.Usb;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Usb;

/// <summary>
/// One USB device, from the moment the kernel announces it until it leaves: it waits for the device's interfaces,
/// drivers and ttys to settle, decides what it is (<see cref="UsbClassifier"/>), and acts — asks the watcher to
/// mode-switch a storage dongle, gives a switched stick a driver, hands a phone's network interface to the tethering
/// path, or probes a modem's ttys and adds it to the gateway as a device (AT port for the conversation, PPP port for the
/// call). While the modem runs it heals it: ports that change make the modem device restart on the new ones, and a modem
/// that stops answering is reset at USB level (as the watcher's ledger allows) before it is reported dead. Each phase is
/// one behaviour. <see cref="PostStop"/> takes the modem out of the gateway (closing its ports) and withdraws any
/// tethering interface.
/// </summary>
public sealed class UsbDeviceActor : ReceiveActor, IWithTimers
{
    private const string QuietTimer = "quiet";
    private const string SettleMaxTimer = "settle-max";
    private const string ResetTimer = "reset";
    private const string ProbeAgainTimer = "probe-again";

    private readonly UsbRuntime _runtime;
    private readonly string _devPath;
    private readonly string _name;
    private readonly long _detectedAt;
    private readonly UsbId? _announcedId;
    private readonly UsbId? _switchedFrom;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _published = new(StringComparer.Ordinal);
    private UsbDevice? _device;
    private UsbClassification? _classification;
    private UsbDeviceStatus? _status;
    private string? _deviceId;
    private bool _registered;
    private bool _adding;
    private bool _dead;
    private bool _bindTried;
    private bool _dirty;
    private int _probes;
    private ProbeOutcome? _outcome;
    private string? _probedShape;
    private bool _answered;
    private DateTimeOffset? _bootingSince;
    private ExponentialBackoff _probeAgain = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

    public UsbDeviceActor(UsbRuntime runtime, string devPath, long detectedAt, UsbId? announcedId, UsbId? switchedFrom)
    {
        _runtime = runtime;
        _devPath = devPath;
        _name = devPath[(devPath.LastIndexOf('/') + 1)..];
        _detectedAt = detectedAt;
        _announcedId = announcedId;
        _switchedFrom = switchedFrom;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(UsbRuntime runtime, string devPath, long detectedAt, UsbId? announcedId, UsbId? switchedFrom) =>
        Akka.Actor.Props.Create(() => new UsbDeviceActor(runtime, devPath, detectedAt, announcedId, switchedFrom));

    private UsbSettings Settings => _runtime.Settings;

    protected override void PreStart()
    {
        var started = Stopwatch.GetTimestamp();
        Context.System.EventStream.Subscribe(Self, typeof(DeviceEvents.IDeviceEvent));
        StartSettling();
        // Last, so that whoever hears it knows the settle timers are already running.
        Context.System.EventStream.Publish(new UsbEvents.DeviceAttached(_name, _announcedId, _detectedAt, started));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        if (_deviceId is { } id && (_registered || _adding || _dead))
        {
            // Unplugged (or switched away): the modem's device stops and closes its ports, or its dead entry goes. One
            // still being added is removed too: the gateway adds it before it hears this, and would keep it forever.
            _runtime.Gateway.Tell(new Gateway.Gateway.RemoveDevice(id, "its USB device left"));
        }

        Withdraw(_published.ToList());
        Context.System.EventStream.Publish(new UsbEvents.DeviceDetached(_name));
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        // The probe actors own ports; stopped, they close them. The probe's Terminated moves this actor on.
        _log.Warning("{UsbDevice}: a probe failed ({Error}); it is stopped", _name, e.Message);
        return Directive.Stop;
    }, false);

    // ---------------------------------------------------------------- settling

    private void StartSettling()
    {
        _dirty = false;
        SetStatus(UsbDeviceState.Settling, "waiting for its interfaces and ttys");
        Timers.StartSingleTimer(QuietTimer, Quiet.Instance, Settings.Settle);
        Timers.StartSingleTimer(SettleMaxTimer, Quiet.Instance, Settings.SettleMax);
        Become(Settling);
    }

    private void Settling()
    {
        Receive<UsbProtocol.Changed>(_ => Timers.StartSingleTimer(QuietTimer, Quiet.Instance, Settings.Settle));
        Receive<Quiet>(_ =>
        {
            Timers.Cancel(QuietTimer);
            Timers.Cancel(SettleMaxTimer);
            Decide();
        });
        ReceiveDeviceEvents();
    }

    private void Decide()
    {
        var device = _runtime.Usb.Sysfs.Read(_devPath);
        if (device is null)
        {
            SetStatus(UsbDeviceState.Failed, "gone from sysfs");
            Become(Idle);
            return;
        }

        _device = device;
        if (Settings.Ignore.Contains(device.Id))
        {
            Withdraw(_published.ToList());
            Ignore("listed in actorgateway.usb.ignore");
            return;
        }

        var scsi = device.Interfaces.Any(i => i.Class == 0x08) ? _runtime.Usb.Sysfs.ReadScsi(device) : null;
        var classification = _classification = UsbClassifier.Classify(device, _runtime.Usb.Database, scsi, _switchedFrom);
        Context.System.EventStream.Publish(new UsbEvents.DeviceClassified(_name, device, classification));
        Context.Parent.Tell(new UsbProtocol.Ready(device, classification));
        if (classification.Role != UsbDeviceRole.Tethering)
        {
            Withdraw(_published.ToList());
        }

        switch (classification.Role)
        {
            case UsbDeviceRole.Tethering:
                Name(then: id => Tether(id, classification));
                break;
            case UsbDeviceRole.ModeSwitch when !Settings.ModeSwitch.Enabled:
                Ignore($"{classification.Reason}, but mode switching is off (actorgateway.usb.mode-switch.enabled)");
                break;
            case UsbDeviceRole.ModeSwitch:
                _log.Info("{UsbDevice} {DeviceId}: {Reason}", _name, device.Id, classification.Reason);
                SetStatus(UsbDeviceState.Switching, $"usb_modeswitch: {classification.ModeSwitch!.Describe()}");
                Context.Parent.Tell(new UsbProtocol.RequestModeSwitch(device, classification.ModeSwitch!));
                Become(Switching);
                break;
            case UsbDeviceRole.NeedsDriver:
                BindDriver(device, classification);
                break;
            case UsbDeviceRole.Modem:
                // Resolved now, not when the config was read: a /dev/serial/by-id link appears with its device.
                var statics = Settings.StaticPorts.Select(Resolved).ToHashSet(StringComparer.Ordinal);
                var taken = classification.SerialPorts.FirstOrDefault(p => statics.Contains(Resolved(PathOf(p))));
                if (taken is not null)
                {
                    Ignore($"{PathOf(taken)} belongs to a configured static device; discovery leaves it alone");
                    break;
                }

                StartProbe(device, classification);
                break;
            default:
                Ignore(classification.Reason);
                break;
        }
    }

    /// <summary>Nothing to do now; a change (a driver bound later, tethering switched on) makes it look again.</summary>
    private void Idle()
    {
        Receive<UsbProtocol.Changed>(_ => StartSettling());
        ReceiveDeviceEvents();
    }

    private void Ignore(string reason)
    {
        _log.Debug("{UsbDevice} {UsbId}: ignored: {Reason}", _name, _device?.Id, reason);
        SetStatus(UsbDeviceState.Ignored, reason);
        Become(Idle);
    }

    private void Fail(string reason)
    {
        _log.Error("{UsbDevice} {UsbId}: {Reason}", _name, _device?.Id, reason);
        SetStatus(UsbDeviceState.Failed, reason);
        Become(Idle);
    }

    // ---------------------------------------------------------------- tethering

    private void Tether(string id, UsbClassification classification)
    {
        var now = classification.NetPorts.Select(n => n.Interface).ToHashSet(StringComparer.Ordinal);
        Withdraw([.. _published.Where(p => !now.Contains(p))]);
        foreach (var net in classification.NetPorts.Where(n => _published.Add(n.Interface)))
        {
            _log.Info("{UsbDevice} {UsbId}: {Interface} ({Driver}) goes to the tethering path as {DeviceId}", _name, _device!.Id, net.Interface, net.Driver, id);
            Context.System.EventStream.Publish(new UplinkEvents.TetheringInterfaceAppeared(id, net.Interface, net.Driver));
        }

        SetStatus(UsbDeviceState.Tethering, classification.Reason);
        Become(Idle);
    }

    private void Withdraw(IReadOnlyList<string> interfaces)
    {
        foreach (var net in interfaces)
        {
            _published.Remove(net);
            Context.System.EventStream.Publish(new UplinkEvents.TetheringInterfaceGone(_deviceId ?? _name, net));
        }
    }

    // ---------------------------------------------------------------- mode switch and driver

    private void Switching()
    {
        Receive<UsbProtocol.ModeSwitchRefused>(m => Fail(m.Reason));
        Receive<UsbProtocol.ModeSwitchTimedOut>(m =>
        {
            SetStatus(UsbDeviceState.Failed, m.Reason);
            Become(Idle);
        });
        Receive<UsbProtocol.Changed>(_ => { }); // it is on its way off the bus
        ReceiveDeviceEvents();
    }

    private void BindDriver(UsbDevice device, UsbClassification classification)
    {
        if (!Settings.BindDriver.Enabled)
        {
            Fail($"{classification.Reason}; binding a driver is off (actorgateway.usb.bind-driver.enabled)");
            return;
        }

        if (_bindTried)
        {
            Fail($"{classification.Reason}, even after new_id; is the option or usbserial module available?");
            return;
        }

        _bindTried = true;
        _log.Info("{UsbDevice} {DeviceId}: {Reason}; giving it a serial driver (new_id)", _name, device.Id, classification.Reason);
        SetStatus(UsbDeviceState.BindingDriver, classification.Reason);
        _runtime.Usb.Binder.BindAsync(device, CancellationToken.None).ContinueWith(
            t => t.IsCompletedSuccessfully ? new Bound(t.Result) : (object)new BindFailed(t.Exception?.GetBaseException().Message ?? "cancelled"),
            TaskScheduler.Default).PipeTo(Self);
        Become(Binding);
    }

    private void Binding()
    {
        Receive<Bound>(m =>
        {
            _log.Info("{UsbDevice} {UsbId}: the {Driver} driver takes it now; waiting for its ttys", _name, _device!.Id, m.Driver);
            StartSettling();
        });
        Receive<BindFailed>(m => Fail(m.Reason));
        Receive<UsbProtocol.Changed>(_ => { }); // the ttys the binding brings; read once it is done
        ReceiveDeviceEvents();
    }

    // ---------------------------------------------------------------- probing

    private void StartProbe(UsbDevice device, UsbClassification classification)
    {
        var order = classification.ProbeOrder;
        _bootingSince ??= _runtime.Devices.Clock.GetUtcNow();
        _probedShape = device.Shape();
        _outcome = null;
        SetStatus(UsbDeviceState.Probing, $"asking {string.Join(", ", order.Select(p => p.Tty))} AT");
        _log.Info("{UsbDevice} {DeviceId}: {Reason}; probing {Ports}", _name, device.Id, classification.Reason, string.Join(", ", order.Select(p => p.Tty)));
        var probe = Context.ActorOf(UsbProbeActor.Props(order, Settings.DevDirectory, _runtime.Devices.Ports,
            Settings.Probe.Timeout, Settings.Probe.Tries, Settings.Probe.BaudRate), $"probe-{++_probes}");
        Context.Watch(probe);
        Become(() => Probing(probe));
    }

    private void Probing(IActorRef probe)
    {
        Receive<ProbeOutcome>(m =>
        {
            _outcome = m;
            Context.System.EventStream.Publish(new UsbEvents.DeviceProbed(_name, m));
            _log.Info("{UsbDevice} {UsbId}: probed in {TotalMilliseconds:0} ms: {AtPort}{DataPort}", _name, _device!.Id, m.Took.TotalMilliseconds,
                m.AtPort is { } at ? $"AT on {at.Tty}" + (m.DataPort is { } data ? $", data on {data.Tty}" : string.Empty) : "no port answers AT",
                $" ({m.Describe()})");
        });
        Receive<Terminated>(m => m.ActorRef.Equals(probe), _ => AfterProbe());
        Receive<UsbProtocol.Changed>(_ => _dirty = true);
        ReceiveDeviceEvents();
    }

    private void AfterProbe()
    {
        if (_dirty && _runtime.Usb.Sysfs.Read(_devPath) is { } now && now.Shape() != _probedShape)
        {
            StartSettling(); // its ttys changed while they were probed: look again
            return;
        }

        if (_outcome?.AtPort is not { } at)
        {
            NoAnswer(_outcome);
            return;
        }

        _answered = true;
        _probeAgain = _probeAgain.Reset();

        var device = _device!;
        var facts = new DeviceFacts(device.Id, device.Serial, _outcome.Imei);
        Name(then: id =>
        {
            var rule = Settings.Devices.Find(facts);
            var modem = new StaticDevice(id, PathOf(at), rule?.Profile ?? Settings.Defaults)
            {
                DataPort = _outcome.DataPort is { } data ? PathOf(data) : null,
                Facts = facts,
                Rules = Settings.Devices,
            };
            _runtime.Gateway.Tell(new Gateway.Gateway.AddDevice(modem));
            _adding = true;
            Become(() => Registering(modem));
        });
    }

    private void Registering(StaticDevice modem)
    {
        Receive<Gateway.Gateway.DeviceAdded>(_ =>
        {
            _adding = false;
            _registered = true;
            var detail = $"{modem.Id}: AT on {modem.Port}{(modem.DataPort is { } d ? $", data on {d}" : string.Empty)}";
            SetStatus(UsbDeviceState.Modem, detail);
            Context.System.EventStream.Publish(new UsbEvents.ModemAdded(_name, modem.Id, modem.Port, modem.DataPort));
            Become(Serving);
            if (_dirty)
            {
                CheckPorts();
            }
        });
        Receive<Gateway.Gateway.DeviceNotAdded>(m =>
        {
            _adding = false;
            Fail($"the gateway did not add it: {m.Reason}");
        });
        Receive<UsbProtocol.Changed>(_ => _dirty = true);
        ReceiveDeviceEvents();
    }

    /// <summary>
    /// No tty answered. A port another program holds (ModemManager, minicom) is no reason to reset the device, and one
    /// that never answered may still be booting (some modems take 20 s, see the profile's <c>timeouts.boot</c>): both
    /// are asked again later, with backoff. Only a device that answered before, or that stayed silent for its whole
    /// boot time, is reset.
    /// </summary>
    private void NoAnswer(ProbeOutcome? outcome)
    {
        var verdicts = outcome?.Verdicts ?? [];
        var held = verdicts.Where(v => v.Kind == PortVerdictKind.Unavailable).ToList();
        var (delay, next) = _probeAgain.Next();
        if (held.Count > 0)
        {
            var who = string.Join("; ", held.Select(v => $"{v.Tty}: {v.Detail}"));
            _log.Warning("{UsbDevice} {UsbId}: no tty answers AT and {Held}; not reset for that, asked again in {Delay:0} s", _name, _device?.Id, who, delay.TotalSeconds);
            WaitToProbe(delay, next, $"{who}; asked again in {delay.TotalSeconds:0} s, never reset for that");
            return;
        }

        var booting = _runtime.Devices.Clock.GetUtcNow() - (_bootingSince ?? _runtime.Devices.Clock.GetUtcNow());
        var boot = BootTime();
        if (!_answered && booting < boot)
        {
            _log.Info("{UsbDevice} {UsbId}: no tty answers AT yet ({Verdicts}); it may still be booting ({Booting:0} s of {Boot:0} s); asked again in {Delay:0} s",
                _name, _device?.Id, outcome?.Describe() ?? "no verdict", booting.TotalSeconds, boot.TotalSeconds, delay.TotalSeconds);
            WaitToProbe(delay < boot - booting ? delay : boot - booting, next, $"no tty answers AT yet; booting for up to {boot.TotalSeconds:0} s");
            return;
        }

        Heal($"no tty answers AT ({outcome?.Describe() ?? "no verdict"})");
    }

    /// <summary>How long this device may take to answer its first AT: its profile's <c>timeouts.boot</c>.</summary>
    private TimeSpan BootTime()
    {
        var device = _device!;
        var rule = Settings.Devices.Find(new DeviceFacts(device.Id, device.Serial, _outcome?.Imei));
        return (rule?.Profile ?? Settings.Defaults).Timeouts.Boot;
    }

    private void WaitToProbe(TimeSpan delay, ExponentialBackoff next, string detail)
    {
        _probeAgain = next;
        SetStatus(UsbDeviceState.Waiting, detail);
        Timers.StartSingleTimer(ProbeAgainTimer, ProbeAgain.Instance, delay);
        Become(() =>
        {
            Receive<ProbeAgain>(_ => Decide());
            Receive<UsbProtocol.Changed>(_ =>
            {
                Timers.Cancel(ProbeAgainTimer);
                StartSettling(); // a program let go of a port, or the ttys changed: look again now
            });
            ReceiveDeviceEvents();
        });
    }

    // ---------------------------------------------------------------- a running modem

    private void Serving()
    {
        Receive<UsbProtocol.Changed>(_ => CheckPorts());
        Receive<DeviceEvents.ModemUnresponsive>(m => m.DeviceId == _deviceId, m => Heal(m.Reason));
        ReceiveDeviceEvents();
    }

    private void CheckPorts()
    {
        _dirty = false;
        if (_runtime.Usb.Sysfs.Read(_devPath) is { } now && now.Shape() != _probedShape)
        {
            _log.Info("{UsbDevice} {UsbId}: its interfaces or ttys changed; {DeviceId} restarts on what is there now", _name, now.Id, _deviceId);
            RemoveFromGateway("its ports changed", then: StartSettling);
        }
    }

    private void RemoveFromGateway(string reason, Action then)
    {
        if (!_registered || _deviceId is null)
        {
            then();
            return;
        }

        _runtime.Gateway.Tell(new Gateway.Gateway.RemoveDevice(_deviceId, reason));
        Become(() =>
        {
            Receive<Gateway.Gateway.DeviceRemoved>(m => m.Id == _deviceId, _ =>
            {
                _registered = false;
                then();
            });
            Receive<UsbProtocol.Changed>(_ => _dirty = true);
            ReceiveDeviceEvents();
        });
    }

    // ---------------------------------------------------------------- healing: USB reset, then dead

    /// <summary>
    /// The device's key in the reset ledger, fixed before it is probed (its id comes later, or never): its USB id and
    /// serial, so a renumbered device keeps its count; without a serial, its USB id and where it is plugged.
    /// </summary>
    private string LedgerKey => _device is { Serial: { Length: > 0 } serial } device ? $"{device.Id}/{serial}" : $"{_device?.Id ?? _announcedId}@{_name}";

    private void Heal(string reason)
    {
        _log.Warning("{UsbDevice} {UsbId}: {Reason}; asking for a USB reset", _name, _device?.Id, reason);
        Context.Parent.Tell(new UsbProtocol.RequestReset(LedgerKey, reason));
        Become(() => AwaitingReset(reason));
    }

    private void AwaitingReset(string reason)
    {
        Receive<UsbProtocol.ResetNow>(m => RemoveFromGateway("USB reset", then: () => Reset(m.Attempt)));
        Receive<UsbProtocol.ResetLater>(m =>
        {
            SetStatus(_registered ? UsbDeviceState.Modem : UsbDeviceState.Failed, $"{reason}; USB reset in {m.Delay.TotalSeconds:0} s (hold time)");
            Timers.StartSingleTimer(ResetTimer, new AskAgain(reason), m.Delay);
        });
        Receive<AskAgain>(m => Context.Parent.Tell(new UsbProtocol.RequestReset(LedgerKey, m.Reason)));
        Receive<UsbProtocol.ResetRefused>(m => Die($"{reason}; {m.Reason}"));
        Receive<DeviceEvents.ModemIdentified>(m => m.DeviceId == _deviceId, m =>
        {
            // It answers again (its device was recreated and got through identification): no reset needed.
            Timers.Cancel(ResetTimer);
            _log.Info("{UsbDevice}: {DeviceId} answers again; no USB reset", _name, _deviceId);
            Remember(m);
            Become(Serving);
        });
        Receive<UsbProtocol.Changed>(_ => _dirty = true);
        ReceiveDeviceEvents();
    }

    private void Reset(int attempt)
    {
        var device = _device!;
        SetStatus(UsbDeviceState.Resetting, $"USB reset {attempt} of {Settings.Reset.MaxResets}");
        _runtime.Usb.Resetter.ResetAsync(device, CancellationToken.None).ContinueWith(
            t => t.IsCompletedSuccessfully ? new ResetDone(attempt, t.Result) : (object)new ResetFailed(t.Exception?.GetBaseException().Message ?? "cancelled"),
            TaskScheduler.Default).PipeTo(Self);
        Become(() =>
        {
            Receive<ResetDone>(m =>
            {
                _log.Warning("{UsbDevice} {DeviceId}: reset at USB level ({How}), attempt {Attempt} of {MaxResets}; looking at it again", _name, device.Id, m.How, m.Attempt, Settings.Reset.MaxResets);
                Context.System.EventStream.Publish(new UsbEvents.DeviceReset(_name, LedgerKey, m.Attempt, m.How));
                _bootingSince = null; // it boots again
                _probeAgain = _probeAgain.Reset();
                StartSettling();
            });
            Receive<ResetFailed>(m => Die($"the USB reset failed: {m.Reason}"));
            Receive<UsbProtocol.Changed>(_ => { }); // the reset's own unbind and rebind; settling follows
            ReceiveDeviceEvents();
        });
    }

    private void Die(string reason)
    {
        if (_deviceId is null && _device is not null)
        {
            Name(then: _ => Die(reason)); // named like any device, so status shows it under a proper id
            return;
        }

        _dead = true;
        _log.Error("{UsbDevice} {UsbId}: dead until replugged: {Reason}", _name, _device?.Id, reason);
        SetStatus(UsbDeviceState.Dead, reason);
        var id = _deviceId ??= $"usb-{_name.Replace('.', '-')}";
        _runtime.Gateway.Tell(new Gateway.Gateway.MarkDead(id, reason));
        _registered = false;
        Context.System.EventStream.Publish(new UsbEvents.DeviceDead(_name, id, reason));
        Become(() =>
        {
            Receive<Gateway.Gateway.DeviceRemoved>(_ => { });
            Receive<UsbProtocol.Changed>(_ => { });
            ReceiveDeviceEvents();
        });
    }

    // ---------------------------------------------------------------- naming and identity

    /// <summary>Asks the watcher for the device's id (by rule, by remembered USB serial or IMEI, or a new one), then goes on.</summary>
    private void Name(Action<string> then)
    {
        if (_deviceId is { } known)
        {
            then(known);
            return;
        }

        var device = _device!;
        Context.Parent.Tell(new UsbProtocol.AssignId(_name, device, new DeviceFacts(device.Id, device.Serial, _outcome?.Imei)));
        Become(() =>
        {
            Receive<UsbProtocol.IdAssigned>(m =>
            {
                _deviceId = m.Id;
                then(m.Id);
            });
            Receive<UsbProtocol.Changed>(_ => _dirty = true);
            ReceiveDeviceEvents();
        });
    }

    private void Remember(DeviceEvents.ModemIdentified m) =>
        Context.Parent.Tell(new UsbProtocol.RememberIdentity(m.DeviceId, new DeviceFacts(_device?.Id, _device?.Serial, m.Identity.Imei)));

    /// <summary>What every behaviour does with device events: remember the IMEI the modem gave; the rest is not for it.</summary>
    private void ReceiveDeviceEvents()
    {
        Receive<DeviceEvents.ModemIdentified>(m => m.DeviceId == _deviceId, Remember);
        Receive<DeviceEvents.IDeviceEvent>(_ => { });
        Receive<Gateway.Gateway.DeviceRemoved>(_ => { });
        Receive<Quiet>(_ => { });
    }

    private string PathOf(UsbSerialPort port) => Path.Combine(Settings.DevDirectory, port.Tty);

    /// <summary>The tty <paramref name="path"/> names once its links are followed (<c>/dev/serial/by-id/…</c> → <c>/dev/ttyUSB0</c>); itself when it is no link or cannot be read.</summary>
    private static string Resolved(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return path;
        }
    }

    private void SetStatus(UsbDeviceState state, string detail)
    {
        var device = _device;
        var status = new UsbDeviceStatus(_name, device?.Id ?? _announcedId ?? default, device?.Describe() ?? _name, state, detail, _deviceId);
        if (status != _status)
        {
            _status = status;
            Context.Parent.Tell(new UsbProtocol.StatusChanged(status));
        }
    }

    private sealed record Quiet
    {
        public static readonly Quiet Instance = new();
    }

    private sealed record ProbeAgain
    {
        public static readonly ProbeAgain Instance = new();
    }

    private sealed record Bound(string Driver);

    private sealed record BindFailed(string Reason);

    private sealed record ResetDone(int Attempt, string How);

    private sealed record ResetFailed(string Reason);

    private sealed record AskAgain(string Reason);
}
