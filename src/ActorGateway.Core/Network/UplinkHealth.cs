namespace ActorGateway.Core.Network;

/// <summary>What the probes say about an uplink.</summary>
public enum UplinkHealth
{
    /// <summary>Not enough probes yet (a new or returning uplink).</summary>
    Unknown,

    /// <summary>The last <see cref="HealthThresholds.Up"/> probe rounds were answered.</summary>
    Up,

    /// <summary>The last <see cref="HealthThresholds.Down"/> probe rounds went unanswered.</summary>
    Down,
}

/// <summary>
/// How many probe rounds in a row change an uplink's health: <paramref name="Up"/> answered rounds make it
/// healthy, <paramref name="Down"/> unanswered ones make it unhealthy (mwan3's <c>up</c> and <c>down</c>).
/// </summary>
public sealed record HealthThresholds(int Up, int Down)
{
    /// <summary>Both thresholds are at least one.</summary>
    public HealthThresholds Validate() => Up >= 1 && Down >= 1
        ? this
        : throw new ArgumentOutOfRangeException(nameof(Up), "both thresholds must be at least 1");
}

/// <summary>An uplink's health and the run of equal results that leads to it.</summary>
/// <param name="Health">Where the uplink stands.</param>
/// <param name="Answered">Answered rounds in a row (0 after an unanswered one).</param>
/// <param name="Unanswered">Unanswered rounds in a row (0 after an answered one).</param>
public sealed record HealthState(UplinkHealth Health, int Answered, int Unanswered)
{
    /// <summary>Nothing known yet.</summary>
    public static readonly HealthState Initial = new(UplinkHealth.Unknown, 0, 0);
}

/// <summary>The health changed, and why, in words for the log and status.</summary>
public sealed record HealthChange(UplinkHealth From, UplinkHealth To, string Reason);

/// <summary>
/// The health state machine, pure: each probe round's result moves the counters; a run long enough moves the
/// health. An uplink is not declared down on one lost packet, nor up on one answer (mwan3's up/down counts).
/// </summary>
public static class HealthMonitor
{
    /// <summary>The state after one probe round, and the change it caused, if any.</summary>
    public static (HealthState State, HealthChange? Change) Apply(HealthState state, bool answered, HealthThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(thresholds);
        var next = answered
            ? state with { Answered = Saturating(state.Answered), Unanswered = 0 }
            : state with { Answered = 0, Unanswered = Saturating(state.Unanswered) };

        if (answered && next.Answered >= thresholds.Up && state.Health != UplinkHealth.Up)
        {
            return (next with { Health = UplinkHealth.Up },
                new HealthChange(state.Health, UplinkHealth.Up, $"{Rounds(next.Answered)} answered in a row"));
        }

        if (!answered && next.Unanswered >= thresholds.Down && state.Health != UplinkHealth.Down)
        {
            return (next with { Health = UplinkHealth.Down },
                new HealthChange(state.Health, UplinkHealth.Down, $"{Rounds(next.Unanswered)} unanswered in a row"));
        }

        return (next, null);
    }

    private static int Saturating(int n) => n == int.MaxValue ? n : n + 1;

    private static string Rounds(int n) => n == 1 ? "1 probe" : $"{n} probes";
}
