using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Uplinks;

public sealed class HealthProbeActorSpec(ITestOutputHelper output) : VirtualTimeSpec(output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);
    private readonly FakeProber _prober = new();

    private static HealthSettings Settings(params string[] targets) => new(
        [.. targets.Select(t => ProbeTarget.Parse(t))], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), new HealthThresholds(2, 2));

    private IActorRef Start(HealthSettings settings, bool active)
    {
        Sys.ActorOf(ForwardingParent.Props(HealthProbeActor.Props("phone", "usb0", settings, _prober, active), TestActor, "health"));
        return ExpectMsg<ChildStarted>().Child;
    }

    [Fact]
    public void A_standby_uplink_should_be_probed_at_the_standby_pace_and_the_active_one_at_the_active_pace()
    {
        var probe = Start(Settings("198.51.100.1", "198.51.100.2"), active: false);
        Assert.Equal(ProbeTarget.Parse("198.51.100.1"), ExpectMsg<HealthProbe.Probed>().Target); // at once
        Settle(probe);

        Advance(TimeSpan.FromSeconds(4));
        ExpectNoMsg(Quiet);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeTarget.Parse("198.51.100.2"), ExpectMsg<HealthProbe.Probed>().Target); // the next target in turn
        Assert.Equal(UplinkHealth.Up, ExpectMsg<HealthProbe.Changed>().Change.To);

        probe.Tell(new HealthProbe.SetPace(true));
        Settle(probe);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeTarget.Parse("198.51.100.1"), ExpectMsg<HealthProbe.Probed>().Target);
        Assert.All(_prober.Probes, p => Assert.Equal("usb0", p.Interface));
    }

    [Fact]
    public void Without_targets_the_uplink_should_count_as_healthy_at_once_and_never_be_probed()
    {
        Start(Settings(), active: true);

        var change = ExpectMsg<HealthProbe.Changed>().Change;
        Assert.Equal(UplinkHealth.Up, change.To);
        Assert.Contains("hard signals only", change.Reason, StringComparison.Ordinal);
        Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(Quiet);
        Assert.Empty(_prober.Probes);
    }

    [Fact]
    public void Unanswered_rounds_should_say_which_target_failed_and_why()
    {
        _prober.Answer("usb0", false);
        var probe = Start(Settings("198.51.100.1"), active: true);
        ExpectMsg<HealthProbe.Probed>();
        Settle(probe);

        Advance(TimeSpan.FromSeconds(1));
        ExpectMsg<HealthProbe.Probed>();
        var change = ExpectMsg<HealthProbe.Changed>().Change;
        Assert.Equal(new HealthChange(UplinkHealth.Unknown, UplinkHealth.Down, "2 probes unanswered in a row (last: icmp:198.51.100.1: no answer in time)"), change);
    }
}
