using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Io;
using ActorGateway.Core.Usb;
using ActorGateway.Simulation;
using ActorGateway.Simulation.InMemory;
using ActorGateway.Simulation.Profiles;
using Akka.TestKit;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Usb;

public sealed class UsbProbeActorSpec : VirtualTimeSpec
{
    private readonly InMemorySerialPortOpener _ports = new();
    private readonly TestProbe _parent;
    private ModemSimulator? _modem;

    public UsbProbeActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _parent = CreateTestProbe("parent");
    }

    private static UsbSerialPort Port(string tty, int number, PortRoleHint hint = PortRoleHint.Unknown) =>
        new(tty, new UsbInterface($"1-1.2:1.{number}", number, 0xff, 0xff, 0xff, "option", null, [tty], []), hint, null);

    private ModemSimulator Huawei(int atPort)
    {
        var profile = HuaweiE367.Create(atPort) with { BootDelay = TimeSpan.Zero };
        _modem = new ModemSimulator(profile, timeProvider: Clock);
        _ports.Add(_modem, "/dev");
        return _modem;
    }

    private ProbeOutcome Probe(params UsbSerialPort[] order)
    {
        Sys.ActorOf(ForwardingParent.Props(UsbProbeActor.Props(order, "/dev", _ports, TimeSpan.FromMilliseconds(250), 3, 115200), _parent.Ref, "probe"));
        var probe = _parent.ExpectMsg<ChildStarted>().Child;
        _parent.Watch(probe);
        ProbeOutcome? outcome = null;
        var stopped = false;
        AwaitCondition(() =>
        {
            while (_parent.HasMessages)
            {
                switch (_parent.ReceiveOne(TimeSpan.Zero))
                {
                    case ProbeOutcome o:
                        outcome = o;
                        break;
                    case Akka.Actor.Terminated t when t.ActorRef.Equals(probe):
                        stopped = true; // and with it every port it opened
                        break;
                }
            }

            if (outcome is not null && stopped)
            {
                return true;
            }

            if (outcome is null)
            {
                Advance(TimeSpan.FromMilliseconds(50));
            }

            return false;
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
        return outcome!;
    }

    [Fact]
    public void Probe_should_find_the_one_port_that_answers_among_a_garbage_and_a_silent_one_within_a_second()
    {
        // The seed guide's "usually the first but not always!": here AT is on the last tty.
        var huawei = Huawei(atPort: 2);
        var started = Clock.GetUtcNow();

        var outcome = Probe(Port("ttyUSB0", 0), Port("ttyUSB1", 1), Port("ttyUSB2", 2));

        Assert.Equal("ttyUSB2", outcome.AtPort!.Tty);
        Assert.Null(outcome.DataPort);
        Assert.Equal(HuaweiE367.Profile.Imei, outcome.Imei);
        Assert.Equal([PortVerdictKind.Garbage, PortVerdictKind.Silent, PortVerdictKind.Answers], outcome.Verdicts.Select(v => v.Kind));
        Assert.Equal(PortRole.Diagnostic, huawei.GetPort("ttyUSB0").Role);
        // A silent port costs 3 × 250 ms once, all ports at once: under a second of the modem's time for the device.
        Assert.True(Clock.GetUtcNow() - started <= TimeSpan.FromSeconds(1), $"took {Clock.GetUtcNow() - started} of virtual time");
        Assert.Equal(3, huawei.CommandLog.Count(c => c is { Port: "ttyUSB1", Line: "AT" })); // few tries, not ModemManager's 6 × 3 s
        Assert.All(huawei.Ports, p => Assert.False(p.IsOpen));
    }

    [Fact]
    public void Probe_should_decide_at_once_when_the_first_port_answers()
    {
        Huawei(atPort: 0);

        var outcome = Probe(Port("ttyUSB0", 0), Port("ttyUSB1", 1), Port("ttyUSB2", 2));

        Assert.Equal("ttyUSB0", outcome.AtPort!.Tty);
        Assert.Equal([PortVerdictKind.Answers, PortVerdictKind.NotNeeded, PortVerdictKind.NotNeeded], outcome.Verdicts.Select(v => v.Kind));
    }

    [Fact]
    public async Task Probe_should_skip_a_port_another_program_holds_and_say_why()
    {
        Huawei(atPort: 2);
        await using var held = await _ports.OpenAsync(new SerialPortOptions("/dev/ttyUSB2"), CancellationToken.None);

        var outcome = Probe(Port("ttyUSB0", 0), Port("ttyUSB1", 1), Port("ttyUSB2", 2));

        Assert.Null(outcome.AtPort);
        var busy = outcome.Verdicts.Single(v => v.Tty == "ttyUSB2");
        Assert.Equal(PortVerdictKind.Unavailable, busy.Kind);
        Assert.Contains("busy", busy.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_should_take_the_maps_PPP_port_for_data_when_it_answers()
    {
        var huawei = new ModemSimulator(HuaweiE367.NewMode with { BootDelay = TimeSpan.Zero }, timeProvider: Clock);
        _modem = huawei;
        _ports.Add(huawei, "/dev");

        var outcome = Probe(Port("ttyUSB2", 2, PortRoleHint.AtPrimary), Port("ttyUSB0", 0, PortRoleHint.AtPpp), Port("ttyUSB1", 1));

        Assert.Equal("ttyUSB2", outcome.AtPort!.Tty);
        Assert.Equal("ttyUSB0", outcome.DataPort!.Tty);
    }

    protected override void AfterAll()
    {
        _modem?.Dispose();
        base.AfterAll();
    }
}
