using ActorGateway.Core.Supervision;

namespace ActorGateway.Core.Tests.Supervision;

public class ExponentialBackoffTests
{
    private static readonly ExponentialBackoff Redial = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));

    private static List<TimeSpan> Delays(ExponentialBackoff backoff, int count)
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            (var delay, backoff) = backoff.Next();
            delays.Add(delay);
        }

        return delays;
    }

    [Fact]
    public void ExponentialBackoff_should_start_at_the_minimum_and_double()
    {
        Assert.Equal(
            new[] { 5, 10, 20, 40, 80, 160, 320 }.Select(s => TimeSpan.FromSeconds(s)),
            Delays(Redial, 7));
    }

    [Fact]
    public void ExponentialBackoff_should_stay_at_the_cap()
    {
        var delays = Delays(Redial, 12);

        Assert.Equal(TimeSpan.FromMinutes(10), delays[7]);
        Assert.All(delays.Skip(7), d => Assert.Equal(TimeSpan.FromMinutes(10), d));
    }

    [Fact]
    public void ExponentialBackoff_should_not_overflow_after_many_attempts()
    {
        var late = Redial with { Attempt = 10_000 };

        Assert.Equal(TimeSpan.FromMinutes(10), late.Next().Delay);
        Assert.Equal(10_001, late.Next().Next.Attempt);
    }

    [Fact]
    public void ExponentialBackoff_should_start_again_at_the_minimum_after_reset()
    {
        var (_, backoff) = Redial.Next();
        (_, backoff) = backoff.Next();
        (_, backoff) = backoff.Next();

        var reset = backoff.Reset();

        Assert.Equal(0, reset.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(5), reset.Next().Delay);
        Assert.Equal(Redial, reset);
    }

    [Fact]
    public void ExponentialBackoff_should_be_a_value_that_Next_does_not_change()
    {
        var backoff = Redial with { Attempt = 2 };

        Assert.Equal(TimeSpan.FromSeconds(20), backoff.Next().Delay);
        Assert.Equal(TimeSpan.FromSeconds(20), backoff.Next().Delay);
        Assert.Equal(2, backoff.Attempt);
    }

    [Fact]
    public void ExponentialBackoff_should_stay_constant_when_minimum_and_cap_are_equal()
    {
        Assert.All(Delays(new ExponentialBackoff(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), 5), d => Assert.Equal(TimeSpan.FromSeconds(30), d));
    }
}
