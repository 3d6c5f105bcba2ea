using System.Collections;
using ActorGateway.Actors.At;
using ActorGateway.Actors.Modem;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Core.At;
using ActorGateway.Core.Modem;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Modem;

public sealed class ModemSessionActorSpec : VirtualTimeSpec
{
    private const string DeviceId = "dongle";
    private const string Pin = "4711";
    private const string Iccid = "89441000301234567890";
    private const string Imei = "861234027654329";
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private readonly InMemoryPinVerdictStore _store = new();
    private readonly TestProbe _at;
    private readonly TestProbe _parent;

    public ModemSessionActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _at = CreateTestProbe("at");
        _parent = CreateTestProbe("parent");
    }

    private static ModemProfile Profile => new() { Apn = "internet" };

    private static ModemProfile PinProfile => Profile with { Pin = Pin };

    [Fact]
    public void ModemSession_should_run_the_seed_guide_sequence_and_report_connected()
    {
        StartSession(Profile);

        Ok("AT");
        Ok("ATZ");
        Ok("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0");
        Ok("AT+CMEE=1");
        Ok("AT+CGMI", "huawei");
        Ok("AT+CGMM", "E367");
        Ok("AT+CGMR", "21.157.01.00.00");
        Ok("AT+CGSN", Imei);
        Ok("AT+CRSM=176,12258,0,0,10", $"+CRSM: 144,0,\"{EfIccid(Iccid)}\"");
        Ok("AT+CPIN?", "+CPIN: READY");
        Ok("AT+COPS=3,0");
        Ok("AT+CREG?", "+CREG: 0,1");
        Ok("AT+CGREG?", "+CGREG: 0,1");
        Ok("AT+CEREG?", "+CEREG: 0,0");
        Ok("AT+CSQ", "+CSQ: 21,99");
        Ok("AT+COPS?", "+COPS: 0,0,\"Test Network\",2");
        Ok("AT+CGDCONT=1,\"IP\",\"internet\"");
        Answer("ATD*99#", new AtResponse(AtOutcome.Connect, [], Detail: "7200000"));

        var seen = new ArrayList();
        var connected = _parent.FishForMessage<ModemSession.Connected>(_ => true, seen);
        Assert.Equal("7200000", connected.Detail);
        _at.ExpectNoMsg(Quiet);

        var phases = seen.OfType<ModemSession.Progress>().Select(p => p.Phase).ToList();
        Assert.Equal(
            [ModemPhase.Probing, ModemPhase.Initialising, ModemPhase.Identifying, ModemPhase.CheckingSim, ModemPhase.Registering,
                ModemPhase.DefiningContext, ModemPhase.Dialing, ModemPhase.Connected],
            phases);
        var identity = seen.OfType<ModemSession.Identified>().Single().Identity;
        Assert.Equal(new ModemIdentity("huawei", "E367", "21.157.01.00.00", Imei, Iccid), identity);
        var network = seen.OfType<ModemSession.NetworkChanged>().Last().State;
        Assert.True(network.Registration!.IsRegistered);
        Assert.Equal("Test Network", network.Operator);
        Assert.Equal(-71, network.Signal!.Dbm);
        Assert.Equal("UMTS", network.Technology);
    }

    [Fact]
    public void ModemSession_should_go_on_when_an_init_command_is_refused_and_say_which()
    {
        var logs = CaptureLogs();
        StartSession(Profile);
        Ok("AT");
        Ok("ATZ");
        Answer("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", new AtResponse(AtOutcome.Error, []));
        Ok("AT+CMEE=1");
        ExpectCommand("AT+CGMI");

        AwaitAssert(() => Assert.Contains(logs.Events, e => e is Warning
            && e.Message.ToString()!.Contains("init command ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0 answered ERROR", StringComparison.Ordinal)));
    }

    [Fact]
    public void ModemSession_should_send_the_pin_exactly_once_and_go_on_when_it_is_accepted()
    {
        var logs = CaptureLogs();
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Ok($"AT+CPIN=\"{Pin}\"");
        Ok("AT+CPIN?", "+CPIN: READY");
        ExpectCommand("AT+COPS=3,0");

        var verdict = _store[SimKey].Required();
        Assert.Equal(PinAttemptState.Accepted, verdict.State);
        Assert.True(PinHash.Matches(verdict.PinHash, Pin));
        Assert.DoesNotContain(Pin, verdict.PinHash);
        AssertPinNeverLogged(logs);
    }

    [Fact]
    public void ModemSession_should_halt_on_a_wrong_pin_and_never_send_it_again()
    {
        var logs = CaptureLogs();
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Answer($"AT+CPIN=\"{Pin}\"", CmeError(CmeErrors.IncorrectPassword));
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");

        var halted = _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Assert.StartsWith("PIN rejected, 2 tries left", halted.Reason);
        Assert.Equal(PinAttemptState.Rejected, _store[SimKey].Required().State);
        Assert.Equal(2, _store[SimKey].Required().TriesAfter);

        // However long the box runs, the PIN is not tried again.
        Advance(TimeSpan.FromHours(6));
        _at.ExpectNoMsg(Quiet);
        AssertPinNeverLogged(logs);
    }

    [Fact]
    public void ModemSession_should_not_send_a_rejected_pin_after_a_gateway_restart()
    {
        var first = StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Answer($"AT+CPIN=\"{Pin}\"", CmeError(CmeErrors.IncorrectPassword));
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");
        _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        // A new session (the gateway restarted, or the box rebooted) with the same store and the same SIM.
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");

        var halted = _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Assert.StartsWith("PIN rejected, 2 tries left", halted.Reason);
        Advance(TimeSpan.FromHours(1));
        _at.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ModemSession_should_send_a_changed_pin_once_despite_an_earlier_rejection()
    {
        _store.Put(SimKey, new PinVerdict(PinHash.Create("0000"), PinAttemptState.Rejected, 3, 2, Clock.GetUtcNow()));
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");
        Ok($"AT+CPIN=\"{Pin}\"");
        Ok("AT+CPIN?", "+CPIN: READY");
        ExpectCommand("AT+COPS=3,0");
        Assert.Equal(PinAttemptState.Accepted, _store[SimKey].Required().State);
    }

    [Fact]
    public void ModemSession_should_halt_when_a_pending_attempt_cost_a_try()
    {
        // The gateway died with the PIN in flight (3 tries before); now the SIM says 2: it was rejected.
        _store.Put(SimKey, new PinVerdict(PinHash.Create(Pin), PinAttemptState.Pending, 3, null, Clock.GetUtcNow()));
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");

        var halted = _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Assert.StartsWith("PIN rejected, 2 tries left", halted.Reason);
        AwaitAssert(() => Assert.Equal(PinAttemptState.Rejected, _store[SimKey].Required().State));
        _at.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ModemSession_should_not_resend_a_rejected_pin_when_the_iccid_could_not_be_read_the_first_time()
    {
        // First boot: the SIM is busy, every ICCID query fails, the PIN is rejected. The verdict is kept under
        // the modem's IMEI too.
        var first = StartSession(PinProfile);
        ToIccid();
        Answer("AT+CRSM=176,12258,0,0,10", CmeError(CmeErrors.SimBusy));
        var identifying = first;
        for (var retry = 0; retry < 5; retry++)
        {
            Settle(identifying);
            Advance(TimeSpan.FromSeconds(1));
            Answer("AT+CRSM=176,12258,0,0,10", CmeError(CmeErrors.SimBusy));
        }

        Answer("AT^ICCID?", new AtResponse(AtOutcome.Error, []));
        Answer("AT+CCID", new AtResponse(AtOutcome.Error, []));
        Answer("AT+ICCID", new AtResponse(AtOutcome.Error, []));
        Answer("AT+QCCID", new AtResponse(AtOutcome.Error, []));
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Answer($"AT+CPIN=\"{Pin}\"", CmeError(CmeErrors.IncorrectPassword));
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");
        _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        // Second boot: the ICCID reads fine. The rejection kept under the IMEI (written without an ICCID) applies.
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");

        var halted = _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Assert.StartsWith("PIN rejected, 2 tries left", halted.Reason);
        _at.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ModemSession_should_not_let_another_sims_rejection_in_the_same_modem_block_this_one()
    {
        // Another SIM (another ICCID) rejected this PIN in this modem; the verdict kept under the IMEI says so.
        var other = SimVerdictKeys.For("89441000300000000001", Imei, DeviceId);
        var rejection = other.Stamp(new PinVerdict(PinHash.Create(Pin), PinAttemptState.Rejected, 3, 2, Clock.GetUtcNow()));
        foreach (var key in other.All)
        {
            _store.Put(key, rejection);
        }

        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");

        Ok($"AT+CPIN=\"{Pin}\"");
    }

    [Fact]
    public void ModemSession_should_keep_the_attempt_pending_when_the_sim_was_busy_and_did_not_count_it()
    {
        var first = StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Answer($"AT+CPIN=\"{Pin}\"", CmeError(CmeErrors.SimBusy));
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");

        var failure = ExpectFailure<ModemCommandException>();
        Assert.Contains("without counting a try", failure.Message);
        Assert.Equal(PinAttemptState.Pending, _store[SimKey].Required().State);

        // The next session sees the same counter: the attempt did not count, so the PIN may go out once more.
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Ok($"AT+CPIN=\"{Pin}\"");
        _ = first;
    }

    [Fact]
    public void ModemSession_should_count_a_busy_answer_that_cost_a_try_as_a_rejection()
    {
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Answer($"AT+CPIN=\"{Pin}\"", new AtResponse(AtOutcome.Error, []));
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,2,3");

        var halted = _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Assert.StartsWith("PIN rejected, 2 tries left", halted.Reason);
        Assert.Equal(PinAttemptState.Rejected, _store[SimKey].Required().State);
    }

    [Fact]
    public void ModemSession_should_halt_on_a_puk_locked_sim()
    {
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PUK");

        var halted = _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Assert.Contains("PUK", halted.Reason);
        _at.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ModemSession_should_not_risk_the_last_pin_try()
    {
        StartSession(PinProfile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,1,3");

        var halted = _parent.FishForMessage<ModemSession.Halted>(_ => true);
        Assert.Contains("only one PIN try left", halted.Reason);
        _at.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ModemSession_should_use_the_last_pin_try_when_allowed()
    {
        StartSession(PinProfile with { AllowLastPinTry = true });
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,1,3");
        Ok($"AT+CPIN=\"{Pin}\"");
        Ok("AT+CPIN?", "+CPIN: READY");
        ExpectCommand("AT+COPS=3,0");
    }

    [Fact]
    public void ModemSession_should_ask_a_busy_sim_again_after_one_virtual_second()
    {
        var session = StartSession(Profile);
        ToSimCheck();
        Answer("AT+CPIN?", CmeError(CmeErrors.SimBusy));
        Settle(session);

        Advance(TimeSpan.FromMilliseconds(999));
        _at.ExpectNoMsg(Quiet);
        Advance(TimeSpan.FromMilliseconds(1));
        Ok("AT+CPIN?", "+CPIN: READY");
        ExpectCommand("AT+COPS=3,0");
    }

    [Fact]
    public void ModemSession_should_disable_the_pin_lock_after_the_pin_without_logging_it()
    {
        var logs = CaptureLogs();
        StartSession(PinProfile with { DisablePinLock = true });
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: SIM PIN");
        Ok("AT+CPINR=\"SIM PIN\"", "+CPINR: SIM PIN,3,3");
        Ok($"AT+CPIN=\"{Pin}\"");
        Ok("AT+CPIN?", "+CPIN: READY");
        var clck = ExpectCommand($"AT+CLCK=\"SC\",0,\"{Pin}\"");
        Assert.True(clck.Command.IsSensitive);
        _at.Reply(new AtChannel.Response(clck.Command, new AtResponse(AtOutcome.Ok, [])));
        ExpectCommand("AT+COPS=3,0");

        // The session logged its progress (PIN sent, accepted, lock disabled) - and never the PIN.
        AwaitAssert(() => Assert.Contains(logs.Texts, t => t.Contains("PIN lock disabled", StringComparison.Ordinal)));
        AssertPinNeverLogged(logs);
    }

    [Fact]
    public void ModemSession_should_repeat_an_unanswered_command_then_reset_the_modem_then_fail()
    {
        var session = StartSession(Profile with { UnresponsiveAfter = 3 });
        Ok("AT");
        Ok("ATZ");
        Ok("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0");
        Ok("AT+CMEE=1");
        Answer("AT+CGMI", AtResponse.Timeout([]));
        Answer("AT+CGMI", AtResponse.Timeout([]));   // asked again, the same command
        Answer("AT+CGMI", AtResponse.Timeout([]));   // third in a row: UnresponsiveAfter
        var reset = ExpectCommand("AT+CFUN=1,1");
        _parent.FishForMessage<ModemSession.Progress>(p => p.Phase == ModemPhase.ResettingModem);
        _at.Reply(new AtChannel.Response(reset.Command, AtResponse.Timeout([]))); // it reboots without answering

        // After the reset the conversation starts over; it still does not answer.
        Ok("AT");
        Answer("ATZ", AtResponse.Timeout([]));
        Answer("ATZ", AtResponse.Timeout([]));
        Answer("ATZ", AtResponse.Timeout([]));

        var failure = ExpectFailure<ModemUnresponsiveException>();
        Assert.Contains("even after AT+CFUN=1,1", failure.Message);
        Watch(session);
        ExpectTerminated(session);
    }

    [Fact]
    public void ModemSession_should_not_reset_a_modem_again_within_the_hold_time()
    {
        // Its device remembers a reset less than modem-reset-hold ago (in an earlier session): no second one now.
        StartSession(Profile with { UnresponsiveAfter = 2 }, ModemSessionOptions.None with { ModemResetAllowed = false });
        Ok("AT");
        Ok("ATZ");
        Ok("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0");
        Ok("AT+CMEE=1");
        Answer("AT+CGMI", AtResponse.Timeout([]));
        Answer("AT+CGMI", AtResponse.Timeout([]));

        var failure = ExpectFailure<ModemUnresponsiveException>();
        Assert.Contains("even after AT+CFUN=1,1", failure.Message);
        _at.ExpectNoMsg(Quiet); // in particular, no AT+CFUN=1,1
    }

    [Fact]
    public void ModemSession_should_fail_when_the_port_never_answers_at()
    {
        var profile = Profile with { Timeouts = new ModemTimeouts { ProbeTries = 4, Boot = TimeSpan.FromSeconds(10) } };
        var session = StartSession(profile);
        Answer("AT", AtResponse.Timeout([]));
        Answer("AT", AtResponse.Timeout([]));
        EscapeSequence(session);
        Answer("ATH", AtResponse.Timeout([]));
        Answer("AT", AtResponse.Timeout([]));

        // Four tries are spent, but a modem may take `boot` to answer its first AT: probing goes on until then.
        Answer("AT", AtResponse.Timeout([]));
        Assert.DoesNotContain(_parent.ReceiveWhile(Quiet, m => m), m => m is ChildFailed);
        Settle(session);
        Advance(TimeSpan.FromSeconds(10));
        Answer("AT", AtResponse.Timeout([]));

        var failure = ExpectFailure<ModemUnresponsiveException>();
        Assert.Contains("no answer to AT after 6 tries", failure.Message);
        _at.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ModemSession_should_bring_a_modem_left_in_data_mode_back_with_the_escape_sequence()
    {
        var session = StartSession(Profile);
        Answer("AT", AtResponse.Timeout([]));
        Answer("AT", AtResponse.Timeout([]));

        EscapeSequence(session);
        Ok("ATH");

        Ok("ATZ");
        _parent.FishForMessage<ModemSession.Progress>(p => p.Phase == ModemPhase.Initialising);
    }

    /// <summary>V.250: a guard time, "+++" alone (no CR), a guard time; then the session sends ATH.</summary>
    private void EscapeSequence(IActorRef session)
    {
        Settle(session);
        Advance(TimeSpan.FromMilliseconds(1099));
        _at.ExpectNoMsg(Quiet);
        Advance(TimeSpan.FromMilliseconds(1));
        var raw = _at.ExpectMsg<AtChannel.SendRaw>();
        Assert.Equal("+++"u8.ToArray(), raw.Bytes);
        Settle(session);
        Advance(TimeSpan.FromMilliseconds(1100));
    }

    [Fact]
    public void ModemSession_should_poll_registration_and_give_up_at_the_deadline()
    {
        var profile = Profile with { Timeouts = new ModemTimeouts { Registration = TimeSpan.FromSeconds(9), RegistrationPoll = TimeSpan.FromSeconds(2) } };
        var session = StartSession(profile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: READY");
        Ok("AT+COPS=3,0");
        NotRegisteredRound(ceregSupported: true);

        for (var poll = 1; poll <= 4; poll++)
        {
            Settle(session);
            Advance(TimeSpan.FromMilliseconds(1999));
            _at.ExpectNoMsg(Quiet);
            Advance(TimeSpan.FromMilliseconds(1));
            NotRegisteredRound(ceregSupported: true);
        }

        Settle(session);
        Advance(TimeSpan.FromSeconds(1)); // 9 s after registration began
        var failure = ExpectFailure<RegistrationTimeoutException>();
        Assert.Contains("not registered on a network within", failure.Message);
        Assert.Contains("Searching", failure.Message);
    }

    [Fact]
    public void ModemSession_should_not_ask_again_for_a_registration_domain_the_modem_rejects()
    {
        var session = StartSession(Profile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: READY");
        Ok("AT+COPS=3,0");
        Ok("AT+CREG?", "+CREG: 0,2");
        Ok("AT+CGREG?", "+CGREG: 0,2");
        Answer("AT+CEREG?", new AtResponse(AtOutcome.Error, []));
        Ok("AT+CSQ", "+CSQ: 10,99");
        Ok("AT+COPS?", "+COPS: 0");
        Settle(session);

        Advance(new ModemTimeouts().RegistrationPoll);
        Ok("AT+CREG?", "+CREG: 0,2");
        Ok("AT+CGREG?", "+CGREG: 0,1");
        Ok("AT+CSQ", "+CSQ: 10,99");                    // no AT+CEREG? in between
        Ok("AT+COPS?", "+COPS: 0,0,\"Test Network\",2");
        ExpectCommand("AT+CGDCONT=1,\"IP\",\"internet\"");
    }

    [Fact]
    public void ModemSession_should_take_a_registration_urc_between_polls_at_once()
    {
        var session = StartSession(Profile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: READY");
        Ok("AT+COPS=3,0");
        NotRegisteredRound(ceregSupported: true);
        Settle(session);

        session.Tell(new AtChannel.Unsolicited("+CGREG: 1", null), _at.Ref);

        // No virtual time passes: the URC alone moves the session on.
        ExpectCommand("AT+CGDCONT=1,\"IP\",\"internet\"");
        var network = _parent.FishForMessage<ModemSession.NetworkChanged>(n => n.State.Registration?.IsRegistered == true);
        Assert.Equal("CGREG", network.State.Registration!.Domain);
    }

    [Fact]
    public void ModemSession_should_redial_after_the_delay_its_parent_gives()
    {
        var session = StartSession(Profile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: READY");
        RegisteredRound(withCopsFormat: true);
        Ok("AT+CGDCONT=1,\"IP\",\"internet\"");
        Answer("ATD*99#", new AtResponse(AtOutcome.NoCarrier, []));

        var failed = _parent.FishForMessage<ModemSession.DialFailed>(_ => true);
        Assert.Equal(AtOutcome.NoCarrier, failed.Result.Outcome);
        _parent.Reply(new ModemSession.RedialIn(TimeSpan.FromSeconds(5)));
        Settle(session);

        Advance(TimeSpan.FromMilliseconds(4999));
        _at.ExpectNoMsg(Quiet);
        Advance(TimeSpan.FromMilliseconds(1));
        RegisteredRound(withCopsFormat: false);           // registration is checked again first
        Ok("AT+CGDCONT=1,\"IP\",\"internet\"");
        Answer("ATD*99#", new AtResponse(AtOutcome.Connect, []));
        _parent.FishForMessage<ModemSession.Connected>(_ => true);
    }

    [Fact]
    public void ModemSession_should_fail_when_the_dial_gets_no_answer()
    {
        StartSession(Profile);
        ToSimCheck();
        Ok("AT+CPIN?", "+CPIN: READY");
        RegisteredRound(withCopsFormat: true);
        Ok("AT+CGDCONT=1,\"IP\",\"internet\"");
        Answer("ATD*99#", AtResponse.Timeout([]));

        var failure = ExpectFailure<DialTimeoutException>();
        Assert.Contains("ATD*99#", failure.Message);
        _at.ExpectNoMsg(Quiet);
    }

    // ------------------------------------------------------------------ helpers

    private static string SimKey => PinHash.SimKey(Iccid, Imei, DeviceId);

    private IActorRef StartSession(ModemProfile profile, ModemSessionOptions? options = null)
    {
        Sys.ActorOf(ForwardingParent.Props(
            ModemSessionActor.Props(DeviceId, profile, _at.Ref, _store, Clock, options ?? ModemSessionOptions.None), _parent.Ref, "session"));
        var session = _parent.ExpectMsg<ChildStarted>().Child;
        _at.ExpectMsg<AtChannel.Subscribe>(s => s.Subscriber.Equals(session));
        session.Tell(new AtChannel.Ready("/dev/ttyUSB0"));
        return session;
    }

    /// <summary>Probe, init and identity, up to the SIM check.</summary>
    private void ToSimCheck()
    {
        ToIccid();
        Ok("AT+CRSM=176,12258,0,0,10", $"+CRSM: 144,0,\"{EfIccid(Iccid)}\"");
    }

    /// <summary>Probe, init and identity up to the ICCID query.</summary>
    private void ToIccid()
    {
        Ok("AT");
        Ok("ATZ");
        Ok("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0");
        Ok("AT+CMEE=1");
        Ok("AT+CGMI", "huawei");
        Ok("AT+CGMM", "E367");
        Ok("AT+CGMR", "21.157.01.00.00");
        Ok("AT+CGSN", Imei);
    }

    private void RegisteredRound(bool withCopsFormat)
    {
        if (withCopsFormat)
        {
            Ok("AT+COPS=3,0");
        }

        Ok("AT+CREG?", "+CREG: 0,1");
        Ok("AT+CGREG?", "+CGREG: 0,1");
        Ok("AT+CEREG?", "+CEREG: 0,0");
        Ok("AT+CSQ", "+CSQ: 21,99");
        Ok("AT+COPS?", "+COPS: 0,0,\"Test Network\",2");
    }

    private void NotRegisteredRound(bool ceregSupported)
    {
        Ok("AT+CREG?", "+CREG: 0,2");
        Ok("AT+CGREG?", "+CGREG: 0,2");
        if (ceregSupported)
        {
            Ok("AT+CEREG?", "+CEREG: 0,2");
        }

        Ok("AT+CSQ", "+CSQ: 99,99");
        Ok("AT+COPS?", "+COPS: 0");
    }

    private AtChannel.Send ExpectCommand(string text)
    {
        var send = _at.ExpectMsg<AtChannel.Send>();
        Assert.Equal(text, send.Command.Text);
        return send;
    }

    private void Answer(string command, AtResponse response)
    {
        var send = ExpectCommand(command);
        _at.Reply(new AtChannel.Response(send.Command, response));
    }

    private void Ok(string command, params string[] lines) => Answer(command, new AtResponse(AtOutcome.Ok, lines));

    private static AtResponse CmeError(int code) => new(AtOutcome.CmeError, [], code, code.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private T ExpectFailure<T>()
        where T : Exception
    {
        var failed = _parent.FishForMessage<ChildFailed>(_ => true);
        return Assert.IsType<T>(failed.Cause);
    }

    private static void AssertPinNeverLogged(LogCapture logs)
    {
        Assert.NotEmpty(logs.Events);
        Assert.All(logs.Texts, t => Assert.DoesNotContain(Pin, t, StringComparison.Ordinal));
    }

    /// <summary>EF_ICCID as +CRSM reads it: BCD with the nibbles of each byte swapped (3GPP TS 31.102 §4.1.1).</summary>
    private static string EfIccid(string iccid)
    {
        var padded = iccid.Length % 2 == 0 ? iccid : iccid + "F";
        return string.Concat(Enumerable.Range(0, padded.Length / 2).Select(i => $"{padded[(2 * i) + 1]}{padded[2 * i]}"));
    }
}

internal static class VerdictAssertions
{
    public static PinVerdict Required(this PinVerdict? verdict) => verdict ?? throw new Xunit.Sdk.XunitException("no PIN verdict stored");
}
