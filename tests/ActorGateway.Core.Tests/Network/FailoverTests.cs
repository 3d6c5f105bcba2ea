using ActorGateway.Core.Network;
using static ActorGateway.Core.Network.FailoverAction;
using static ActorGateway.Core.Network.FailoverEvent;

namespace ActorGateway.Core.Tests.Network;

public sealed class FailoverTests
{
    private static readonly FailoverPolicy Policy = new(TimeSpan.FromSeconds(30));
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private FailoverState _state = FailoverState.Initial;

    private IReadOnlyList<FailoverAction> At(double seconds, FailoverEvent e)
    {
        (_state, var actions) = Failover.Apply(_state, e, T0.AddSeconds(seconds), Policy);
        return actions;
    }

    /// <summary>phone (10) and backup (20), both connected and healthy, phone carrying the traffic.</summary>
    private void BothHealthyPhoneActive()
    {
        At(0, new UplinkAdded("phone", 10));
        At(0, new UplinkAdded("backup", 20));
        At(0, new UplinkReady("phone"));
        At(0, new UplinkReady("backup"));
        At(1, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row"));
        At(1, new HealthChanged("backup", UplinkHealth.Up, "3 probes answered in a row"));
        Assert.Equal("phone", _state.Active);
    }

    [Fact]
    public void The_first_connected_uplink_should_carry_the_traffic_at_once_even_before_its_probes_confirm_it()
    {
        Assert.Empty(At(0, new UplinkAdded("phone", 10)));

        Assert.Equal(
            [new Switch(null, "phone", "phone is connected; phone carries the traffic (connected, not yet confirmed by probes)")],
            At(0.1, new UplinkReady("phone")));
        Assert.Equal(T0.AddSeconds(0.1), _state.ActiveSince);

        Assert.Empty(At(1, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row")));
        Assert.Equal("phone is healthy: 3 probes answered in a row; phone carries the traffic", _state.Reason);
    }

    [Fact]
    public void An_uplink_removed_and_added_again_should_wait_the_hold_time_before_it_takes_the_traffic_back()
    {
        BothHealthyPhoneActive();
        At(10, new UplinkRemoved("phone", "PPP link down: pppd exited with status 16"));
        Assert.Equal("backup", _state.Active);

        // pppd redials: the same id comes back, healthy within a second, but it has just failed.
        At(20, new UplinkAdded("phone", 10));
        At(20, new UplinkReady("phone"));
        Assert.Equal([new ScheduleFailback(TimeSpan.FromSeconds(30))], At(21, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row")));
        Assert.Equal("backup", _state.Active);

        Assert.Equal(
            [new Switch("backup", "phone", "phone has been healthy for 30 s: back to the preferred uplink")],
            At(51, FailbackDue.Instance));
    }

    [Fact]
    public void An_uplink_added_again_long_after_it_was_removed_should_count_as_new()
    {
        BothHealthyPhoneActive();
        At(10, new UplinkRemoved("phone", "tethering interface usb0 is gone"));

        At(10 + 601, new UplinkAdded("phone", 10));
        At(10 + 601, new UplinkReady("phone"));
        Assert.Equal(
            [new Switch("backup", "phone", "phone is healthy and preferred (priority 10 before 20)")],
            At(10 + 602, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row")));
        Assert.Empty(_state.Removed);
    }

    [Fact]
    public void A_hard_signal_should_move_the_traffic_at_once()
    {
        BothHealthyPhoneActive();

        Assert.Equal(
            [new Switch("phone", "backup", "phone is down: carrier lost on usb0; backup carries the traffic")],
            At(10, new UplinkNotReady("phone", "carrier lost on usb0")));
        Assert.Equal(T0.AddSeconds(10), _state.ActiveSince);
    }

    [Fact]
    public void Unanswered_probes_should_move_the_traffic_at_once()
    {
        BothHealthyPhoneActive();

        Assert.Equal(
            [new Switch("phone", "backup", "phone is unhealthy: 2 probes unanswered in a row; backup carries the traffic")],
            At(10, new HealthChanged("phone", UplinkHealth.Down, "2 probes unanswered in a row")));
    }

    [Fact]
    public void A_recovered_preferred_uplink_should_take_the_traffic_back_only_after_the_hold_time()
    {
        BothHealthyPhoneActive();
        At(10, new UplinkNotReady("phone", "carrier lost on usb0"));
        Assert.Empty(At(12, new UplinkReady("phone")));

        Assert.Equal([new ScheduleFailback(TimeSpan.FromSeconds(30))], At(13, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row")));
        Assert.Equal("backup", _state.Active);
        Assert.Empty(At(42.9, new HealthChanged("backup", UplinkHealth.Up, "again")));
        Assert.Empty(At(42.9, FailbackDue.Instance)); // early: nothing changes, the schedule stands

        Assert.Equal(
            [new Switch("backup", "phone", "phone has been healthy for 30 s: back to the preferred uplink")],
            At(43, FailbackDue.Instance));
        Assert.Null(_state.FailbackAt);
        Assert.False(_state.Candidates["phone"].Recovering);
    }

    [Fact]
    public void A_flapping_uplink_should_start_its_hold_time_again_each_time_it_fails()
    {
        BothHealthyPhoneActive();
        At(10, new HealthChanged("phone", UplinkHealth.Down, "2 probes unanswered in a row"));
        Assert.Equal([new ScheduleFailback(TimeSpan.FromSeconds(30))], At(20, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row")));

        Assert.Equal([CancelFailback.Instance], At(35, new HealthChanged("phone", UplinkHealth.Down, "2 probes unanswered in a row")));
        Assert.Equal([new ScheduleFailback(TimeSpan.FromSeconds(30))], At(40, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row")));
        Assert.Empty(At(50, FailbackDue.Instance));
        Assert.Equal("backup", _state.Active);
        Assert.Equal([new Switch("backup", "phone", "phone has been healthy for 30 s: back to the preferred uplink")], At(70, FailbackDue.Instance));
    }

    [Fact]
    public void A_preferred_uplink_that_never_failed_should_take_the_traffic_as_soon_as_it_is_healthy()
    {
        At(0, new UplinkAdded("backup", 20));
        At(0, new UplinkReady("backup"));
        At(1, new HealthChanged("backup", UplinkHealth.Up, "3 probes answered in a row"));
        At(5, new UplinkAdded("phone", 10));

        Assert.Empty(At(5, new UplinkReady("phone"))); // connected, not yet confirmed: the healthy backup keeps the traffic
        Assert.Equal(
            [new Switch("backup", "phone", "phone is healthy and preferred (priority 10 before 20)")],
            At(6, new HealthChanged("phone", UplinkHealth.Up, "3 probes answered in a row")));
    }

    [Fact]
    public void An_equal_priority_should_never_take_the_traffic_from_a_working_uplink()
    {
        At(0, new UplinkAdded("a", 10));
        At(0, new UplinkAdded("b", 10));
        At(0, new UplinkReady("b"));
        At(1, new HealthChanged("b", UplinkHealth.Up, "ok"));
        At(2, new UplinkReady("a"));

        Assert.Empty(At(3, new HealthChanged("a", UplinkHealth.Up, "ok")));
        Assert.Equal("b", _state.Active);
        Assert.Null(_state.FailbackAt);
    }

    [Fact]
    public void When_every_uplink_is_unhealthy_the_active_one_should_keep_the_traffic_and_say_why()
    {
        BothHealthyPhoneActive();
        At(5, new HealthChanged("backup", UplinkHealth.Down, "2 probes unanswered in a row"));

        Assert.Empty(At(6, new HealthChanged("phone", UplinkHealth.Down, "2 probes unanswered in a row")));
        Assert.Equal("phone", _state.Active);
        Assert.Equal("phone is unhealthy: 2 probes unanswered in a row; no other uplink is healthy, so phone keeps the traffic", _state.Reason);

        Assert.Equal(
            [new Switch("phone", "backup", "backup is healthy: 3 probes answered in a row; backup carries the traffic")],
            At(9, new HealthChanged("backup", UplinkHealth.Up, "3 probes answered in a row")));
    }

    [Fact]
    public void A_failed_active_uplink_should_give_the_traffic_to_a_connected_one_even_before_its_probes_confirm_it()
    {
        BothHealthyPhoneActive();
        At(5, new UplinkNotReady("backup", "carrier lost on usb1"));
        At(6, new UplinkReady("backup"));

        Assert.Equal(
            [new Switch("phone", "backup", "phone is down: lease lost; backup carries the traffic (connected, not yet confirmed by probes)")],
            At(7, new UplinkNotReady("phone", "lease lost")));
    }

    [Fact]
    public void When_the_last_uplink_goes_the_traffic_should_have_nowhere_to_go()
    {
        At(0, new UplinkAdded("dongle", 20));
        At(0, new UplinkReady("dongle"));

        Assert.Equal(
            [new Switch("dongle", null, "dongle is gone: PPP link down: pppd exited; no uplink is left")],
            At(9, new UplinkRemoved("dongle", "PPP link down: pppd exited")));
        Assert.Null(_state.Active);
        Assert.Null(_state.ActiveSince);
        Assert.Empty(_state.Candidates);
    }

    [Fact]
    public void A_connected_but_unhealthy_uplink_should_still_be_used_when_nothing_better_is_left()
    {
        BothHealthyPhoneActive();
        At(5, new HealthChanged("backup", UplinkHealth.Down, "2 probes unanswered in a row"));

        Assert.Equal(
            [new Switch("phone", "backup", "phone is gone: removed; no uplink is healthy; backup is the best connected one")],
            At(6, new UplinkRemoved("phone", "removed")));
    }

    [Fact]
    public void Events_for_an_unknown_uplink_should_change_nothing()
    {
        BothHealthyPhoneActive();
        var before = _state;

        Assert.Empty(At(5, new UplinkNotReady("ghost", "gone")));
        Assert.Empty(At(5, new HealthChanged("ghost", UplinkHealth.Down, "x")));
        Assert.Empty(At(5, new UplinkRemoved("ghost", "x")));
        Assert.Same(before, _state);
    }

    [Fact]
    public void Metric_should_put_the_active_uplink_below_every_standby_one_and_standbys_in_priority_order()
    {
        var metrics = new RouteMetrics(100, 1000);

        Assert.Equal(102, Failover.Metric(metrics, true, 10, 2));
        Assert.Equal(2002, Failover.Metric(metrics, false, 10, 2));
        Assert.Equal(3000, Failover.Metric(metrics, false, 20, 0));
        Assert.True(Failover.Metric(metrics, true, 99, 99) < Failover.Metric(metrics, false, 0, 0));
    }
}
