using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Modem;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Xunit.Abstractions;
using ModemProfile = ActorGateway.Core.Modem.ModemProfile;

namespace ActorGateway.Actors.Tests.Devices;

public sealed class DeviceActorSpec : VirtualTimeSpec
{
    private static readonly TimeSpan HoldPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private readonly SimulatedModems _sim;
    private readonly TestProbe _parent;

    public DeviceActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _sim = new SimulatedModems(Clock);
        _parent = CreateTestProbe("parent");
    }

    [Fact]
    public async Task Device_should_come_online_and_show_what_the_modem_and_pppd_said()
    {
        var (modem, path) = _sim.Add("nokia", NokiaC2_01.Profile);
        var device = StartDevice("nokia", path);

        await ComeOnline(device, session: 1);

        var status = Status(device);
        Assert.Equal(DeviceState.Online, status.State);
        Assert.Equal("Nokia", status.Manufacturer);
        Assert.Equal("Nokia C2-01", status.Model);
        Assert.Equal("351051041234566", status.Imei);
        Assert.Equal("Test Network", status.Operator);
        Assert.Equal("home", status.Registration);
        Assert.Equal(-113 + (2 * NokiaC2_01.Profile.Rssi), status.SignalDbm);
        Assert.Equal(1, status.Connects);
        Assert.Null(status.LastError);
        Assert.Equal(CallState.Connected, modem.CallState); // pppd holds the tty: closing ours did not hang up
        Assert.Contains(modem.PdpContexts, c => c.Apn == "internet");

        var pppd = Assert.Single(_sim.Pppd.Specs);
        Assert.Equal(path, pppd.Arguments[0]);
    }

    [Fact]
    public async Task Device_should_show_the_link_pppd_reports()
    {
        var (_, path) = _sim.Add("nokia", NokiaC2_01.Profile);
        var device = StartDevice("nokia", path);
        var pppd = await ComeOnline(device, session: 1);

        pppd.Say("Using interface ppp0");
        pppd.Say("local  IP address 10.64.64.2");
        pppd.Say("remote IP address 10.64.64.1");
        pppd.Say("primary   DNS address 10.11.12.13");

        AwaitAssert(() =>
        {
            var status = Status(device);
            Assert.Equal("ppp0", status.Interface);
            Assert.Equal("10.64.64.2", status.LocalAddress);
            Assert.Equal("10.64.64.1", status.RemoteAddress);
            Assert.Equal(["10.11.12.13"], status.Dns);
        });
    }

    [Fact]
    public async Task Device_should_retry_with_growing_backoff_when_the_kernel_has_no_ppp_and_say_so_once()
    {
        var logs = CaptureLogs();
        var (_, path) = _sim.Add("nokia", NokiaC2_01.Profile);
        _sim.Pppd.Setup = p =>
        {
            p.Say("Couldn't open the /dev/ppp device: No such file or directory");
            p.Exit(4);
        };
        var device = StartDevice("nokia", path);

        var first = AwaitStatus(device, s => s is { State: DeviceState.Retrying });
        Assert.Equal("next try in 5 s", first.Detail);
        Assert.Contains("no PPP support", first.LastError);
        Assert.Equal(1, _sim.Pppd.StartCount);

        Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal("next try in 5 s", Status(device).Detail);
        Assert.Equal(1, _sim.Pppd.StartCount);
        Advance(TimeSpan.FromMilliseconds(1));
        AwaitStatus(device, s => s is { State: DeviceState.Retrying, Detail: "next try in 10 s" });
        Assert.Equal(2, _sim.Pppd.StartCount);

        Advance(TimeSpan.FromMilliseconds(9999));
        Assert.Equal(2, _sim.Pppd.StartCount);
        Advance(TimeSpan.FromMilliseconds(1));
        AwaitStatus(device, s => s is { State: DeviceState.Retrying, Detail: "next try in 20 s" });
        Assert.Equal(3, _sim.Pppd.StartCount);

        // Said once at Error, then quietly (Debug) on each retry.
        bool NoPpp(LogEvent e) => e.Message.ToString()!.Contains("no PPP support", StringComparison.Ordinal);
        AwaitAssert(() => Assert.Equal(2, logs.Events.Count(e => e is Debug && NoPpp(e))));
        Assert.Single(logs.Events, e => e is Error && NoPpp(e));
    }

    [Fact]
    public void Device_should_halt_on_a_wrong_pin_after_sending_it_once()
    {
        var card = SimCard.ForProfile(NokiaC2_01.Profile, pin: "1234", pinEnabled: true);
        var (modem, path) = _sim.Add("nokia", NokiaC2_01.Profile, card);
        var device = StartDevice("nokia", path, new ModemProfile { Apn = "internet", Pin = "9999" });

        var halted = AwaitStatus(device, s => s.State == DeviceState.Halted);
        Assert.Contains("PIN rejected", halted.LastError);
        Assert.Contains("2 tries left", halted.LastError);

        // Nothing more happens however long the box runs: one AT+CPIN= ever, two tries left on the card.
        Advance(TimeSpan.FromHours(12));
        _parent.ExpectNoMsg(Quiet);
        Assert.Equal(DeviceState.Halted, Status(device).State);
        Assert.Single(modem.CommandLog, c => c.Line.StartsWith("AT+CPIN=", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, modem.Sim.PinRetriesLeft);
        Assert.Empty(_sim.Pppd.Specs);
    }

    [Fact]
    public async Task Device_should_recover_with_backoff_when_the_modem_vanishes_mid_session()
    {
        var (modem, path) = _sim.Add("nokia", NokiaC2_01.Profile, faults: new ModemFaults { Registration = RegistrationOutcome.NeverRegisters });
        var device = StartDevice("nokia", path);
        AwaitStatus(device, s => s.State == DeviceState.Registering);

        modem.Vanish();

        var gone = AwaitStatus(device, s => s.State == DeviceState.Retrying);
        Assert.Equal("next try in 5 s", gone.Detail);
        Assert.Contains(path, gone.LastError);
        Assert.Contains("device gone", gone.LastError); // seen by the read loop or by a write, whichever came first

        // Still gone at the next try: the open fails and the pause doubles.
        Advance(TimeSpan.FromSeconds(5));
        var stillGone = AwaitStatus(device, s => s is { State: DeviceState.Retrying, Detail: "next try in 10 s" });
        Assert.Contains("no such device", stillGone.LastError);

        modem.Faults = modem.Faults with { Registration = RegistrationOutcome.Home };
        modem.Return();
        Advance(TimeSpan.FromSeconds(10));

        await ComeOnline(device, session: 3);
        Assert.Equal(1, Status(device).Connects);
    }

    [Fact]
    public void Device_should_escalate_when_the_modem_never_answers_and_close_its_port()
    {
        var (modem, path) = _sim.Add("nokia", NokiaC2_01.Profile, faults: new ModemFaults { Silent = true });
        var device = StartDevice("nokia", path, new ModemProfile { Apn = "internet", Timeouts = new Core.Modem.ModemTimeouts { Boot = TimeSpan.FromSeconds(2) } });
        AwaitStatus(device, s => s.State == DeviceState.Probing);

        // Virtual time runs until the device gives up: five tries of 1 s each (AT, AT, the escape sequence
        // and ATH, AT, AT), with a quiet 300 ms after each timeout, once the 2 s boot window is over.
        AwaitCondition(() =>
        {
            Advance(TimeSpan.FromMilliseconds(100));
            return _parent.HasMessages;
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));

        var failure = Assert.IsType<ModemUnresponsiveException>(_parent.ExpectMsg<ChildFailed>().Cause);
        Assert.Contains("no answer to AT after 5 tries", failure.Message);
        Assert.Equal(4, modem.CommandLog.Count(c => c.Line == "AT"));
        Assert.Equal(1, modem.CommandLog.Count(c => c.Line.EndsWith("ATH", StringComparison.Ordinal)));
        AwaitAssert(() => Assert.False(modem.AtPort.IsOpen)); // stopping the device closed its line
    }

    private IActorRef StartDevice(string id, string path, ModemProfile? profile = null)
    {
        var device = new StaticDevice(id, path, profile ?? new ModemProfile { Apn = "internet" });
        Sys.ActorOf(ForwardingParent.Props(DeviceActor.Props(device, _sim.Dependencies), _parent.Ref, "device"));
        return _parent.ExpectMsg<ChildStarted>().Child;
    }

    /// <summary>Waits for the hand-over, lets the fake pppd take the line, and moves time by one hold poll.</summary>
    private async Task<FakeProcess> ComeOnline(IActorRef device, int session)
    {
        var pppd = await _sim.NextPppdHoldingTheLineAsync();
        await pppd.Followed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        var ppp = await Sys.ActorSelection(device.Path / $"ppp-{session}").ResolveOne(TimeSpan.FromSeconds(3));
        Settle(ppp);
        Advance(HoldPoll);
        AwaitStatus(device, s => s.State == DeviceState.Online);
        return pppd;
    }

    private static DeviceStatus Status(IActorRef device) =>
        device.Ask<DeviceStatus>(Device.GetStatus.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    private DeviceStatus AwaitStatus(IActorRef device, Func<DeviceStatus, bool> condition)
    {
        DeviceStatus? last = null;
        AwaitCondition(() => condition(last = Status(device)), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20),
            $"device never reached the expected state; last {last}");
        return last!;
    }

    protected override void AfterAll()
    {
        _sim.Dispose();
        base.AfterAll();
    }
}
