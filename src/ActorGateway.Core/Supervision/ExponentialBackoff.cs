namespace ActorGateway.Core.Supervision;

/// <summary>
/// Exponential backoff as a value: <see cref="Next"/> gives the delay to wait and the state after it.
/// Starts at the minimum, doubles, stays at the cap. Pure, so both redial and restart policies and
/// their tests use the same arithmetic.
/// </summary>
public readonly record struct ExponentialBackoff(TimeSpan Min, TimeSpan Max, int Attempt = 0)
{
    /// <summary>The delay before the next attempt, and the backoff that follows it.</summary>
    public (TimeSpan Delay, ExponentialBackoff Next) Next()
    {
        var factor = Math.Pow(2, Math.Min(Attempt, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(Max.Ticks, Min.Ticks * factor));
        return (delay, this with { Attempt = Attempt + 1 });
    }

    /// <summary>Back to the start, after a success that lasted.</summary>
    public ExponentialBackoff Reset() => this with { Attempt = 0 };
}
