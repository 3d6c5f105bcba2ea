using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorGateway.Benchmarks;

/// <summary>The benchmark's settings as the report states them.</summary>
internal sealed record Settings(int Runs, int WarmCycles, bool WarmupRun, string Model, string Gateway, double GatewayRetryMs);

/// <summary>A target from the issue and whether the figures meet it.</summary>
internal sealed record Target(string Text, bool? Met, string Figures);

/// <summary>Reference costs of the PIN step's parts, measured in this process.</summary>
internal sealed record PinStepCosts(double Pbkdf2Ms, double VerdictSaveMs);

/// <summary>Everything measured, and how it is printed: a table for people, or JSON.</summary>
internal sealed class Report(Machine machine, Settings settings, IReadOnlyList<Scenario> scenarios, PinStepCosts? pinCosts, SerialFloor? floor)
{
    /// <summary>At most this long from the first command to ATD (the issue's target).</summary>
    public const double FirstCommandToAtdTargetMs = 50;

    /// <summary>At least this many times faster than wvdial from the first command to ATD.</summary>
    public const double SpeedupTarget = 8;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private Scenario? Find(string key) => scenarios.FirstOrDefault(s => s.Key == key && s.Samples.Count > 0);

    /// <summary>The issue's targets, judged on medians.</summary>
    public IReadOnlyList<Target> Targets()
    {
        var wvdial = Find(Keys.Wvdial);
        var cold = Find(Keys.GatewayCold);
        var warm = Find(Keys.GatewayWarm);
        var targets = new List<Target>();
        foreach (var s in new[] { cold, warm }.OfType<Scenario>())
        {
            var atd = s.FirstCommandToAtd.Median;
            targets.Add(new Target($"first command → ATD ≤ {FirstCommandToAtdTargetMs:0} ms ({s.Title})", atd <= FirstCommandToAtdTargetMs, $"{Ms(atd)} ms"));
        }

        foreach (var s in new[] { cold, warm }.OfType<Scenario>())
        {
            var speedup = wvdial is null ? double.NaN : wvdial.FirstCommandToAtd.Median / s.FirstCommandToAtd.Median;
            targets.Add(new Target($"≥ {SpeedupTarget:0}× faster than wvdial from first command to ATD ({s.Title})",
                wvdial is null ? null : speedup >= SpeedupTarget,
                wvdial is null ? "wvdial not measured" : $"{speedup.ToString("0.0", Invariant)}× ({Ms(s.FirstCommandToAtd.Median)} vs {Ms(wvdial.FirstCommandToAtd.Median)} ms)"));
        }

        if (cold is not null)
        {
            targets.Add(new Target("process start → CONNECT no slower than wvdial's (gateway, cold process)",
                wvdial is null ? null : cold.StartToConnect.Median <= wvdial.StartToConnect.Median,
                wvdial is null ? "wvdial not measured" : $"{Ms(cold.StartToConnect.Median)} vs {Ms(wvdial.StartToConnect.Median)} ms"));
        }

        return targets;
    }

    public string Text()
    {
        var text = new StringBuilder();
        text.AppendLine("ActorGateway dial benchmark: a present device to CONNECT, the gateway against wvdial");
        text.AppendLine($"  modem    simulated {settings.Model} behind a real pty; answers at once (registered at power-on, CONNECT as ATD arrives)");
        text.AppendLine($"  machine  {machine.Cpus} CPUs (nproc), {machine.Cpu}, {machine.Os}, {machine.Kernel}");
        text.AppendLine($"  load     1-minute load average {machine.Load} (other work on the machine skews the figures)");
        text.AppendLine($"  .NET     SDK {machine.DotnetSdk} (dotnet --version), runtime {machine.Runtime}");
        text.AppendLine($"  gateway  {settings.Gateway}");
        text.AppendLine($"  wvdial   {machine.Wvdial ?? "not installed (apt-get install wvdial): no comparison"}");
        text.AppendLine($"  runs     {settings.Runs} of each{(settings.WarmupRun ? " after one uncounted warm-up run of each" : string.Empty)}; " +
            $"warm rows: {settings.WarmCycles} unplug/replug cycle(s) per gateway process, the gateway retrying its tty every {settings.GatewayRetryMs:0} ms");
        text.AppendLine();

        var rows = scenarios.Where(s => s.Samples.Count > 0).ToList();
        var width = Math.Max(26, rows.Max(r => r.Title.Length)) + 2;
        text.AppendLine(L("", width) + L("first command → ATD", 22) + L("start → CONNECT", 22) + L("start → 1st cmd", 18) + R("commands", 8));
        text.AppendLine(L("", width) + R("median", 8) + R("min", 8) + L("", 6) + R("median", 8) + R("min", 8) + L("", 6) + R("median", 8));
        foreach (var s in rows)
        {
            text.AppendLine(L(s.Title, width) + R(Ms(s.FirstCommandToAtd.Median), 8) + R(Ms(s.FirstCommandToAtd.Min), 8) + L("", 6) +
                R(Ms(s.StartToConnect.Median), 8) + R(Ms(s.StartToConnect.Min), 8) + L("", 6) + R(Ms(s.StartToFirstCommand.Median), 8) +
                L("", 10) + R(s.Commands.Median.ToString("0", Invariant), 8));
        }

        text.AppendLine(L("", width) + $"(ms; runs per row: {string.Join(", ", rows.Select(r => r.Samples.Count).Distinct())})");
        text.AppendLine("  start: just before Process.Start for the cold rows; the moment the tty is back after a replug for the warm rows.");
        text.AppendLine("  CONNECT: the modem answers it while it takes the ATD line (no dial delay), so it is the ATD line's timestamp.");
        foreach (var s in rows.Where(r => r.EmptyLines.Median > 0))
        {
            text.AppendLine($"  {s.Title}: also sent {s.EmptyLines.Median:0} empty lines before its first command (not counted as commands); " +
                $"from the first of them to ATD: median {Ms(s.FirstLineToAtd.Median)} ms.");
        }

        if (Find(Keys.Wvdial) is { } wvdial)
        {
            text.AppendLine();
            text.AppendLine(L("gateway / wvdial (medians)", width) + L("first command → ATD", 26) + "start → CONNECT");
            foreach (var s in rows.Where(r => r.Key != Keys.Wvdial))
            {
                text.AppendLine(L(s.Title, width) + L(Ratio(s.FirstCommandToAtd.Median, wvdial.FirstCommandToAtd.Median), 26) +
                    Ratio(s.StartToConnect.Median, wvdial.StartToConnect.Median));
            }
        }

        text.AppendLine();
        text.AppendLine("targets (issue), on medians");
        foreach (var t in Targets())
        {
            text.AppendLine($"  [{L(t.Met switch { true => "met", false => "MISSED", null => "n/a" }, 6)}] {t.Text}: {t.Figures}");
        }

        text.AppendLine("  (the SIM PIN rows carry no target: they show what the PIN step costs)");

        text.AppendLine();
        text.AppendLine("where the time goes: median gap before each command reached the modem (ms) = the modem's answer to the");
        text.AppendLine("previous command + the dialler's reaction to it (reading, parsing, deciding, writing)");
        var columns = rows.Select(r => (r, Steps: r.MedianSteps())).ToList();
        var order = columns.OrderByDescending(c => c.Steps.Count).SelectMany(c => Keyed(c.Steps).Select(k => k.Key)).Distinct().ToList();
        var commandWidth = Math.Max(20, order.Max(k => Label(k).Length)) + 2;
        text.Append(L("command", commandWidth));
        foreach (var (r, _) in columns)
        {
            text.Append(R(Short(r), 10));
        }

        text.AppendLine();
        foreach (var key in order)
        {
            text.Append(L(Label(key), commandWidth));
            foreach (var (_, steps) in columns)
            {
                var cell = Keyed(steps).Where(k => k.Key == key).Select(k => Ms(k.Gap)).FirstOrDefault() ?? string.Empty;
                text.Append(R(cell, 10));
            }

            text.AppendLine();
        }

        text.AppendLine();
        if (floor is not null)
        {
            text.AppendLine(string.Create(Invariant,
                $"serial round trip on this pty (AT → OK, no actors, median of 200): System.IO.Ports as the gateway uses it " +
                $"(SystemSerialConnection, a read always pending) {floor.SystemIoPortsMs:0.000} ms; plain read/write on the tty {floor.RawTtyMs:0.000} ms"));
        }

        if (pinCosts is not null)
        {
            text.AppendLine(string.Create(Invariant,
                $"PIN step parts, measured in this process: PBKDF2-SHA256, 100 000 iterations (PinHash.Create or Matches) {pinCosts.Pbkdf2Ms:0.0} ms; " +
                $"a durable verdict save (FilePinVerdictStore.SaveAsync: write, fsync, rename) {pinCosts.VerdictSaveMs:0.0} ms"));
        }

        return text.ToString();
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        machine,
        settings,
        scenarios = scenarios.Where(s => s.Samples.Count > 0).Select(s => new
        {
            s.Key,
            s.Title,
            s.StartMark,
            FirstCommandToAtdMs = s.FirstCommandToAtd,
            StartToConnectMs = s.StartToConnect,
            StartToFirstCommandMs = s.StartToFirstCommand,
            Commands = s.Commands,
            MedianSteps = s.MedianSteps().Select(x => new { x.Command, x.MedianGapMs }),
            s.Samples,
        }),
        ratios = Find(Keys.Wvdial) is { } wvdial
            ? scenarios.Where(s => s.Key != Keys.Wvdial && s.Samples.Count > 0).Select(s => new
            {
                s.Key,
                FirstCommandToAtd = s.FirstCommandToAtd.Median / wvdial.FirstCommandToAtd.Median,
                StartToConnect = s.StartToConnect.Median / wvdial.StartToConnect.Median,
            }).ToList()
            : null,
        targets = Targets(),
        pinStepCosts = pinCosts,
        serialRoundTripMs = floor,
    }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static IEnumerable<((string Command, int Occurrence) Key, double Gap)> Keyed(IReadOnlyList<(string Command, double MedianGapMs)> steps) =>
        Scenario.Keyed([.. steps.Select(s => new Step(s.Command, s.MedianGapMs))]).Select(k => (k.Key, k.Step.GapMs));

    private static string Short(Scenario s) => s.Key switch
    {
        Keys.Wvdial => "wvdial",
        Keys.GatewayCold => "gw cold",
        Keys.GatewayWarm => "gw warm",
        Keys.PinCold => "pin cold",
        Keys.PinWarm => "pin warm",
        _ => s.Key,
    };

    private static string Label((string Command, int Occurrence) key) => key.Occurrence > 1 ? $"{key.Command} (#{key.Occurrence})" : key.Command;

    private static string L(string text, int width) => text.PadRight(width);

    private static string R(string text, int width) => text.PadLeft(width);

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("0.0", Invariant);

    private static string Ratio(double ours, double theirs)
    {
        var ratio = ours / theirs;
        var words = ratio <= 1 ? $"{(1 / ratio).ToString("0.0", Invariant)}× faster" : $"{ratio.ToString("0.0", Invariant)}× slower";
        return $"{ratio.ToString("0.000", Invariant)} ({words})";
    }
}

/// <summary>The scenarios' keys (also in the JSON).</summary>
internal static class Keys
{
    public const string Wvdial = "wvdial-cold";
    public const string GatewayCold = "gateway-cold";
    public const string GatewayWarm = "gateway-warm";
    public const string PinCold = "gateway-pin-cold";
    public const string PinWarm = "gateway-pin-warm";
}
