namespace ActorGateway.Simulation.Tests;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Advance_should_fire_timers_in_due_order_at_their_due_time()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var fired = new List<(string, TimeSpan)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.GetUtcNow() - start)), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => fired.Add(("tick", clock.GetUtcNow() - start)), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(
            [("tick", TimeSpan.FromSeconds(1)), ("late", TimeSpan.FromSeconds(3)), ("tick", TimeSpan.FromSeconds(3)), ("tick", TimeSpan.FromSeconds(5))],
            fired);
        Assert.Equal(start + TimeSpan.FromSeconds(5), clock.GetUtcNow());
    }

    [Fact]
    public void Dispose_should_stop_a_timer()
    {
        var clock = new ManualTimeProvider();
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.ActiveTimers);
    }
}
