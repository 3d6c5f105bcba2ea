using ActorGateway.Actors.At;
using ActorGateway.Actors.Modem;
using ActorGateway.Actors.Ppp;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.At;
using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Ppp;
using ActorGateway.Core.Supervision;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Devices;

/// <summary>
/// One modem. A session of it is three children: the AT channel (which owns the serial port), the
/// modem session that brings the modem to CONNECT, and — after CONNECT — the PPP session that runs
/// pppd on the same tty. Any failure in a session ends the whole session: the children are stopped
/// (ports closed, pppd ended) and a new one starts after a backoff that doubles up to a cap and
/// starts small again after a call that lasted. A modem that stops answering even after a reset
/// fails the device itself, for the gateway to recreate; a rejected PIN halts it for good.
/// </summary>
public sealed class DeviceActor : ReceiveActor, IWithTimers
{
    private const string RetryTimer = "retry";

    private readonly StaticDevice _device;
    private readonly DeviceDependencies _deps;
    private readonly DeviceHistory _history;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _saidOnce = [];
    // Two pauses that grow apart: one for calls (failed dials, ended calls), one for sessions that
    // broke before a call (a port that vanished, a modem that did not answer), so that a string of
    // NO CARRIERs does not slow the recovery from a brown-out, nor the other way round.
    private ExponentialBackoff _redial;
    private ExponentialBackoff _restart;
    private DeviceStatus _status;
    private IActorRef? _at;
    private IActorRef? _data;
    private IActorRef? _modem;
    private IActorRef? _ppp;
    private Exception? _lastFailure;
    private string? _linkUp;
    private int _session;

    // The device's profile, or the one an actorgateway.devices rule chose once the modem said who it is.
    private ModemProfile _profile;

    public DeviceActor(StaticDevice device, DeviceDependencies deps, DeviceHistory? history = null)
    {
        _device = device;
        _deps = deps;
        _history = history ?? new DeviceHistory();
        _redial = new ExponentialBackoff(device.Profile.Redial.MinBackoff, device.Profile.Redial.MaxBackoff);
        _restart = _redial;
        _profile = device.Profile;
        var (lastError, lastErrorAt) = _history.LastError;
        _status = new DeviceStatus
        {
            Id = device.Id,
            Port = device.Port,
            DataPort = device.DataPort,
            Since = deps.Clock.GetUtcNow(),
            LastError = lastError,
            LastErrorAt = lastErrorAt,
        };
        ReceiveAlways();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(StaticDevice device, DeviceDependencies deps) =>
        Akka.Actor.Props.Create(() => new DeviceActor(device, deps, null));

    /// <summary>A device whose supervisor keeps its <paramref name="history"/> across incarnations.</summary>
    public static Props Props(StaticDevice device, DeviceDependencies deps, DeviceHistory history) =>
        Akka.Actor.Props.Create(() => new DeviceActor(device, deps, history));

    protected override void PreStart()
    {
        if (_deps.StalePppd is not { } reaper)
        {
            StartSession();
            return;
        }

        // A pppd an earlier run could not stop still holds the tty (and its lock): end it before opening anything.
        SetState(DeviceState.Starting, "looking for a pppd an earlier run left behind");
        reaper.ReapAsync($"ag-{_device.Id}", CancellationToken.None).ContinueWith(
            t => new Reaped(t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.GetBaseException().Message),
            TaskScheduler.Default).PipeTo(Self);
        Become(Reaping);
    }

    private void Reaping()
    {
        ReceiveAlways();
        Receive<Reaped>(m =>
        {
            if (m.Pid is { } pid)
            {
                _log.Warning("{DeviceId}: ended pppd {Pid}, left running on this device's link by an earlier run of the gateway", _device.Id, pid);
            }
            else if (m.Error is { } error)
            {
                _log.Warning("{DeviceId}: could not look for a leftover pppd: {Error}", _device.Id, error);
            }

            StartSession();
        });
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decide, false);

    /// <summary>The one decider for this device's children: what each failure means, and a line saying so.</summary>
    private Directive Decide(Exception e)
    {
        _lastFailure = e;
        switch (e)
        {
            case ModemUnresponsiveException:
                // Whoever owns the hardware (USB discovery) may reset it; the device itself is recreated either way.
                Context.System.EventStream.Publish(new DeviceEvents.ModemUnresponsive(_device.Id, e.Message));
                _log.Error("{DeviceId}: {Error}; the device is recreated", _device.Id, e.Message);
                return Directive.Escalate;
            case SerialPortException:
                // The power monitor ties a port that vanishes right after an under-voltage to the brown-out.
                Context.System.EventStream.Publish(new DeviceEvents.PortLost(_device.Id, e.Message));
                _log.Warning("{DeviceId}: {Error}; ending the session", _device.Id, e.Message);
                return Directive.Stop;
            case PppdExitedException exit when PppdExit.NeedsOutsideChange(exit.ExitCode):
                SayOnce($"pppd-{exit.ExitCode}", $"{_device.Id}: pppd cannot carry the call: {PppdExit.Describe(exit.ExitCode)}. " +
                    "The gateway retries with growing pauses and says this only once." + LastLines(exit));
                return Directive.Stop;
            case PppdExitedException exit:
                _log.Warning("{DeviceId}: the call ended: {Exit}{LastLines}", _device.Id, PppdExit.Describe(exit.ExitCode), LastLines(exit));
                return Directive.Stop;
            case PppdStartException:
                // Dialling again would only place calls nobody carries: wait for someone to install pppd.
                _log.Error("{DeviceId}: {Error}; no more calls until pppd can be started (install it: apt-get install ppp)", _device.Id, e.Message);
                return Directive.Stop;
            case PppSessionException or ModemSessionException:
                _log.Warning("{DeviceId}: {Error}; ending the session", _device.Id, e.Message);
                return Directive.Stop;
            default:
                _log.Error(e, "{DeviceId}: unexpected failure; ending the session", _device.Id);
                return Directive.Stop;
        }
    }

    private void StartSession()
    {
        _session++;
        _lastFailure = null;
        var profile = _profile = _device.Profile;
        var urcs = new UnsolicitedCodes(profile.ExtraUnsolicited);
        var options = new SerialPortOptions(_device.Port, profile.BaudRate, profile.FlowControl);
        _at = Context.Watch(Context.ActorOf(AtChannelActor.Props(_deps.Ports, options, urcs), $"at-{_session}"));
        if (_device.DataPort is { } dataPort)
        {
            // Opened now too, so the port is ours (and locked) for the whole session, not only from the dial on.
            _data = Context.Watch(Context.ActorOf(AtChannelActor.Props(_deps.Ports, options with { Path = dataPort }, urcs), $"data-{_session}"));
        }

        // AT+CFUN=1,1 at most once per hold time, whichever incarnation of this device sent the last one: a
        // modem that hangs again soon after a reset gets the next step instead (the device is recreated,
        // and USB discovery may reset it at USB level).
        var lastReset = _history.LastModemReset;
        var resetAllowed = lastReset is null || _deps.Clock.GetUtcNow() - lastReset >= profile.ModemResetHold;
        var sessionOptions = new ModemSessionOptions(_data, _device.Rules, _device.Facts) { ModemResetAllowed = resetAllowed };
        _modem = Context.Watch(Context.ActorOf(
            ModemSessionActor.Props(_device.Id, profile, _at, _deps.PinVerdicts, _deps.Clock, sessionOptions), $"modem-{_session}"));
        SetState(DeviceState.Starting, $"opening {_device.Port}");
        Become(InSession);
    }

    private void InSession()
    {
        ReceiveAlways();
        Receive<AtChannel.Ready>(m =>
        {
            if (m.Path == _device.Port)
            {
                _modem?.Tell(m); // the data port's Ready needs no answer: commands to it wait until it is open
            }
        });
        Receive<ModemSession.Progress>(m =>
        {
            if (m.Phase == ModemPhase.ResettingModem)
            {
                _history.ModemReset(_deps.Clock.GetUtcNow());
            }

            SetState(ToState(m.Phase), m.Detail);
        });
        Receive<AtChannel.DataMode>(_ =>
        {
            // Expected while dialling (the session's Connected follows with the detail). Anywhere else the line
            // went into data mode behind the session's back — an ATD sent from outside — and the session is over.
            if (_status.State is not (DeviceState.Dialing or DeviceState.HandingOver or DeviceState.Online))
            {
                _lastFailure = new ModemCommandException("the AT line went into data mode outside a dial (an ATD sent from outside?)");
                _log.Warning("{DeviceId}: {LastFailure}; ending the session (closing the port hangs the call up)", _device.Id, _lastFailure.Message);
                Failed(_lastFailure.Message);
                EndSession(halt: null);
            }
        });
        Receive<ModemSession.Identified>(m =>
        {
            _status = _status with
            {
                Manufacturer = m.Identity.Manufacturer,
                Model = m.Identity.Model,
                Revision = m.Identity.Revision,
                Imei = m.Identity.Imei,
            };
            Context.System.EventStream.Publish(new DeviceEvents.ModemIdentified(_device.Id, m.Identity));
        });
        Receive<ModemSession.ProfileChosen>(m => _profile = m.Profile);
        Receive<ModemSession.NetworkChanged>(m => _status = _status with
        {
            Registration = m.State.Registration is { } r ? (r.IsRegistered ? (r.IsRoaming ? "roaming" : "home") : r.State.ToString()) : _status.Registration,
            SignalDbm = m.State.Signal?.Dbm ?? _status.SignalDbm,
            SignalPercent = m.State.Signal?.Percent ?? _status.SignalPercent,
            Operator = m.State.Operator ?? _status.Operator,
            Technology = m.State.Technology ?? _status.Technology,
        });
        Receive<ModemSession.DialFailed>(m =>
        {
            var (delay, next) = _redial.Next();
            _redial = next;
            Failed($"dial failed: {m.Result.Describe()}");
            SetState(DeviceState.WaitingToRedial, $"dialling again in {Format(delay)}");
            _log.Info("{DeviceId}: dialling again in {Delay}", _device.Id, Format(delay));
            Sender.Tell(new ModemSession.RedialIn(delay));
        });
        Receive<ModemSession.Connected>(_ =>
        {
            _status = _status with { Connects = _status.Connects + 1 };
            Context.System.EventStream.Publish(new DeviceEvents.Connected(_device.Id));
            SetState(DeviceState.HandingOver, "CONNECT: handing the line to pppd");
            (_data ?? _at)?.Tell(AtChannel.ReleaseForHandover.Instance);
        });
        Receive<Serial.SerialPort.Released>(m =>
        {
            var command = PppdCommand.Build(_profile, m.Path, _device.Id, _deps.RuntimeDirectory);
            _ppp = Context.Watch(Context.ActorOf(
                PppSessionActor.Props(_device.Id, command, m.Path, _deps.Processes, _profile.Timeouts.Handover, _deps.Clock, _deps.Releases),
                $"ppp-{_session}"));
        });
        Receive<PppSession.HoldsLine>(_ =>
        {
            // pppd has its own handle on the tty: closing ours now does not drop DTR, so the call survives. With a
            // separate data port only that one goes; the AT port stays open for `actorgateway at` and the modem's reports.
            if (_data is not null)
            {
                Stop(ref _data);
            }
            else
            {
                Stop(ref _at);
                Stop(ref _modem);
            }

            _restart = _restart.Reset(); // a call is up: whatever broke sessions before is healed
            SetState(DeviceState.Online, "pppd carries the call");
        });
        Receive<PppSession.LinkChanged>(m =>
        {
            var dns = new[] { m.Link.PrimaryDns, m.Link.SecondaryDns }.Where(a => a is not null).Select(a => a!).ToList();
            _status = _status with
            {
                Interface = m.Link.Interface,
                LocalAddress = DeviceStatus.Text(m.Link.LocalAddress),
                RemoteAddress = DeviceStatus.Text(m.Link.RemoteAddress),
                Dns = [.. dns.Select(a => a.ToString())],
            };
            if (m.Link is { IsUp: true, Interface: { } ifname })
            {
                _linkUp = ifname;
                Context.System.EventStream.Publish(new UplinkEvents.PppLinkUp(_device.Id, ifname, m.Link.LocalAddress!, m.Link.RemoteAddress!, dns));
            }
        });
        Receive<ModemSession.Halted>(m =>
        {
            Failed(m.Reason);
            EndSession(halt: m.Reason);
        });
        Receive<Terminated>(m =>
        {
            if (m.ActorRef.Equals(_at) || m.ActorRef.Equals(_data) || m.ActorRef.Equals(_modem) || m.ActorRef.Equals(_ppp))
            {
                Forget(m.ActorRef);
                Failed(_lastFailure?.Message ?? "a part of the session stopped");
                EndSession(halt: _lastFailure is PppdStartException start
                    ? $"{start.Message}: no more calls until it can be started (install it: apt-get install ppp), then restart the gateway"
                    : null);
            }
        });
    }

    private void EndSession(string? halt)
    {
        PublishLinkDown(_lastFailure?.Message ?? halt ?? "the session ended");
        if (_lastFailure is PppdExitedException { ConnectedFor: var lasted } && lasted >= _profile.Redial.ResetAfter)
        {
            _redial = _redial.Reset();
        }

        Stop(ref _at);
        Stop(ref _data);
        Stop(ref _modem);
        Stop(ref _ppp);
        Become(() => Draining(halt));
        CheckDrained(halt);
    }

    private void Draining(string? halt)
    {
        ReceiveAlways();
        Receive<Terminated>(m =>
        {
            Forget(m.ActorRef);
            CheckDrained(halt);
        });
        ReceiveAny(_ => { }); // the old session's last words
    }

    private void CheckDrained(string? halt)
    {
        if (Context.GetChildren().Any())
        {
            return;
        }

        if (halt is not null)
        {
            SetState(DeviceState.Halted, halt);
            Become(Halted);
            return;
        }

        TimeSpan delay;
        if (_lastFailure is PppSessionException or DialTimeoutException || _status.State is DeviceState.Online or DeviceState.HandingOver)
        {
            (delay, _redial) = _redial.Next();
        }
        else
        {
            (delay, _restart) = _restart.Next();
        }

        SetState(DeviceState.Retrying, $"next try in {Format(delay)}");
        _log.Info("{DeviceId}: session ended; next try in {Delay}", _device.Id, Format(delay));
        Timers.StartSingleTimer(RetryTimer, Retry.Instance, delay);
        Become(WaitingToRetry);
    }

    private void WaitingToRetry()
    {
        ReceiveAlways();
        Receive<Retry>(_ => StartSession());
        ReceiveAny(_ => { });
    }

    private void Halted()
    {
        ReceiveAlways();
        ReceiveAny(_ => { });
    }

    /// <summary>What every behaviour answers: status, and AT commands from <c>actorgateway at</c>.</summary>
    private void ReceiveAlways()
    {
        Receive<Device.GetStatus>(_ => Sender.Tell(_status));
        Receive<AtChannel.Send>(m =>
        {
            if (_at is not null && (_device.DataPort is not null || _status.State is not (DeviceState.HandingOver or DeviceState.Online)))
            {
                _at.Forward(m);
                return;
            }

            var why = _status.State switch
            {
                DeviceState.Online or DeviceState.HandingOver => $"{_device.Port} carries the data call (pppd holds it)",
                DeviceState.Halted => $"the device is halted: {_status.Detail}",
                _ => $"{_device.Port} is not open now ({_status.State}: {_status.Detail})",
            };
            Sender.Tell(new AtChannel.Response(m.Command, AtResponse.Aborted(why)));
        });
    }

    protected override void PostStop() => PublishLinkDown("the device stopped");

    private void PublishLinkDown(string reason)
    {
        if (_linkUp is { } ifname)
        {
            _linkUp = null;
            Context.System.EventStream.Publish(new UplinkEvents.PppLinkDown(_device.Id, ifname, reason));
        }
    }

    private void SetState(DeviceState state, string? detail)
    {
        _status = _status with
        {
            State = state,
            Detail = detail,
            Since = state == _status.State ? _status.Since : _deps.Clock.GetUtcNow(),
        };
        if (state is DeviceState.Retrying or DeviceState.Starting)
        {
            _status = _status with { Interface = null, LocalAddress = null, RemoteAddress = null, Dns = [] };
        }
    }

    private void Failed(string reason)
    {
        var now = _deps.Clock.GetUtcNow();
        _status = _status with { LastError = reason, LastErrorAt = now };
        _history.Failed(reason, now);
    }

    private void SayOnce(string key, string message)
    {
        if (_saidOnce.Add(key))
        {
            _log.Error(message);
        }
        else
        {
            _log.Debug(message);
        }
    }

    private void Stop(ref IActorRef? child)
    {
        if (child is not null)
        {
            Context.Stop(child);
            child = null;
        }
    }

    private void Forget(IActorRef child)
    {
        if (child.Equals(_at))
        {
            _at = null;
        }
        else if (child.Equals(_data))
        {
            _data = null;
        }
        else if (child.Equals(_modem))
        {
            _modem = null;
        }
        else if (child.Equals(_ppp))
        {
            _ppp = null;
        }
    }

    private static string LastLines(PppdExitedException exit) =>
        exit.LastLines.Count == 0 ? string.Empty : $" (pppd said: {string.Join(" / ", exit.LastLines.TakeLast(4))})";

    private static string Format(TimeSpan t) => t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalSeconds:0.#} s";

    private static DeviceState ToState(ModemPhase phase) => phase switch
    {
        ModemPhase.Probing => DeviceState.Probing,
        ModemPhase.Initialising => DeviceState.Initialising,
        ModemPhase.Identifying => DeviceState.Identifying,
        ModemPhase.CheckingSim => DeviceState.CheckingSim,
        ModemPhase.Registering => DeviceState.Registering,
        ModemPhase.DefiningContext => DeviceState.DefiningContext,
        ModemPhase.Dialing => DeviceState.Dialing,
        ModemPhase.WaitingToRedial => DeviceState.WaitingToRedial,
        ModemPhase.ResettingModem => DeviceState.ResettingModem,
        ModemPhase.Connected => DeviceState.HandingOver,
        _ => DeviceState.Starting,
    };

    private sealed record Reaped(int? Pid, string? Error);

    private sealed record Retry
    {
        public static readonly Retry Instance = new();
    }
}

/// <summary>The public protocol of <see cref="DeviceActor"/>.</summary>
public static class Device
{
    /// <summary>Ask for the device's <see cref="DeviceStatus"/>.</summary>
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }
}
