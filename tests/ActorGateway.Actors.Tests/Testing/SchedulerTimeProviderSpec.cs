using ActorGateway.Actors.Tests.TestSupport;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Testing;

public sealed class SchedulerTimeProviderSpec(ITestOutputHelper output) : VirtualTimeSpec(output)
{
    [Fact]
    public void SchedulerTimeProvider_should_follow_the_virtual_clock()
    {
        var before = Clock.GetUtcNow();
        var stamp = Clock.GetTimestamp();

        Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(before + TimeSpan.FromMinutes(3), Clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(3), Clock.GetElapsedTime(stamp));
    }

    [Fact]
    public void SchedulerTimeProvider_should_fire_a_timer_once_when_it_is_due()
    {
        var fired = 0;
        using var timer = Clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(0, fired);
        Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, fired);
        Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void SchedulerTimeProvider_should_not_fire_a_disposed_timer()
    {
        var fired = 0;
        var timer = Clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, fired);
    }

    [Fact]
    public void SchedulerTimeProvider_should_fire_a_changed_timer_only_at_its_new_time()
    {
        var fired = new List<DateTimeOffset>();
        using var timer = Clock.CreateTimer(_ => fired.Add(Clock.GetUtcNow()), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        var start = Clock.GetUtcNow();

        timer.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(fired);
        Advance(TimeSpan.FromSeconds(3));

        Assert.Equal([start + TimeSpan.FromSeconds(5)], fired);
    }

    [Fact]
    public void SchedulerTimeProvider_should_repeat_a_periodic_timer_until_disposed()
    {
        var fired = 0;
        var timer = Clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        for (var i = 0; i < 3; i++)
        {
            Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, fired);
        timer.Dispose();
        Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, fired);
    }
}
