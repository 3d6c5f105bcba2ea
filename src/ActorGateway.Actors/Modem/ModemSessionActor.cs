using ActorGateway.Actors.At;
using ActorGateway.Core.At;
using ActorGateway.Core.Modem;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Modem;

/// <summary>
/// Brings one modem from a silent port to CONNECT, the seed guide's steps in order: <c>AT</c>, <c>ATZ</c>
/// and the init strings, identity, the SIM PIN (sent at most once per SIM and PIN, the verdict kept
/// across reboots), network registration with signal and operator, the APN (<c>AT+CGDCONT</c>) and the
/// dial (<c>ATD*99#</c>). Each phase is one behaviour. It only talks to its <see cref="AtChannelActor"/>;
/// failures are typed exceptions its device maps to directives.
/// </summary>
public sealed class ModemSessionActor : ReceiveActor, IWithTimers
{
    private const string PhaseTimer = "phase";
    private const string DeadlineTimer = "deadline";
    private const string BootTimer = "boot";

    // V.250 S12 escape guard time is 1 s by default; a little more on each side is safe.
    private static readonly TimeSpan EscapeGuard = TimeSpan.FromMilliseconds(1100);

    // ICCID queries, most standard first: 27.007 §8.18 +CRSM READ BINARY of EF_ICCID (2FE2 = 12258),
    // then vendor commands (Huawei ^ICCID, Sierra/Telit +CCID, u-blox +CCID, Quectel +QCCID, SIMCom +ICCID).
    private static readonly string[] IccidQueries = ["AT+CRSM=176,12258,0,0,10", "AT^ICCID?", "AT+CCID", "AT+ICCID", "AT+QCCID"];

    // Remaining PIN tries: 27.007 §8.65 +CPINR first, then Huawei ^CPIN, Sierra +CPINC, Quectel +QPINC.
    private static readonly string[] PinRetryQueries = ["AT+CPINR=\"SIM PIN\"", "AT^CPIN?", "AT+CPINC?", "AT+QPINC=\"SC\""];

    // Registration in each domain (27.007 §7.2, §10.1.20, §10.1.22), then signal and operator.
    private static readonly string[] RegistrationQueries = ["AT+CREG?", "AT+CGREG?", "AT+CEREG?", "AT+CSQ", "AT+COPS?"];

    private readonly string _deviceId;
    private readonly IActorRef _at;
    private readonly ModemSessionOptions _options;
    private readonly IPinVerdictStore _verdicts;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _unsupported = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Registration> _domains = new(StringComparer.Ordinal);

    private AtCommand? _pending;
    private int _consecutiveTimeouts;
    private bool _resetTried;
    private int _probeTries;
    private bool _bootOver;
    private bool _escapeTried;
    private int _step;
    private string? _manufacturer, _model, _revision, _imei, _iccid;
    private SimVerdictKeys _simKeys = SimVerdictKeys.For(null, null, string.Empty);
    private int _iccidRetries;
    private AtResponse? _pinAnswer;
    private PinVerdict? _verdict;
    private PinRetries? _retries;
    private bool _pinSentNow;
    private Registration? _registration;
    private SignalQuality? _signal;
    private string? _operator, _technology;
    private bool _copsFormatSet;
    private bool _dataPortReady;

    // Chosen again from the device's identity once it is read (ModemSessionOptions.Rules), before the SIM step.
    private ModemProfile _profile;

    public ModemSessionActor(string deviceId, ModemProfile profile, IActorRef at, IPinVerdictStore verdicts, TimeProvider clock, ModemSessionOptions? options)
    {
        _deviceId = deviceId;
        _profile = profile;
        _at = at;
        _verdicts = verdicts;
        _clock = clock;
        _options = options ?? ModemSessionOptions.None;
        _resetTried = !_options.ModemResetAllowed;
        Waiting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string deviceId, ModemProfile profile, IActorRef at, IPinVerdictStore verdicts, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new ModemSessionActor(deviceId, profile, at, verdicts, clock, null));

    /// <summary>A session with a separate data port and/or per-device profile rules (<see cref="ModemSessionOptions"/>).</summary>
    public static Props Props(string deviceId, ModemProfile profile, IActorRef at, IPinVerdictStore verdicts, TimeProvider clock, ModemSessionOptions options) =>
        Akka.Actor.Props.Create(() => new ModemSessionActor(deviceId, profile, at, verdicts, clock, options));

    private ModemTimeouts Timeouts => _profile.Timeouts;

    protected override void PreStart() => _at.Tell(new AtChannel.Subscribe(Self));

    /// <summary>Before the line is open: the device says when it is.</summary>
    private void Waiting()
    {
        Receive<AtChannel.Ready>(_ => StartProbing());
        ReceiveUrcs();
    }

    // ---------------------------------------------------------------- probing: AT until OK

    private void StartProbing()
    {
        _probeTries = 0;
        _bootOver = false;
        _escapeTried = false;
        EnterPhase(ModemPhase.Probing);
        Become(Probing);
        Timers.StartSingleTimer(BootTimer, BootWindowOver.Instance, Timeouts.Boot);
        Send("AT", Timeouts.Probe);
    }

    private void Probing()
    {
        OnResponse(r =>
        {
            if (r.Outcome == AtOutcome.Timeout)
            {
                _probeTries++;
                if (_probeTries >= Timeouts.ProbeTries && _bootOver)
                {
                    throw new ModemUnresponsiveException(_resetTried
                        ? $"the modem did not come back after AT+CFUN=1,1 ({_probeTries} ATs unanswered)"
                        : $"no answer to AT after {_probeTries} tries in {Timeouts.Boot}");
                }

                if (_probeTries == 2 && !_escapeTried)
                {
                    // A modem that a crash left in data mode takes our ATs for payload. V.250 §6.3.x: the
                    // escape sequence, alone on the line between two guard times (S12, 1 s by default),
                    // brings it back to command mode; ATH then ends the call.
                    _escapeTried = true;
                    Timers.StartSingleTimer(PhaseTimer, EscapeStep.Plus, EscapeGuard);
                    return;
                }

                Send("AT", Timeouts.Probe);
                return;
            }

            // Any final result, even ERROR, proves something listens on this port.
            _consecutiveTimeouts = 0;
            Timers.Cancel(BootTimer);
            StartInit();
        }, countTimeouts: false);
        Receive<EscapeStep>(step =>
        {
            if (step == EscapeStep.Plus)
            {
                _log.Info("{DeviceId}: no answer to AT; trying the escape sequence +++ in case the modem is still in data mode", _deviceId);
                _at.Tell(new AtChannel.SendRaw("+++"u8.ToArray()));
                Timers.StartSingleTimer(PhaseTimer, EscapeStep.Hangup, EscapeGuard);
            }
            else
            {
                Send("ATH", Timeouts.Probe);
            }
        });
        Receive<BootWindowOver>(_ => _bootOver = true);
        ReceiveUrcs();
    }

    // ---------------------------------------------------------------- init strings

    private void StartInit()
    {
        _step = 0;
        EnterPhase(ModemPhase.Initialising);
        Become(Initialising);
        SendInitStep();
    }

    private void SendInitStep()
    {
        if (_step < _profile.Init.Count)
        {
            var text = _profile.Init[_step];
            var resets = text.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant() is "ATZ" or "AT&F" or "ATZ0" or "AT&F0";
            Send(text, resets ? Timeouts.Reset : Timeouts.Command);
        }
        else if (_step == _profile.Init.Count)
        {
            Send("AT+CMEE=1", Timeouts.Command); // numeric +CME ERROR codes (27.007 §9.1), so a wrong PIN reads as 16
        }
        else
        {
            StartIdentify();
        }
    }

    private void Initialising()
    {
        OnResponse(r =>
        {
            if (!r.IsOk && _step < _profile.Init.Count)
            {
                // wvdial gives up here; a modem that refuses one option of the init line (+FCLASS on an
                // LTE module) usually dials fine, so say it and go on.
                _log.Warning("{DeviceId}: init command {Step} answered {Answer}; going on", _deviceId, _profile.Init[_step], r.Describe());
            }

            _step++;
            SendInitStep();
        });
        ReceiveUrcs();
    }

    // ---------------------------------------------------------------- identity

    private void StartIdentify()
    {
        _step = 0;
        EnterPhase(ModemPhase.Identifying);
        Become(Identifying);
        Send("AT+CGMI", Timeouts.Command);
    }

    private void Identifying()
    {
        OnResponse(r =>
        {
            switch (_step)
            {
                case 0:
                    _manufacturer = Responses.ParseIdentity(r);
                    Send("AT+CGMM", Timeouts.Command);
                    break;
                case 1:
                    _model = Responses.ParseIdentity(r);
                    Send("AT+CGMR", Timeouts.Command);
                    break;
                case 2:
                    _revision = Responses.ParseIdentity(r);
                    Send("AT+CGSN", Timeouts.Command);
                    break;
                case 3:
                    _imei = Responses.ParseImei(r);
                    Send(IccidQueries[0], Timeouts.Command);
                    break;
                default:
                    var index = _step - 4;
                    _iccid = Responses.ParseIccid(r);
                    if (_iccid is null && r is { Outcome: AtOutcome.CmeError, ErrorCode: CmeErrors.SimBusy or CmeErrors.SimFailure }
                        && _iccidRetries++ < 5)
                    {
                        // The SIM is still starting (just after power-on or a reset): the ICCID is worth waiting for,
                        // since it is what a PIN verdict is kept under.
                        Timers.StartSingleTimer(PhaseTimer, new AskAgain(IccidQueries[index]), TimeSpan.FromSeconds(1));
                        return;
                    }

                    if (_iccid is null && index + 1 < IccidQueries.Length)
                    {
                        _step++;
                        Send(IccidQueries[index + 1], Timeouts.Command);
                        return;
                    }

                    Identified();
                    return;
            }

            _step++;
        });
        Receive<AskAgain>(m => Send(m.Command, Timeouts.Command));
        ReceiveUrcs();
    }

    private void Identified()
    {
        var identity = new ModemIdentity(_manufacturer, _model, _revision, _imei, _iccid);
        // Phones often repeat the maker in the model ("Nokia" / "Nokia C2-01"): say it once.
        var modem = _model is { } model && _manufacturer is { } maker && !model.StartsWith(maker, StringComparison.OrdinalIgnoreCase)
            ? $"{maker} {model}"
            : _model ?? _manufacturer ?? "unknown modem";
        _log.Info("{DeviceId}: {Modem} (revision {Revision}), IMEI {Imei}, SIM {Iccid}", _deviceId, modem,
            _revision ?? "?", _imei ?? "unknown", _iccid is null ? "ICCID unknown" : $"ICCID {_iccid}");
        Context.Parent.Tell(new ModemSession.Identified(identity));
        _simKeys = SimVerdictKeys.For(_iccid, _imei, _deviceId);
        ChooseProfile();
        StartSimCheck();
    }

    /// <summary>
    /// Now that IMEI and ICCID are known, the first <c>actorgateway.devices</c> rule they match gives the profile (APN,
    /// PIN, …) for the rest of the session: the SIM's own settings follow it whatever modem or port it is in.
    /// </summary>
    private void ChooseProfile()
    {
        var facts = _options.Facts with { Imei = _imei ?? _options.Facts.Imei, Iccid = _iccid };
        if (_options.Rules.Find(facts) is not { } rule || rule.Profile == _profile)
        {
            return;
        }

        _log.Info("{DeviceId}: {Name} matches ({Match}); its profile applies from the SIM step on", _deviceId, rule.Name, rule.Match.Describe());
        _profile = rule.Profile;
        Context.Parent.Tell(new ModemSession.ProfileChosen(rule.Profile, rule.Name));
    }

    // ---------------------------------------------------------------- SIM and PIN

    private void StartSimCheck()
    {
        EnterPhase(ModemPhase.CheckingSim);
        _step = 0;
        Become(CheckingSim);
        Send("AT+CPIN?", Timeouts.Command);
    }

    /// <summary>The SIM asks for its PIN: what is remembered of earlier attempts decides whether it is sent.</summary>
    private void LoadVerdict()
    {
        Become(LoadingVerdict);
        var (self, store, keys, pin) = (Self, _verdicts, _simKeys, _profile.Pin);
        Task.Run(async () =>
        {
            var found = new Dictionary<string, PinVerdict>(StringComparer.Ordinal);
            foreach (var key in keys.All)
            {
                if (await store.FindAsync(key, CancellationToken.None).ConfigureAwait(false) is { } verdict)
                {
                    found[key] = verdict;
                }
            }

            return keys.Applicable(found, pin);
        }).ContinueWith(
            t => t.IsCompletedSuccessfully ? new VerdictLoaded(t.Result) : (object)new StoreFailed(t.Exception!.GetBaseException()),
            TaskScheduler.Default).PipeTo(self);
    }

    private void LoadingVerdict()
    {
        Receive<VerdictLoaded>(m =>
        {
            _verdict = m.Verdict;
            _step = 0;
            Become(ReadingPinRetries);
            Send(PinRetryQueries[0], Timeouts.Command);
        });
        Receive<StoreFailed>(m => throw new ModemSessionException(
            $"cannot read the PIN verdicts ({m.Cause.Message}); not touching the SIM without them", m.Cause));
        ReceiveUrcs();
    }

    private void CheckingSim()
    {
        OnResponse(r =>
        {
            if (r.Outcome == AtOutcome.CmeError && r.ErrorCode == CmeErrors.SimNotInserted)
            {
                throw new SimMissingException("no SIM card (+CME ERROR: 10)");
            }

            if (r.Outcome == AtOutcome.CmeError && r.ErrorCode is CmeErrors.SimBusy or CmeErrors.SimFailure && _step++ < 10)
            {
                // The SIM is still starting up after a reset; ask again shortly.
                Timers.StartSingleTimer(PhaseTimer, AskSimAgain.Instance, TimeSpan.FromSeconds(1));
                return;
            }

            var status = Responses.ParseCpin(r)
                ?? throw new ModemCommandException($"AT+CPIN? answered {r.Describe()}");
            switch (status.Lock)
            {
                case SimLock.Ready:
                    SimIsReady();
                    break;
                case SimLock.Pin:
                    LoadVerdict();
                    break;
                case SimLock.Puk:
                    Halt("the SIM is blocked and needs its PUK (three wrong PINs); unblock it in a phone, then restart the gateway");
                    break;
                default:
                    Halt($"the SIM waits for {status.Code}, which the gateway does not enter");
                    break;
            }
        });
        Receive<AskSimAgain>(_ => Send("AT+CPIN?", Timeouts.Command));
        ReceiveUrcs();
    }

    private void ReadingPinRetries()
    {
        OnResponse(r =>
        {
            _retries = r.IsOk ? Responses.ParsePinRetries(r) : null;
            if (_retries?.Pin is null && ++_step < PinRetryQueries.Length)
            {
                Send(PinRetryQueries[_step], Timeouts.Command);
                return;
            }

            var decision = PinPolicy.Decide(_profile.Pin, _verdict, _retries?.Pin, _profile.AllowLastPinTry, _clock.GetUtcNow());
            switch (decision)
            {
                case PinDecision.Refuse refuse when refuse.NewVerdict is { } newVerdict:
                    Save(newVerdict, then: new HaltAfterSave(refuse.Reason));
                    break;
                case PinDecision.Refuse refuse:
                    Halt(refuse.Reason);
                    break;
                default:
                    // Written durably before the PIN leaves: if the gateway dies mid-attempt, the next
                    // start judges the attempt by the SIM's own counter instead of trying again blindly.
                    var pending = new PinVerdict(PinHash.Create(_profile.Pin), PinAttemptState.Pending, _retries?.Pin, null, _clock.GetUtcNow());
                    _verdict = pending;
                    Save(pending, then: SendPinAfterSave.Instance);
                    break;
            }
        });
        ReceiveUrcs();
    }

    private void Save(PinVerdict verdict, object then)
    {
        Become(SavingVerdict);
        var (self, store, keys) = (Self, _verdicts, _simKeys);
        var stamped = keys.Stamp(verdict);
        Task.Run(async () =>
        {
            // Under every key the SIM is known by, so that a later session that reads less (no ICCID) or more finds it.
            foreach (var key in keys.All)
            {
                await store.SaveAsync(key, stamped, CancellationToken.None).ConfigureAwait(false);
            }
        }).ContinueWith(
            t => t.IsCompletedSuccessfully ? then : new StoreFailed(t.Exception!.GetBaseException()),
            TaskScheduler.Default).PipeTo(self);
    }

    private void SavingVerdict()
    {
        Receive<SendPinAfterSave>(_ =>
        {
            _log.Info("{DeviceId}: the SIM asks for its PIN{TriesText}; sending the configured PIN once", _deviceId, PinPolicy.TriesText(_retries?.Pin));
            _pinSentNow = true;
            Become(SendingPin);
            Send(new AtCommand($"AT+CPIN=\"{_profile.Pin}\"", Timeouts.Pin, isSensitive: true));
        });
        Receive<HaltAfterSave>(m => Halt(m.Reason));
        Receive<ContinueAfterSave>(_ => AfterPinAccepted());
        Receive<StoreFailed>(m => throw new ModemSessionException(
            $"cannot store the PIN verdict ({m.Cause.Message}); the PIN is not sent without it", m.Cause));
        ReceiveUrcs();
    }

    private void SendingPin()
    {
        OnResponse(r =>
        {
            if (r.Outcome == AtOutcome.Timeout)
            {
                // Never sent twice: the verdict stays pending and the next session judges it by the SIM's counter.
                throw new ModemCommandException("no answer to the PIN; the attempt stays pending and is not repeated");
            }

            if (r.IsOk)
            {
                _log.Info("{DeviceId}: PIN accepted", _deviceId);
                _verdict = _verdict! with { State = PinAttemptState.Accepted, At = _clock.GetUtcNow() };
                Save(_verdict, then: ContinueAfterSave.Instance);
                return;
            }

            // Not OK. Whether it was a rejection is decided once the SIM's counter is read again.
            _step = 0;
            _pinAnswer = r;
            Become(ReadingRetriesAfterRejection);
            Send(PinRetryQueries[0], Timeouts.Command);
        }, countTimeouts: false);
        ReceiveUrcs();
    }

    private void ReadingRetriesAfterRejection()
    {
        OnResponse(r =>
        {
            var retries = r.IsOk ? Responses.ParsePinRetries(r) : null;
            if (retries?.Pin is null && retries?.Puk is null && ++_step < PinRetryQueries.Length)
            {
                Send(PinRetryQueries[_step], Timeouts.Command);
                return;
            }

            var left = retries?.Pin;
            var answer = _pinAnswer!;
            var definite = answer is { Outcome: AtOutcome.CmeError, ErrorCode: CmeErrors.IncorrectPassword or CmeErrors.SimPukRequired };
            if (!definite && left is { } now && _verdict!.TriesBefore is { } before && now >= before)
            {
                // 27.007 +CME ERROR 14 (SIM busy) and the like: the SIM did not count the attempt. The verdict stays
                // pending; the next session sees the same counter and may send the PIN then.
                throw new ModemCommandException(
                    $"the SIM answered {answer.Describe()} to the PIN without counting a try ({now} left); trying again later");
            }

            // A definite rejection, a counted try, or a counter that cannot be read: never risked again on a guess.
            _log.Error("{DeviceId}: the SIM rejected the PIN ({Answer})", _deviceId, answer.Describe());
            var rejected = _verdict! with { State = PinAttemptState.Rejected, TriesAfter = left, At = _clock.GetUtcNow() };
            _verdict = rejected;
            var reason = left == 0
                ? "PIN rejected, no tries left: the SIM now needs its PUK"
                : $"PIN rejected{PinPolicy.TriesText(left)}; it will not be sent again until the configured PIN changes";
            Save(rejected, then: new HaltAfterSave(reason));
        }, countTimeouts: false);
        ReceiveUrcs();
    }

    private void AfterPinAccepted()
    {
        // The SIM needs a moment after the PIN before it answers READY (and SIM busy meanwhile).
        _step = 0;
        Become(WaitingForSimReady);
        Send("AT+CPIN?", Timeouts.Command);
        Timers.StartSingleTimer(DeadlineTimer, SimReadyDeadline.Instance, Timeouts.Pin);
    }

    private void WaitingForSimReady()
    {
        OnResponse(r =>
        {
            if (Responses.ParseCpin(r) is { Lock: SimLock.Ready })
            {
                Timers.Cancel(DeadlineTimer);
                SimIsReady();
                return;
            }

            Timers.StartSingleTimer(PhaseTimer, AskSimAgain.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<AskSimAgain>(_ => Send("AT+CPIN?", Timeouts.Command));
        Receive<SimReadyDeadline>(_ => throw new ModemCommandException($"the SIM did not become ready within {Timeouts.Pin} after the PIN"));
        ReceiveUrcs();
    }

    private void SimIsReady()
    {
        if (!_pinSentNow && _profile.Pin.Length > 0)
        {
            ResolvePendingAttempt();
        }

        if (_pinSentNow && _profile.DisablePinLock)
        {
            Become(DisablingPinLock);
            Send(new AtCommand($"AT+CLCK=\"SC\",0,\"{_profile.Pin}\"", Timeouts.Pin, isSensitive: true));
            return;
        }

        StartRegistration();
    }

    /// <summary>
    /// The SIM is unlocked without a PIN from this session. If an attempt was in flight when the gateway
    /// last stopped, it was accepted: say so in the store, off the dial's path (the READY path never waits on disk).
    /// </summary>
    private void ResolvePendingAttempt()
    {
        var (store, keys, pin, now, log, device) = (_verdicts, _simKeys, _profile.Pin, _clock.GetUtcNow(), _log, _deviceId);
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var key in keys.All)
                {
                    if (await store.FindAsync(key, CancellationToken.None).ConfigureAwait(false) is { State: PinAttemptState.Pending } pending
                        && (pending.IccidKey is null || pending.IccidKey == keys.IccidKey)
                        && PinHash.Matches(pending.PinHash, pin))
                    {
                        await store.SaveAsync(key, pending with { State = PinAttemptState.Accepted, At = now }, CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e)
            {
                log.Warning("{Device}: could not record that the pending PIN attempt was accepted: {Error}", device, e.Message);
            }
        });
    }

    private void DisablingPinLock()
    {
        OnResponse(r =>
        {
            if (r.IsOk)
            {
                _log.Info("{DeviceId}: SIM PIN lock disabled (AT+CLCK=\"SC\",0): the SIM will not ask for it again", _deviceId);
            }
            else
            {
                _log.Warning("{DeviceId}: disabling the SIM PIN lock failed ({Answer}); not retried", _deviceId, r.Describe());
            }

            StartRegistration();
        }, countTimeouts: false);
        ReceiveUrcs();
    }

    // ---------------------------------------------------------------- registration

    private void StartRegistration()
    {
        EnterPhase(ModemPhase.Registering);
        Become(Registering);
        Timers.StartSingleTimer(DeadlineTimer, RegistrationDeadline.Instance, Timeouts.Registration);
        PollRegistration();
    }

    private void PollRegistration()
    {
        _step = 0;
        if (!_copsFormatSet)
        {
            _copsFormatSet = true;
            _step = -1;
            Send("AT+COPS=3,0", Timeouts.Command); // long alphanumeric operator names (27.007 §7.3)
            return;
        }

        SendRegistrationQuery();
    }

    private void SendRegistrationQuery()
    {
        while (_step < RegistrationQueries.Length && _unsupported.Contains(RegistrationQueries[_step]))
        {
            _step++;
        }

        if (_step < RegistrationQueries.Length)
        {
            Send(RegistrationQueries[_step], Timeouts.Command);
            return;
        }

        EvaluateRegistration();
    }

    private void Registering()
    {
        OnResponse(r =>
        {
            if (_step >= 0)
            {
                var query = RegistrationQueries[_step];
                if (r.Outcome is AtOutcome.Error or AtOutcome.CmeError && query.Contains("REG", StringComparison.Ordinal))
                {
                    // +CEREG on a 3G modem, +CGREG on an old phone: not asked again this session.
                    _unsupported.Add(query);
                }

                foreach (var line in r.Lines)
                {
                    if (Responses.ParseRegistration(line) is { } reg)
                    {
                        _domains[reg.Domain] = reg;
                    }
                }

                if (query == "AT+CSQ" && Responses.ParseCsq(r) is { } csq)
                {
                    _signal = csq;
                }

                if (query == "AT+COPS?" && Responses.ParseCops(r) is { } cops)
                {
                    _operator = cops.Name ?? _operator;
                    _technology = Responses.DescribeAccessTechnology(cops.AccessTechnology) ?? _technology;
                }
            }

            _step++;
            SendRegistrationQuery();
        });
        Receive<PollAgain>(_ => PollRegistration());
        Receive<RegistrationDeadline>(_ => throw new RegistrationTimeoutException(
            $"not registered on a network within {Timeouts.Registration} (last: {DescribeRegistration()})"));
        Receive<AtChannel.Unsolicited>(m => _pending is null && Responses.ParseRegistration(m.Line) is not null, m =>
        {
            // Between two polls a registration URC is the network's news: judge it now. The next poll would
            // only ask again, and its answer would overwrite what the URC said.
            ApplyUrc(m.Line);
            Timers.Cancel(PhaseTimer);
            EvaluateRegistration();
        });
        ReceiveUrcs();
    }

    private void EvaluateRegistration()
    {
        // Data needs the packet domain (+CGREG, or +CEREG on LTE); +CREG alone counts only on modems
        // that answer neither, such as old phones.
        var packet = _domains.Where(d => d.Key is "CGREG" or "CEREG" or "C5GREG").Select(d => d.Value).ToList();
        var candidates = packet.Count > 0 ? packet : [.. _domains.Values];
        _registration = candidates.FirstOrDefault(r => r.IsRegistered) ?? candidates.FirstOrDefault();
        if (_registration?.AccessTechnology is { } act)
        {
            _technology = Responses.DescribeAccessTechnology(act) ?? _technology;
        }

        ReportNetwork();
        if (_registration?.IsRegistered == true)
        {
            Timers.Cancel(DeadlineTimer);
            _log.Info("{DeviceId}: registered ({Roaming}) on {Operator}, {Technology}, signal {Signal}", _deviceId, _registration.IsRoaming ? "roaming" : "home",
                _operator ?? "unknown operator", _technology ?? "unknown technology",
                _signal?.Dbm is { } dbm ? $"{dbm} dBm" : "unknown");
            StartContext();
            return;
        }

        if (_registration?.State == RegistrationState.Denied)
        {
            _log.Warning("{DeviceId}: the network denies registration; still asking", _deviceId);
        }

        Timers.StartSingleTimer(PhaseTimer, PollAgain.Instance, Timeouts.RegistrationPoll);
    }

    private string DescribeRegistration() => _registration is null ? "no answer" : $"{_registration.Domain} {_registration.State}";

    // ---------------------------------------------------------------- APN and dial

    private void StartContext()
    {
        if (_profile.Apn.Length == 0)
        {
            StartDial();
            return;
        }

        EnterPhase(ModemPhase.DefiningContext);
        Become(DefiningContext);
        Send($"AT+CGDCONT={_profile.ContextId},\"{_profile.PdpType}\",\"{_profile.Apn}\"", Timeouts.Command);
    }

    private void DefiningContext()
    {
        OnResponse(r =>
        {
            if (!r.IsOk)
            {
                throw new ModemCommandException($"the modem refused the APN: AT+CGDCONT answered {r.Describe()}");
            }

            StartDial();
        });
        ReceiveUrcs();
    }

    private void StartDial()
    {
        if (_options.DataPort is not null && !_dataPortReady)
        {
            PrepareDataPort();
            return;
        }

        EnterPhase(ModemPhase.Dialing, _profile.Number);
        Become(Dialing);
        SendOnDataPort(new AtCommand($"ATD{_profile.Number}", Timeouts.Dial));
    }

    // ---------------------------------------------------------------- a separate data port

    /// <summary>
    /// A modem with a separate PPP port (Huawei's modem port beside its PCUI): V.250 settings such as &amp;D2 and &amp;C1
    /// are per port, so the data port gets <c>AT</c> and the init strings before the dial goes there.
    /// </summary>
    private void PrepareDataPort()
    {
        _step = -1;
        _probeTries = 0;
        Become(PreparingDataPort);
        SendOnDataPort(new AtCommand("AT", Timeouts.Probe));
    }

    private void PreparingDataPort()
    {
        OnResponse(r =>
        {
            if (_step < 0)
            {
                if (r.Outcome == AtOutcome.Timeout)
                {
                    if (++_probeTries >= Timeouts.ProbeTries)
                    {
                        throw new ModemCommandException($"the data port does not answer AT ({_probeTries} tries)");
                    }

                    SendOnDataPort(new AtCommand("AT", Timeouts.Probe));
                    return;
                }
            }
            else if (!r.IsOk)
            {
                _log.Warning("{DeviceId}: init command {Step} on the data port answered {Answer}; going on", _deviceId, _profile.Init[_step], r.Describe());
            }

            if (++_step < _profile.Init.Count)
            {
                var text = _profile.Init[_step];
                var resets = text.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant() is "ATZ" or "AT&F" or "ATZ0" or "AT&F0";
                SendOnDataPort(new AtCommand(text, resets ? Timeouts.Reset : Timeouts.Command));
                return;
            }

            _dataPortReady = true;
            StartDial();
        }, countTimeouts: false);
        ReceiveUrcs();
    }

    private void SendOnDataPort(AtCommand command)
    {
        _pending = command;
        (_options.DataPort ?? _at).Tell(new AtChannel.Send(command));
    }

    private void Dialing()
    {
        OnResponse(r =>
        {
            switch (r.Outcome)
            {
                case AtOutcome.Connect:
                    _log.Info("{DeviceId}: CONNECT{Detail}", _deviceId, r.Detail is { Length: > 0 } d ? " " + d : string.Empty);
                    EnterPhase(ModemPhase.Connected);
                    Become(Connected);
                    Context.Parent.Tell(new ModemSession.Connected(r.Detail));
                    break;
                case AtOutcome.Timeout:
                    throw new DialTimeoutException($"no answer to ATD{_profile.Number} within {Timeouts.Dial}");
                default:
                    _log.Warning("{DeviceId}: dial failed: {Answer}", _deviceId, r.Describe());
                    EnterPhase(ModemPhase.WaitingToRedial, r.Describe());
                    Become(WaitingToRedial);
                    Context.Parent.Tell(new ModemSession.DialFailed(r));
                    break;
            }
        }, countTimeouts: false);
        ReceiveUrcs();
    }

    private void WaitingToRedial()
    {
        Receive<ModemSession.RedialIn>(m => Timers.StartSingleTimer(PhaseTimer, Redial.Instance, m.Delay));
        Receive<Redial>(_ => StartRegistration());
        ReceiveUrcs();
    }

    private void Connected()
    {
        // The line belongs to pppd now; the device stops this session.
        ReceiveAny(_ => { });
    }

    // ---------------------------------------------------------------- modem reset

    private void ResetModem()
    {
        _resetTried = true;
        _consecutiveTimeouts = 0;
        _log.Warning("{DeviceId}: {UnresponsiveAfter} commands in a row unanswered; resetting the modem with AT+CFUN=1,1", _deviceId, _profile.UnresponsiveAfter);
        EnterPhase(ModemPhase.ResettingModem);
        Timers.Cancel(DeadlineTimer);
        Become(ResettingModemPhase);
        Send("AT+CFUN=1,1", Timeouts.Reset); // 27.007 §8.2: full functionality, with a reset first
    }

    private void ResettingModemPhase()
    {
        // Answered or not, the modem reboots; on USB its port usually vanishes and the device sees that.
        OnResponse(_ => StartProbing(), countTimeouts: false);
        ReceiveUrcs();
    }

    // ---------------------------------------------------------------- helpers

    private void Halt(string reason)
    {
        _log.Error("{DeviceId}: stopped: {Reason}", _deviceId, reason);
        Timers.CancelAll();
        Become(Connected);
        Context.Parent.Tell(new ModemSession.Halted(reason));
    }

    private void EnterPhase(ModemPhase phase, string? detail = null) =>
        Context.Parent.Tell(new ModemSession.Progress(phase, detail));

    private void Send(string text, TimeSpan timeout) => Send(new AtCommand(text, timeout));

    private void Send(AtCommand command)
    {
        _pending = command;
        _at.Tell(new AtChannel.Send(command));
    }

    /// <summary>
    /// Handles the answer to the command in flight. Timeouts count towards <see cref="ModemProfile.UnresponsiveAfter"/>;
    /// below it the same command is sent again, at it the modem is reset, and after a reset the device fails.
    /// </summary>
    private void OnResponse(Action<AtResponse> handle, bool countTimeouts = true)
    {
        Receive<AtChannel.Response>(m => ReferenceEquals(m.Command, _pending), m =>
        {
            _pending = null;
            var r = m.Result;
            if (r.Outcome == AtOutcome.Aborted)
            {
                return; // the line is going away; the device already knows
            }

            if (countTimeouts && r.Outcome == AtOutcome.Timeout)
            {
                if (++_consecutiveTimeouts < _profile.UnresponsiveAfter)
                {
                    _log.Warning("{DeviceId}: no answer to {Command}; asking again", _deviceId, m.Command.ForLog);
                    Send(m.Command);
                    return;
                }

                if (_resetTried)
                {
                    throw new ModemUnresponsiveException($"{_consecutiveTimeouts} commands unanswered even after AT+CFUN=1,1 (last: {m.Command.ForLog})");
                }

                ResetModem();
                return;
            }

            if (r.Outcome != AtOutcome.Timeout)
            {
                _consecutiveTimeouts = 0;
            }

            handle(r);
        });
        Receive<AtChannel.Response>(_ => { }); // stale answers to commands we gave up on
    }

    private void ReceiveUrcs()
    {
        Receive<AtChannel.Unsolicited>(m =>
        {
            if (ApplyUrc(m.Line))
            {
                ReportNetwork();
            }
        });
    }

    /// <summary>Takes what a URC says of the network; true when it said something.</summary>
    private bool ApplyUrc(string line)
    {
        if (Responses.ParseRegistration(line) is { } reg)
        {
            _domains[reg.Domain] = reg;
            return true;
        }

        if (Responses.ParseHuaweiRssi(line) is { } rssi)
        {
            _signal = rssi;
            return true;
        }

        if (Responses.ParseHuaweiMode(line) is { } tech)
        {
            _technology = tech;
            return true;
        }

        return false;
    }

    private void ReportNetwork() =>
        Context.Parent.Tell(new ModemSession.NetworkChanged(new NetworkState(_registration ?? _domains.Values.FirstOrDefault(), _signal, _operator, _technology)));

    private sealed record VerdictLoaded(PinVerdict? Verdict);

    private sealed record AskAgain(string Command);

    private sealed record EscapeStep(bool IsPlus)
    {
        public static readonly EscapeStep Plus = new(true);
        public static readonly EscapeStep Hangup = new(false);
    }

    private sealed record BootWindowOver
    {
        public static readonly BootWindowOver Instance = new();
    }

    private sealed record StoreFailed(Exception Cause);

    private sealed record HaltAfterSave(string Reason);

    private sealed record SendPinAfterSave
    {
        public static readonly SendPinAfterSave Instance = new();
    }

    private sealed record ContinueAfterSave
    {
        public static readonly ContinueAfterSave Instance = new();
    }

    private sealed record AskSimAgain
    {
        public static readonly AskSimAgain Instance = new();
    }

    private sealed record SimReadyDeadline
    {
        public static readonly SimReadyDeadline Instance = new();
    }

    private sealed record RegistrationDeadline
    {
        public static readonly RegistrationDeadline Instance = new();
    }

    private sealed record PollAgain
    {
        public static readonly PollAgain Instance = new();
    }

    private sealed record Redial
    {
        public static readonly Redial Instance = new();
    }
}
