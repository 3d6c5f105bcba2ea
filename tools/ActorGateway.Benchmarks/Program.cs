using System.CommandLine;
using System.Diagnostics;
using ActorGateway.Benchmarks;
using ActorGateway.Core.Modem;
using ActorGateway.Linux.State;

var runs = new Option<int>("--runs") { Description = "runs of each program (default 5)", DefaultValueFactory = _ => 5 };
var warmCycles = new Option<int>("--warm-cycles")
{
    Description = "unplug/replug cycles per gateway process, for the warm rows (default 3; 0 skips them)",
    DefaultValueFactory = _ => 3,
};
var model = new Option<string>("--model")
{
    Description = "the simulated model: nokia-c2-01 (the seed guide's phone, default) or generic-lte",
    DefaultValueFactory = _ => "nokia-c2-01",
};
var gatewayPath = new Option<string?>("--gateway")
{
    Description = "actorgateway.dll (run with dotnet) or a published actorgateway executable; default: the Host build output of this configuration",
};
var noPin = new Option<bool>("--no-pin") { Description = "skip the variant whose SIM asks for a PIN" };
var noWarmup = new Option<bool>("--no-warmup") { Description = "count the very first run too (disk cache cold)" };
var json = new Option<bool>("--json") { Description = "print JSON instead of the table" };
var trace = new Option<bool>("--trace")
{
    Description = "run the gateway at log level Debug (every AT round trip, with the time) and print its log and the modem's to stderr; " +
        "for finding where the time goes (the figures then include the cost of that logging)",
};
var root = new RootCommand(
    "Prints how long the gateway and wvdial take from a present device to CONNECT on an instant-answer simulated modem behind a pty.")
{
    runs, warmCycles, model, gatewayPath, noPin, noWarmup, json, trace,
};

root.SetAction(async (parse, cancellationToken) =>
{
    var within = TimeSpan.FromSeconds(30);
    var loadAtStart = Machine.LoadAverage();
    var profile = InstantModem.Model(parse.GetValue(model)!);
    var cycles = Math.Max(0, parse.GetValue(warmCycles));
    var count = Math.Max(1, parse.GetValue(runs));
    var withPin = !parse.GetValue(noPin);
    try
    {
        var program = parse.GetValue(gatewayPath) is { Length: > 0 } path ? new GatewayProgram(Path.GetFullPath(path)) : GatewayProgram.FromBuildOutput();
        var wvdial = Machine.FindOnPath("wvdial");
        if (wvdial is null)
        {
            Console.Error.WriteLine("wvdial is not installed (apt-get install wvdial); measuring the gateway alone");
        }

        var gateway = new GatewayBench(program, profile, parse.GetValue(trace));
        var wvdialBench = wvdial is null ? null : new WvdialBench(wvdial, profile);
        var scenarios = new List<Scenario>
        {
            new(Keys.Wvdial, "wvdial, cold process", "process start"),
            new(Keys.GatewayCold, "gateway, cold process", "process start"),
            new(Keys.GatewayWarm, "gateway, warm (replug)", "tty back after a replug"),
            new(Keys.PinCold, "gateway + SIM PIN, cold", "process start"),
            new(Keys.PinWarm, "gateway + SIM PIN, warm", "tty back after a replug"),
        };
        var byKey = scenarios.ToDictionary(s => s.Key);

        async Task Round(IReadOnlyDictionary<string, Scenario> into, string label)
        {
            if (wvdialBench is not null)
            {
                Progress($"{label}: wvdial");
                await wvdialBench.RunAsync(into[Keys.Wvdial], within, cancellationToken);
            }

            Progress($"{label}: gateway");
            await gateway.RunAsync(false, cycles, into[Keys.GatewayCold], cycles > 0 ? into[Keys.GatewayWarm] : null, within, cancellationToken);
            if (withPin)
            {
                Progress($"{label}: gateway with a SIM PIN");
                await gateway.RunAsync(true, cycles, into[Keys.PinCold], cycles > 0 ? into[Keys.PinWarm] : null, within, cancellationToken);
            }
        }

        var warmup = !parse.GetValue(noWarmup);
        if (warmup)
        {
            // Loads both programs' files into the page cache; its figures are thrown away.
            await Round(scenarios.ToDictionary(s => s.Key, s => new Scenario(s.Key, s.Title, s.StartMark)), "warm-up");
        }

        for (var i = 1; i <= count; i++)
        {
            await Round(byKey, $"run {i}/{count}");
        }

        Progress("serial round trips and the PIN step's parts, in this process");
        var floor = await SerialFloor.MeasureAsync(profile, cancellationToken);
        var pinCosts = withPin ? await MeasurePinStepAsync() : null;
        var settings = new Settings(count, cycles, warmup, profile.Name, $"{program.Describe()} (log level {(parse.GetValue(trace) ? "Debug" : "Information")})", GatewayBench.RetryEvery.TotalMilliseconds);
        var report = new Report(Machine.Describe(wvdial, loadAtStart), settings, scenarios, pinCosts, floor);
        Console.WriteLine(parse.GetValue(json) ? report.Json() : report.Text());
        return 0;
    }
    catch (BenchmarkException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
});

return await root.Parse(args).InvokeAsync();

static void Progress(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

// What the gateway's PIN step spends besides AT round trips, measured here with the gateway's own code.
static async Task<PinStepCosts> MeasurePinStepAsync()
{
    const int Rounds = 5;
    var hash = double.MaxValue;
    var save = double.MaxValue;
    var directory = Directory.CreateTempSubdirectory("ag-bench-state-").FullName;
    try
    {
        var store = new FilePinVerdictStore(directory);
        for (var i = 0; i < Rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            var pinHash = PinHash.Create(InstantModem.Pin);
            hash = Math.Min(hash, clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await store.SaveAsync("bench", new PinVerdict(pinHash, PinAttemptState.Pending, 3, null, DateTimeOffset.UtcNow), CancellationToken.None);
            save = Math.Min(save, clock.Elapsed.TotalMilliseconds);
        }
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }

    return new PinStepCosts(hash, save);
}
