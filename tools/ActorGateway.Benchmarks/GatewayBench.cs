using ActorGateway.Simulation;

namespace ActorGateway.Benchmarks;

/// <summary>
/// Runs the real <c>actorgateway run</c> as its own process against an <see cref="InstantModem"/>: cold (from process
/// start to CONNECT), then warm (the modem unplugged and plugged back while the same process keeps running).
/// </summary>
internal sealed class GatewayBench(GatewayProgram program, ModemProfile model, bool trace)
{
    // How long the call stays up before the unplug: long enough for the gateway to see pppd hold the tty and go online.
    private static readonly TimeSpan Online = TimeSpan.FromMilliseconds(100);

    // How long to leave the tty away once the pppd stand-in has seen it gone and exited: the gateway ends the call
    // and goes back to looking for the tty, so the replug finds it in its steady retry loop.
    private static readonly TimeSpan UnpluggedFor = TimeSpan.FromMilliseconds(300);

    // How often a gateway without its tty tries to open it again. The gateway has no hot-plug events for a
    // static device: it retries with its redial/restart backoff, set here to this constant pace so that a
    // replug is noticed within it.
    public static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>One gateway process: its cold start, then <paramref name="warmCycles"/> unplug/replug cycles.</summary>
    public async Task RunAsync(bool withPin, int warmCycles, Scenario cold, Scenario? warm, TimeSpan within, CancellationToken cancellationToken)
    {
        using var scratch = new Scratch();
        await using var modem = await InstantModem.StartAsync(scratch.Path, model, withPin).ConfigureAwait(false);
        var holds = scratch.File("pppd-holds");
        var gone = scratch.File("pppd-gone");
        var pppd = scratch.Script("pppd", $$"""
            #!/bin/sh
            # Stands in for pppd: opens the tty it is given and holds it, as pppd does (so the gateway may close its
            # own handle without hanging up), and ends once the device is gone (its tty link removed at the unplug).
            exec 3<>"$1"
            : > "{{holds}}"
            while [ -e "$1" ]; do sleep 0.02; done
            : > "{{gone}}"
            exit 16
            """);
        var config = scratch.Write("gateway.conf", $$"""
            actorgateway {
              control-socket = "{{scratch.File("control.sock")}}"
              state-directory = "{{scratch.File("state")}}"
              runtime-directory = "{{scratch.File("run")}}"
              defaults {
                modem-control-lines = off
                redial { min-backoff = {{RetryEvery.TotalMilliseconds}}ms, max-backoff = {{RetryEvery.TotalMilliseconds}}ms }
                ppp { program = "{{pppd}}" }
              }
              static-devices = [
                { id = "bench", port = "{{modem.TtyPath}}", profile = "{{ProfileName(model)}}", apn = "internet"{{(withPin ? $", pin = \"{InstantModem.Pin}\"" : "")}} }
              ]
            }
            """);

        await using var gateway = program.Start(config, scratch.Path, trace ? "Debug" : "Information");
        try
        {
            var lines = await modem.WaitForConnectAsync(0, within, cancellationToken).ConfigureAwait(false);
            cold.Samples.Add(Sample.From(gateway.StartedAt, lines));
            for (var cycle = 0; cycle < warmCycles && warm is not null; cycle++)
            {
                await WaitForFileAsync(holds, "the pppd stand-in never opened the tty", within, cancellationToken).ConfigureAwait(false);
                File.Delete(holds);
                await Task.Delay(Online, cancellationToken).ConfigureAwait(false);
                modem.Unplug();
                // Back only once the call has ended for sure: a stand-in starved of CPU must not miss the unplug.
                await WaitForFileAsync(gone, "the pppd stand-in did not see the unplug", within, cancellationToken).ConfigureAwait(false);
                File.Delete(gone);
                await Task.Delay(UnpluggedFor, cancellationToken).ConfigureAwait(false);
                var from = modem.LogLength;
                modem.Replug();
                var present = TimeProvider.System.GetUtcNow();
                lines = await modem.WaitForConnectAsync(from, within, cancellationToken).ConfigureAwait(false);
                warm.Samples.Add(Sample.From(present, lines));
            }
        }
        catch (TimeoutException e)
        {
            throw new BenchmarkException($"the gateway{(withPin ? " (SIM PIN)" : "")} did not connect: {e.Message}\n--- its output ---\n{gateway.OutputTail}");
        }
        finally
        {
            if (trace)
            {
                await Console.Error.WriteLineAsync($"--- gateway output{(withPin ? " (SIM PIN)" : "")}, process started {gateway.StartedAt.ToLocalTime():HH:mm:ss.ffffff} ---\n{gateway.OutputTail}\n--- the modem received ---\n" +
                    string.Join('\n', modem.Log.Select(e => $"{e.Timestamp.ToLocalTime():HH:mm:ss.ffffff} {ActorGateway.Core.Redaction.Command(e.Line)}"))).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The gateway's built-in profile for the simulated model (baud rate; Huawei URCs).</summary>
    private static string ProfileName(ModemProfile model) => model.Name switch
    {
        "nokia-c2-01" => "nokia-c2-01",
        "huawei-e367" => "huawei-e367",
        _ => "default",
    };

    private static async Task WaitForFileAsync(string path, string failure, TimeSpan within, CancellationToken cancellationToken)
    {
        var until = TimeProvider.System.GetUtcNow() + within;
        while (!File.Exists(path))
        {
            if (TimeProvider.System.GetUtcNow() > until)
            {
                throw new TimeoutException($"{failure} ({path} missing after {within.TotalSeconds:0} s)");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>How to start the actorgateway program: <c>dotnet actorgateway.dll</c>, or an executable (a published build).</summary>
internal sealed record GatewayProgram(string Path)
{
    /// <summary>Human description for the report.</summary>
    public string Describe() => Path.EndsWith(".dll", StringComparison.Ordinal) ? $"dotnet {Path}" : Path;

    /// <summary>Starts <c>actorgateway run --config <paramref name="config"/> --log-level <paramref name="logLevel"/></c>.</summary>
    public ChildProcess Start(string config, string workingDirectory, string logLevel) => Path.EndsWith(".dll", StringComparison.Ordinal)
        ? ChildProcess.Start(Machine.Dotnet, [Path, "run", "--config", config, "--log-level", logLevel], workingDirectory)
        : ChildProcess.Start(Path, ["run", "--config", config, "--log-level", logLevel], workingDirectory);

    /// <summary>
    /// The Host build output of the configuration this benchmark was built in (<c>dotnet run -c Release</c> builds
    /// both): <c>src/ActorGateway.Host/bin/Release/net10.0/actorgateway.dll</c>.
    /// </summary>
    public static GatewayProgram FromBuildOutput()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var root = Machine.RepositoryRoot()
            ?? throw new BenchmarkException("cannot find the repository (ActorGateway.sln) above the benchmark; pass --gateway");
        var dll = System.IO.Path.Combine(root, "src", "ActorGateway.Host", "bin", configuration, "net10.0", "actorgateway.dll");
        return File.Exists(dll)
            ? new GatewayProgram(dll)
            : throw new BenchmarkException($"{dll} is missing; build it: dotnet build -c {configuration} src/ActorGateway.Host");
    }
}

/// <summary>A temporary directory for one run (ptys, configuration, state), removed afterwards.</summary>
internal sealed class Scratch : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ag-bench-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public string Script(string name, string content)
    {
        var path = Write(name, content.ReplaceLineEndings("\n") + "\n");
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A run that could not be measured; the message says why, with the program's output.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);
