using System.CommandLine;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Linux.Processes;
using ActorGateway.Linux.Serial;
using ActorGateway.Linux.State;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;
using Microsoft.Extensions.Hosting;
using Serilog.Events;

namespace ActorGateway.Host;

/// <summary>
/// <c>actorgateway demo</c>: the seed guide's Huawei E367 and Nokia C2-01, simulated behind real ptys,
/// driven by the real gateway (System.IO.Ports, the real pppd), so every step shows without hardware.
/// </summary>
public static class DemoCommand
{
    /// <summary>The PIN of the simulated Huawei's SIM.</summary>
    public const string DemoPin = "1234";

    /// <summary>The <c>demo</c> command.</summary>
    public static Command Build(Option<LogFormat> logFormat, Option<LogEventLevel> logLevel)
    {
        var directory = new Option<string>("--dir")
        {
            Description = "where the simulated ttys, control socket and state go",
            DefaultValueFactory = _ => "/tmp/actorgateway-demo",
        };
        var wrongPin = new Option<bool>("--wrong-pin")
        {
            Description = "configure a wrong PIN for the Huawei, to see it sent once and never again",
        };
        var exitAfter = new Option<double?>("--exit-after")
        {
            Description = "stop after this many seconds (default: run until Ctrl+C)",
        };
        var demoLevel = new Option<LogEventLevel>("--log-level")
        {
            Description = "Verbose, Debug (default here: shows every AT command), Information, Warning or Error",
            DefaultValueFactory = _ => LogEventLevel.Debug,
        };
        var noPhone = new Option<bool>("--no-phone")
        {
            Description = "leave out the simulated Android phone and LAN (network namespaces; shown when run as root)",
        };
        var insideLab = new Option<string?>("--inside-lab")
        {
            Description = "internal: this demo runs inside the phone lab's gateway namespace; the value is the LAN interface",
            Hidden = true,
        };
        var command = new Command("demo", "Run the gateway against the built-in simulated Huawei E367 and Nokia C2-01 (no hardware needed), " +
            "and, as root, a simulated Android phone in USB tethering shared to a LAN through NAT.")
        {
            directory, wrongPin, exitAfter, logFormat, demoLevel, noPhone, insideLab,
        };
        _ = logLevel; // demo has its own default level
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = Path.GetFullPath(parse.GetValue(directory)!);
            var level = parse.GetValue(demoLevel);
            var logger = Logging.Create(parse.GetValue(logFormat), level);
            var lanInterface = parse.GetValue(insideLab);
            if (lanInterface is null && !parse.GetValue(noPhone))
            {
                if (NetworkDemo.CanRun)
                {
                    // The phone's lab first; the demo then runs again inside it (see NetworkDemo).
                    return await NetworkDemo.RunAroundAsync("--inside-lab", logger, cancellationToken).ConfigureAwait(false);
                }

                logger.Information("The simulated Android phone (USB tethering shared to a LAN) needs root and ip, nft, dnsmasq, udhcpc: run the demo with sudo to see it");
            }

            Directory.CreateDirectory(dir);

            using var huawei = new ModemSimulator(HuaweiE367.Profile,
                SimCard.ForProfile(HuaweiE367.Profile, pin: DemoPin, pinEnabled: true), timeProvider: TimeProvider.System);
            using var nokia = new ModemSimulator(NokiaC2_01.Profile, SimCard.ForProfile(NokiaC2_01.Profile), timeProvider: TimeProvider.System);
            await using var huaweiPtys = await PtyModemHost.StartAsync(huawei, Path.Combine(dir, "huawei-"), cancellationToken).ConfigureAwait(false);
            await using var nokiaPtys = await PtyModemHost.StartAsync(nokia, Path.Combine(dir, "nokia-"), cancellationToken).ConfigureAwait(false);

            var huaweiAt = huaweiPtys.PathOf(huawei.AtPort);
            var nokiaAt = nokiaPtys.PathOf(nokia.AtPort);
            var pin = parse.GetValue(wrongPin) ? "0000" : DemoPin;
            var hocon = $$"""
                actorgateway {
                  control-socket = "{{dir}}/control.sock"
                  state-directory = "{{dir}}/state"
                  runtime-directory = "{{dir}}/run"
                  static-devices = [
                    { id = "huawei", port = "{{huaweiAt}}", profile = "huawei-e367", apn = "internet", pin = "{{pin}}", modem-control-lines = off }
                    { id = "nokia", port = "{{nokiaAt}}", profile = "nokia-c2-01", apn = "internet", modem-control-lines = off }
                  ]
                  {{(lanInterface is null ? string.Empty : NetworkDemo.Configuration(lanInterface))}}
                }
                """;
            var settings = GatewaySettings.Parse(hocon, "demo");

            logger.Information("ActorGateway {Version} demo: no hardware, two simulated devices behind real ptys", Cli.Version);
            logger.Information("Huawei E367 (12d1:1506): ttys {Ports}; AT answers on {AtPort}; its SIM wants PIN {Pin}; configured PIN: {Configured}",
                string.Join(", ", huaweiPtys.Paths), huaweiAt, "****", parse.GetValue(wrongPin) ? "a wrong one" : "the right one");
            logger.Information("Nokia C2-01 (0421:054b) in PC Suite mode: {Port}", nokiaAt);
            logger.Information("Status from another terminal: actorgateway status --socket {Socket}", settings.ControlSocket);
            foreach (var line in KernelReport(settings.Defaults.Ppp.Program))
            {
                logger.Warning("{Line}", line);
            }

            var deps = new DeviceDependencies(
                new SystemSerialPortOpener(),
                new LinuxProcessRunner(),
                new FilePinVerdictStore(settings.StateDirectory),
                TimeProvider.System,
                settings.RuntimeDirectory);
            using var host = GatewayHost.Build(settings, deps, logger, level);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (parse.GetValue(exitAfter) is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            await host.RunAsync(stop.Token).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>What this machine lacks for a real PPP link, in plain words (empty when nothing).</summary>
    public static IReadOnlyList<string> KernelReport(string pppd)
    {
        var lines = new List<string>();
        if (!File.Exists(pppd))
        {
            lines.Add($"pppd is not installed ({pppd} missing): after CONNECT the hand-over fails. Install it: apt-get install ppp");
        }

        if (!File.Exists("/dev/ppp"))
        {
            lines.Add("This kernel has no PPP support (/dev/ppp is missing): pppd will start on the simulated line and exit 4; " +
                "the gateway says so once and redials with growing pauses. On a Raspberry Pi or any stock kernel, ppp_generic provides it.");
        }

        if (Environment.UserName != "root")
        {
            lines.Add("Not running as root: pppd refuses to start (exit 3) unless it is setuid root.");
        }

        return lines;
    }
}
