namespace ActorGateway.Lab;

/// <summary>What one scenario found: its checks, its measured figures, and an error if it could not finish.</summary>
public sealed class ScenarioRun(Lab lab)
{
    public List<(string What, bool Ok, string Detail)> Checks { get; } = [];

    public List<(string What, TimeSpan Value)> Figures { get; } = [];

    public string? Error { get; set; }

    public TimeSpan Duration { get; set; }

    public string LogPath { get; set; } = "";

    public bool Passed => Error is null && Checks.Count > 0 && Checks.All(c => c.Ok);

    /// <summary>Records a check and says how it went.</summary>
    public bool Check(bool ok, string what, string detail = "")
    {
        Checks.Add((what, ok, detail));
        lab.Say($"  {(ok ? "ok  " : "FAIL")} {what}{(detail.Length > 0 ? $" ({detail})" : "")}");
        return ok;
    }

    /// <summary>Records a measured figure.</summary>
    public void Figure(string what, TimeSpan value)
    {
        Figures.Add((what, value));
        lab.Say($"  time {what}: {Lab.Seconds(value)}");
    }
}

/// <summary>One of the issue's scenarios, run on a booted <see cref="Lab"/>.</summary>
public abstract class Scenario
{
    /// <summary>The issue's number for it (1-6; 7 and 8 are the lab's own).</summary>
    public abstract int Number { get; }

    /// <summary>The name given on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>One line on what it proves.</summary>
    public abstract string Title { get; }

    public abstract Task RunAsync(Lab lab, ScenarioRun run, CancellationToken cancellationToken);

    /// <summary>Every scenario, in the order one boot runs them (each leaves the lab as the next expects it).</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new ColdPlug(), new HotPlug(), new TwoModems(), new BrownOut(), new StalePort(), new IspDrop(), new NoCarrier(), new Sigterm(),
    ];
}
