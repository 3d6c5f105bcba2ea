using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Service;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Service;

/// <summary>
/// systemd's watchdog is petted (WATCHDOG=1) only while every supervisor it vouches for answers its question in time;
/// a wedged one stops the pets, so that systemd restarts the service after WatchdogSec. Time is virtual.
/// </summary>
public sealed class ServiceWatchdogActorSpec : VirtualTimeSpec
{
    private static readonly TimeSpan WatchdogSec = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = WatchdogSec / 4;
    private static readonly TimeSpan LivenessTimeout = TimeSpan.FromSeconds(3);

    private readonly RecordingNotifier _notifier;

    public ServiceWatchdogActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _notifier = new RecordingNotifier(Clock, WatchdogSec);
    }

    private IActorRef Watchdog(params (string Name, IActorRef Actor)[] targets)
    {
        var watchdog = Sys.ActorOf(ServiceWatchdogActor.Props(_notifier, targets, WatchdogSec, LivenessTimeout), "watchdog");
        Settle(watchdog); // its first question is out and its timers are set
        return watchdog;
    }

    /// <summary>
    /// Lets every message already sent be handled, in the order they flow: the watchdog's tick (its questions go out), the
    /// targets' answers, then the watchdog's reading of them. Settling the targets first would race the tick.
    /// </summary>
    private void Drain(IActorRef watchdog, params IActorRef[] targets)
    {
        Settle(watchdog);
        Settle(targets);
        Settle(watchdog);
    }

    private void Step(TimeSpan by, IActorRef watchdog, params IActorRef[] targets)
    {
        Advance(by);
        Drain(watchdog, targets);
    }

    [Fact]
    public void Watchdog_should_pet_every_quarter_interval_while_every_supervisor_answers()
    {
        var gateway = Sys.ActorOf(Props.Create(() => new Answering()), "gateway");
        var uplinks = Sys.ActorOf(Props.Create(() => new Answering()), "uplinks");
        var watchdog = Watchdog(("the gateway supervisor", gateway), ("the uplink manager", uplinks));
        Drain(watchdog, gateway, uplinks);
        var start = Clock.GetUtcNow();

        for (var i = 0; i < 4; i++)
        {
            Step(Interval, watchdog, gateway, uplinks);
        }

        Assert.Equal([start, start + Interval, start + (2 * Interval), start + (3 * Interval), start + (4 * Interval)], _notifier.Pets);
        Assert.All(_notifier.Sent, s => Assert.Equal("WATCHDOG=1", s.State));
    }

    [Fact]
    public void Watchdog_should_wait_for_every_supervisor_before_it_pets()
    {
        var gateway = CreateTestProbe();
        var uplinks = CreateTestProbe();
        var watchdog = Watchdog(("the gateway supervisor", gateway), ("the uplink manager", uplinks));

        var first = gateway.ExpectMsg<Liveness.Ping>();
        var second = uplinks.ExpectMsg<Liveness.Ping>();
        Assert.Equal(first.Sequence, second.Sequence);
        gateway.Reply(new Liveness.Pong(first.Sequence));
        gateway.Reply(new Liveness.Pong(first.Sequence)); // the same supervisor twice is still one answer
        Settle(watchdog);
        Assert.Empty(_notifier.Pets);

        uplinks.Reply(new Liveness.Pong(second.Sequence));
        Settle(watchdog);
        Assert.Single(_notifier.Pets);
    }

    [Fact]
    public void Watchdog_should_stop_petting_while_a_supervisor_is_wedged_and_say_which()
    {
        var logs = CaptureLogs();
        var gateway = Sys.ActorOf(Props.Create(() => new Answering()), "gateway");
        var wedged = Sys.ActorOf(Props.Create(() => new Switchable()), "uplinks");
        var watchdog = Watchdog(("the gateway supervisor", gateway), ("the uplink manager", wedged));
        Drain(watchdog, gateway, wedged);

        // Through a whole WatchdogSec and more: the question is asked every interval and never fully answered.
        Step(LivenessTimeout, watchdog, gateway, wedged);
        for (var i = 0; i < 4; i++)
        {
            Step(Interval, watchdog, gateway, wedged);
            Step(LivenessTimeout, watchdog, gateway, wedged);
        }

        Assert.Empty(_notifier.Pets);
        AwaitAssert(() => Assert.Contains(logs.Texts, t => t.StartsWith("ErrorLevel Watchdog: the uplink manager did not answer within 3 s", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Texts, t => t.Contains("the gateway supervisor did not", StringComparison.Ordinal));

        // It comes back: the pets come back, and the log says so once.
        wedged.Tell(Switchable.Answer.Instance);
        Step(Interval, watchdog, gateway, wedged);
        Step(Interval, watchdog, gateway, wedged);
        Assert.Equal(2, _notifier.Pets.Count);
        AwaitAssert(() => Assert.Single(logs.Texts, t => t.Contains("every supervisor answers again", StringComparison.Ordinal)));
    }

    [Fact]
    public void Watchdog_should_not_count_an_answer_that_comes_after_the_deadline()
    {
        var gateway = CreateTestProbe();
        var watchdog = Watchdog(("the gateway supervisor", gateway));
        var ping = gateway.ExpectMsg<Liveness.Ping>();

        Step(LivenessTimeout, watchdog);
        gateway.Reply(new Liveness.Pong(ping.Sequence));
        Settle(watchdog);
        Assert.Empty(_notifier.Pets);

        // The next question, answered in time, pets again.
        Step(Interval - LivenessTimeout, watchdog);
        var next = gateway.ExpectMsg<Liveness.Ping>();
        Assert.True(next.Sequence > ping.Sequence);
        gateway.Reply(new Liveness.Pong(ping.Sequence)); // an old answer still does not count
        Settle(watchdog);
        Assert.Empty(_notifier.Pets);
        gateway.Reply(new Liveness.Pong(next.Sequence));
        Settle(watchdog);
        Assert.Single(_notifier.Pets);
    }

    [Fact]
    public void Watchdog_should_stop_petting_when_a_supervisor_blocks_its_thread()
    {
        using var release = new ManualResetEventSlim();
        var gateway = Sys.ActorOf(Props.Create(() => new Answering()), "gateway");
        var stuck = Sys.ActorOf(Props.Create(() => new Blocking(release)), "stuck");
        var watchdog = Watchdog(("the gateway supervisor", gateway), ("the uplink manager", stuck));
        Drain(watchdog, gateway, stuck);
        var before = _notifier.Pets.Count; // the first question was answered before it got stuck

        stuck.Tell(Blocking.Block.Instance); // its thread is now inside a Receive that does not return
        for (var i = 0; i < 4; i++)
        {
            Step(Interval, watchdog, gateway);
        }

        Assert.Equal(1, before);
        Assert.Equal(before, _notifier.Pets.Count);
        // Freed within the time the current question allows: that answer counts, and the next ones do.
        release.Set();
        Drain(watchdog, stuck);
        Assert.Equal(before + 1, _notifier.Pets.Count);
        Step(Interval, watchdog, gateway, stuck);
        Assert.Equal(before + 2, _notifier.Pets.Count);
    }

    [Fact]
    public void Watchdog_should_get_its_answer_from_the_real_gateway_supervisor()
    {
        using var sim = new SimulatedModems(Clock);
        var gateway = Sys.ActorOf(GatewaySupervisor.Props(GatewaySettings.Parse("actorgateway.static-devices = []", "spec"), sim.Dependencies), "gateway");
        var watchdog = Watchdog(("the gateway supervisor", gateway));
        Drain(watchdog, gateway);
        Step(Interval, watchdog, gateway);

        Assert.Equal(2, _notifier.Pets.Count);
    }

    [Fact]
    public void ServiceSettings_should_read_the_liveness_timeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ServiceSettings.Create(GatewaySettings.Parse(string.Empty, "spec")).LivenessTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), ServiceSettings.Create(GatewaySettings.Parse("actorgateway.service.liveness-timeout = 2s", "spec")).LivenessTimeout);
        var e = Assert.Throws<GatewayConfigException>(() => ServiceSettings.Create(GatewaySettings.Parse("actorgateway.service.liveness = 2s", "spec")));
        Assert.Contains("actorgateway.service.liveness", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A supervisor that answers.</summary>
    private sealed class Answering : ReceiveActor
    {
        public Answering() => Receive<Liveness.Ping>(m => Sender.Tell(new Liveness.Pong(m.Sequence)));
    }

    /// <summary>A supervisor that is wedged (its questions pile up unanswered) until told to answer.</summary>
    private sealed class Switchable : ReceiveActor
    {
        public Switchable()
        {
            Receive<Liveness.Ping>(_ => { });
            Receive<Answer>(_ => Become(() => Receive<Liveness.Ping>(m => Sender.Tell(new Liveness.Pong(m.Sequence)))));
        }

        public sealed record Answer
        {
            public static readonly Answer Instance = new();
        }
    }

    /// <summary>A supervisor whose thread is stuck (a blocking call inside Receive) until the test lets it go.</summary>
    private sealed class Blocking : ReceiveActor
    {
        public Blocking(ManualResetEventSlim release)
        {
            Receive<Block>(_ => release.Wait(TimeSpan.FromSeconds(30)));
            Receive<Liveness.Ping>(m => Sender.Tell(new Liveness.Pong(m.Sequence)));
        }

        public sealed record Block
        {
            public static readonly Block Instance = new();
        }
    }
}
