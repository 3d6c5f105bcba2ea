using System.Diagnostics;
using ActorGateway.Lab;

// tools/lab/run builds the boot files and publishes the gateway, then runs this with the scenarios to run.
var repository = Directory.GetCurrentDirectory();
string? work = null;
var dotnet = "dotnet";
var config = Environment.GetEnvironmentVariable("LAB_CONFIG") is { Length: > 0 } fromEnvironment ? fromEnvironment : "static";
var names = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--repo":
            repository = Path.GetFullPath(args[++i]);
            break;
        case "--work":
            work = Path.GetFullPath(args[++i]);
            break;
        case "--config":
            config = args[++i];
            break;
        case "--dotnet":
            dotnet = args[++i];
            break;
        case "--list":
            foreach (var s in Scenario.All.OrderBy(s => s.Number))
            {
                Console.WriteLine($"{s.Number} {s.Name,-11} {s.Title}");
            }

            return 0;
        default:
            names.Add(args[i]);
            break;
    }
}

var chosen = new List<Scenario>();
foreach (var name in names.Count == 0 ? Scenario.All.Select(s => s.Name) : names)
{
    var scenario = Scenario.All.FirstOrDefault(s => s.Name == name || s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == name);
    if (scenario is null)
    {
        Console.Error.WriteLine($"lab: no scenario \"{name}\" (try --list)");
        return 2;
    }

    chosen.Add(scenario);
}

// One boot runs them in the lab's order, whatever order they were named in.
chosen = [.. Scenario.All.Where(chosen.Contains)];
var paths = new LabPaths(repository, work ?? Path.Combine(repository, "tools", "lab", ".work"), dotnet, config);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var suite = Stopwatch.StartNew();
var runs = new List<(Scenario Scenario, ScenarioRun Run)>();
string? bootError = null;
Lab? lab = null;
try
{
    lab = await Lab.StartAsync(paths, stop.Token);
    foreach (var scenario in chosen)
    {
        var run = new ScenarioRun(lab);
        var (log, offset) = lab.BeginScenarioLog(scenario.Name);
        run.LogPath = log;
        lab.Say($"== {scenario.Number}. {scenario.Name}: {scenario.Title}");
        var clock = Stopwatch.StartNew();
        try
        {
            await scenario.RunAsync(lab, run, stop.Token);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            run.Error = e.Message;
            lab.Say($"  FAIL {e.Message}");
        }

        run.Duration = clock.Elapsed;
        lab.Say($"== {scenario.Name}: {(run.Passed ? "PASS" : "FAIL")} in {Lab.Seconds(run.Duration)}; log {log}");
        lab.EndScenarioLog(offset);
        runs.Add((scenario, run));
        if (stop.IsCancellationRequested)
        {
            break;
        }
    }
}
catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
{
    bootError = e.Message;
    Console.Error.WriteLine($"lab: {e.Message}");
}
finally
{
    if (lab is not null)
    {
        await lab.DisposeAsync();
    }
}

Console.WriteLine();
Console.WriteLine($"==== ActorGateway lab: {runs.Count(r => r.Run.Passed)} of {chosen.Count} scenarios passed, suite {Lab.Seconds(suite.Elapsed)} ====");
foreach (var (scenario, run) in runs)
{
    Console.WriteLine($"{scenario.Number}. {scenario.Name,-11} {(run.Passed ? "PASS" : "FAIL")}  ({Lab.Seconds(run.Duration)})  log: {run.LogPath}");
    foreach (var (what, value) in run.Figures)
    {
        Console.WriteLine($"     {what}: {Lab.Seconds(value)}");
    }

    foreach (var (what, _, detail) in run.Checks.Where(c => !c.Ok))
    {
        Console.WriteLine($"     failed: {what}{(detail.Length > 0 ? $" ({detail})" : "")}");
    }

    if (run.Error is not null)
    {
        Console.WriteLine($"     error: {run.Error}");
    }
}

foreach (var scenario in chosen.Where(s => runs.All(r => r.Scenario != s)))
{
    Console.WriteLine($"{scenario.Number}. {scenario.Name,-11} NOT RUN{(bootError is null ? "" : $" ({bootError})")}");
}

Console.WriteLine($"logs: {paths.Logs} (console.log, qemu.log), guest logs: {Path.Combine(paths.Share, "logs")}");
return bootError is null && runs.Count == chosen.Count && runs.All(r => r.Run.Passed) ? 0 : 1;
