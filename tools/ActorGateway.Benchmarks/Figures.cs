using ActorGateway.Core;
using ActorGateway.Simulation;

namespace ActorGateway.Benchmarks;

/// <summary>One command as the modem saw it: its text (secrets masked) and the time since the previous command arrived.</summary>
internal sealed record Step(string Command, double GapMs);

/// <summary>What one run measured, all at the modem's side from its command log.</summary>
/// <param name="FirstCommandToAtdMs">From the first command line to the ATD line.</param>
/// <param name="StartToConnectMs">From the start mark (process start, or the tty coming back) to CONNECT.</param>
/// <param name="StartToFirstCommandMs">From the start mark to the first command line.</param>
/// <param name="Commands">Command lines sent, the ATD included.</param>
/// <param name="EmptyLines">Empty lines (a bare CR) sent besides the commands; wvdial sends a few to wake the modem.</param>
/// <param name="FirstLineToAtdMs">From the first line of any kind (empty lines included) to the ATD line.</param>
/// <param name="Steps">Each command with the gap before it.</param>
internal sealed record Sample(
    double FirstCommandToAtdMs,
    double StartToConnectMs,
    double StartToFirstCommandMs,
    int Commands,
    int EmptyLines,
    double FirstLineToAtdMs,
    IReadOnlyList<Step> Steps)
{
    /// <summary>
    /// Figures from the lines through the dial (the last one is the ATD that connected) and the start mark. Empty lines
    /// are not commands: they are counted apart, and the first command is the first line with text.
    /// </summary>
    public static Sample From(DateTimeOffset start, IReadOnlyList<CommandLogEntry> lines)
    {
        var commands = lines.Where(e => !string.IsNullOrWhiteSpace(e.Line)).ToList();
        var first = commands[0].Timestamp;
        var atd = commands[^1].Timestamp; // CONNECT went out while the modem took this line (no dial delay)
        var steps = commands.Select((e, i) => new Step(Redaction.Command(e.Line), i == 0 ? 0 : Ms(e.Timestamp - commands[i - 1].Timestamp))).ToList();
        return new Sample(Ms(atd - first), Ms(atd - start), Ms(first - start), commands.Count, lines.Count - commands.Count,
            Ms(atd - lines[0].Timestamp), steps);
    }

    private static double Ms(TimeSpan t) => t.TotalMilliseconds;
}

/// <summary>One program in one situation (e.g. the gateway, warm, with a SIM PIN), and its runs.</summary>
internal sealed class Scenario(string key, string title, string startMark)
{
    public string Key { get; } = key;

    public string Title { get; } = title;

    /// <summary>What "start" means for this scenario's start → CONNECT.</summary>
    public string StartMark { get; } = startMark;

    public List<Sample> Samples { get; } = [];

    public Stat FirstCommandToAtd => Stat.Of(Samples.Select(s => s.FirstCommandToAtdMs));

    public Stat StartToConnect => Stat.Of(Samples.Select(s => s.StartToConnectMs));

    public Stat StartToFirstCommand => Stat.Of(Samples.Select(s => s.StartToFirstCommandMs));

    public Stat Commands => Stat.Of(Samples.Select(s => (double)s.Commands));

    public Stat EmptyLines => Stat.Of(Samples.Select(s => (double)s.EmptyLines));

    public Stat FirstLineToAtd => Stat.Of(Samples.Select(s => s.FirstLineToAtdMs));

    /// <summary>The median gap before each command, keyed by command and occurrence, in the order of the longest run.</summary>
    public IReadOnlyList<(string Command, double MedianGapMs)> MedianSteps()
    {
        var longest = Samples.MaxBy(s => s.Steps.Count);
        if (longest is null)
        {
            return [];
        }

        var keys = Keyed(longest.Steps).Select(k => k.Key).ToList();
        var gaps = keys.ToDictionary(k => k, _ => new List<double>());
        foreach (var sample in Samples)
        {
            foreach (var (key, step) in Keyed(sample.Steps))
            {
                if (gaps.TryGetValue(key, out var list))
                {
                    list.Add(step.GapMs);
                }
            }
        }

        return [.. keys.Select(k => (k.Command, Stat.Of(gaps[k]).Median))];
    }

    /// <summary>Steps keyed by (command, n-th time it was sent), so repeated commands line up across runs.</summary>
    public static IEnumerable<((string Command, int Occurrence) Key, Step Step)> Keyed(IReadOnlyList<Step> steps)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            var n = seen[step.Command] = seen.GetValueOrDefault(step.Command) + 1;
            yield return ((step.Command, n), step);
        }
    }
}

/// <summary>Median and minimum of a set of figures.</summary>
internal readonly record struct Stat(double Median, double Min, int Count)
{
    public static Stat Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Stat(double.NaN, double.NaN, 0);
        }

        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Stat(median, sorted[0], sorted.Length);
    }
}
