using ActorGateway.Core.Network;

namespace ActorGateway.Core.Tests.Network;

public sealed class HealthMonitorTests
{
    private static readonly HealthThresholds Thresholds = new(Up: 3, Down: 2);

    private static (HealthState State, List<HealthChange> Changes) Run(HealthState state, string results)
    {
        var changes = new List<HealthChange>();
        foreach (var c in results)
        {
            (state, var change) = HealthMonitor.Apply(state, c == '+', Thresholds);
            if (change is not null)
            {
                changes.Add(change);
            }
        }

        return (state, changes);
    }

    [Fact]
    public void An_uplink_should_become_healthy_after_up_answered_rounds_in_a_row()
    {
        var (state, changes) = Run(HealthState.Initial, "++");
        Assert.Equal(UplinkHealth.Unknown, state.Health);
        Assert.Empty(changes);

        (state, changes) = Run(state, "+");
        Assert.Equal(UplinkHealth.Up, state.Health);
        Assert.Equal([new HealthChange(UplinkHealth.Unknown, UplinkHealth.Up, "3 probes answered in a row")], changes);
    }

    [Fact]
    public void An_uplink_should_become_unhealthy_after_down_unanswered_rounds_in_a_row_and_not_on_one_lost_probe()
    {
        var (state, _) = Run(HealthState.Initial, "+++");

        var (after, changes) = Run(state, "-+-+-+");
        Assert.Equal(UplinkHealth.Up, after.Health);
        Assert.Empty(changes);

        (after, changes) = Run(after, "--");
        Assert.Equal(UplinkHealth.Down, after.Health);
        Assert.Equal([new HealthChange(UplinkHealth.Up, UplinkHealth.Down, "2 probes unanswered in a row")], changes);
    }

    [Fact]
    public void A_down_uplink_should_need_up_answers_in_a_row_to_recover_and_report_each_change_once()
    {
        var (_, changes) = Run(HealthState.Initial, "+++--" + "++-" + "+++" + "++++" + "---");

        Assert.Equal(
            [UplinkHealth.Up, UplinkHealth.Down, UplinkHealth.Up, UplinkHealth.Down],
            changes.Select(c => c.To));
    }

    [Fact]
    public void A_new_uplink_should_go_straight_to_down_when_its_first_rounds_fail()
    {
        var (state, changes) = Run(HealthState.Initial, "--");

        Assert.Equal(UplinkHealth.Down, state.Health);
        Assert.Equal(UplinkHealth.Unknown, Assert.Single(changes).From);
    }

    [Fact]
    public void Thresholds_should_be_at_least_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthThresholds(0, 2).Validate());
        Assert.Equal(new HealthThresholds(1, 1), new HealthThresholds(1, 1).Validate());
    }
}
