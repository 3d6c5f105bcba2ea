using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using ActorGateway.Host.Control;
using ActorGateway.Host.Service;
using ActorGateway.Linux.Processes;
using ActorGateway.Linux.Serial;
using ActorGateway.Linux.State;
using ActorGateway.Linux.Systemd;
using Microsoft.Extensions.Hosting;
using Serilog.Events;

namespace ActorGateway.Host;

/// <summary>The <c>actorgateway</c> command line: run, demo, status, at.</summary>
public static class Cli
{
    /// <summary>Where an installed gateway keeps its configuration.</summary>
    public const string SystemConfig = "/etc/actorgateway/gateway.conf";

    private static readonly Option<FileInfo?> ConfigOption = new("--config", "-c")
    {
        Description = $"HOCON file merged over the defaults (default: {SystemConfig} when it exists)",
    };

    private static readonly Option<LogFormat> LogFormatOption = new("--log-format")
    {
        Description = "auto (the journal under systemd, else console), console (for people), json (one object per line) or journal (native journal fields)",
        DefaultValueFactory = _ => LogFormat.Auto,
    };

    private static readonly Option<LogEventLevel> LogLevelOption = new("--log-level")
    {
        Description = "Verbose, Debug, Information, Warning or Error",
        DefaultValueFactory = _ => LogEventLevel.Information,
    };

    private static readonly Option<string?> SocketOption = new("--socket")
    {
        Description = "control socket of the running gateway (default: from the configuration)",
    };

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("ActorGateway: a mobile-internet gateway that dials, shares and heals itself.");
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(DemoCommand.Build(LogFormatOption, LogLevelOption));
        root.Subcommands.Add(StatusCommand());
        root.Subcommands.Add(ReloadCommand());
        root.Subcommands.Add(AtCommandLine());
        root.Subcommands.Add(ScanCommand.Build(ConfigOption));
        return root;
    }

    /// <summary>The program's version, for logs and <c>--version</c>.</summary>
    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Loads settings from <paramref name="file"/> (or the system file, or the defaults). Prints what was
    /// wrong and returns null on a bad configuration, before anything is opened.
    /// </summary>
    public static (GatewaySettings Settings, string Source)? LoadSettings(FileInfo? file, TextWriter error)
    {
        var path = file?.FullName ?? (File.Exists(SystemConfig) ? SystemConfig : null);
        try
        {
            if (path is null)
            {
                return (Checked(GatewaySettings.Create(GatewaySettings.DefaultConfig, "defaults")), "built-in defaults");
            }

            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {path}: cannot read the configuration: {e.Message}");
                return null;
            }

            return (Checked(GatewaySettings.Parse(text, path)), path);
        }
        catch (GatewayConfigException e)
        {
            error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    // The USB and network sides' keys are read here too, so that a mistake in them also stops the gateway before it opens
    // anything, whichever command loaded the file.
    private static GatewaySettings Checked(GatewaySettings settings)
    {
        _ = UsbSettings.Create(settings);
        _ = UplinkSettings.Create(settings);
        return settings;
    }

    private static Command RunCommand()
    {
        var command = new Command("run", "Run the gateway against the modems in the configuration (the main job).")
        {
            ConfigOption, LogFormatOption, LogLevelOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = LoadSettings(parse.GetValue(ConfigOption), Console.Error);
            if (loaded is not { } l)
            {
                return 2;
            }

            var usb = UsbSettings.Create(l.Settings); // checked by LoadSettings

            if (!Preflight.DirectoriesWritable(l.Settings, Console.Error))
            {
                return 2;
            }

            using var instance = Preflight.InstanceLock(l.Settings, Console.Error);
            if (instance is null)
            {
                return 1;
            }

            var level = parse.GetValue(LogLevelOption);
            var logger = Logging.Create(parse.GetValue(LogFormatOption), level);
            logger.Information("ActorGateway {Version} starting with {Source}", Version, l.Source);
            foreach (var warning in Preflight.PppWarnings(l.Settings))
            {
                logger.Warning("{Warning}", warning);
            }

            WarnIfSecretsReadable(logger, l.Source, l.Settings, usb.Devices.Rules.Any(r => r.Profile.Pin.Length > 0 || r.Profile.Password.Length > 0));
            if (l.Settings.StaticDevices.Count == 0 && !usb.Enabled)
            {
                logger.Warning("No devices are configured (actorgateway.static-devices) and USB discovery is off. Without hardware, try: actorgateway demo");
            }

            // Every port, configured or discovered, is taken with its UUCP lock, and never from another program.
            var processes = new LinuxProcessRunner();
            // Disposed after the host: the locks handed to pppd processes that ended with the gateway go too.
            using var ports = new LockingSerialPortOpener(new SystemSerialPortOpener(), usb.LockDirectory);
            var deps = new DeviceDependencies(
                ports,
                processes,
                new FilePinVerdictStore(l.Settings.StateDirectory),
                TimeProvider.System,
                l.Settings.RuntimeDirectory,
                new StalePppdReaper());
            var discovery = usb.Enabled ? UsbDiscoverySetup.ForLinux(usb, processes) : null;

            // Under systemd (Type=notify): READY, the watchdog and STOPPING go to $NOTIFY_SOCKET; elsewhere nowhere.
            using var systemd = SystemdNotifier.FromEnvironment();
            var service = new ServiceParts((IServiceNotifier?)systemd ?? NoServiceNotifier.Instance, parse.GetValue(ConfigOption));
            using var host = GatewayHost.Build(l.Settings, deps, logger, level, discovery, service: service);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command StatusCommand()
    {
        var json = new Option<bool>("--json") { Description = "print the status as JSON" };
        var command = new Command("status", "Show what the running gateway's devices are doing.") { json, SocketOption, ConfigOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (answer, failed) = await RequestAsync(parse, new ControlRequest("status"), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return failed;
            }

            if (parse.GetValue(json))
            {
                using var document = JsonDocument.Parse(answer);
                Console.WriteLine(JsonSerializer.Serialize(document.RootElement, ControlJson.Indented));
                return 0;
            }

            var status = JsonSerializer.Deserialize<StatusReply>(answer, ControlJson.Options)!;
            Console.Write(StatusTable.Render(new Gateway.Status(status.At, status.Devices)));
            if (status.Uplinks is { } uplinks)
            {
                Console.Write(UplinkTable.Render(uplinks, status.At));
            }

            if (status.Power is { } power)
            {
                Console.Write(PowerText(power));
            }

            return 0;
        });
        return command;
    }

    private static Command ReloadCommand()
    {
        var command = new Command("reload", "Make the running gateway read its configuration file again (as SIGHUP and systemctl reload do): " +
            "only the devices and uplinks whose settings changed are restarted.")
        {
            SocketOption, ConfigOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (answer, failed) = await RequestAsync(parse, new ControlRequest("reload"), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return failed;
            }

            var reply = JsonSerializer.Deserialize<ReloadReply>(answer, ControlJson.Options)!;
            if (!reply.Ok)
            {
                Console.Error.WriteLine($"error: {reply.Error}");
                Console.Error.WriteLine("the gateway keeps running with its previous configuration");
                return 2;
            }

            static string Words(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);
            Console.WriteLine($"reloaded {reply.Source}");
            Console.WriteLine($"  restarted: {Words(reply.Restarted)}");
            Console.WriteLine($"  added:     {Words(reply.Added)}");
            Console.WriteLine($"  removed:   {Words(reply.Removed)}");
            Console.WriteLine($"  unchanged: {Words(reply.Unchanged)}");
            if (reply.NeedRestart.Count > 0)
            {
                Console.WriteLine($"  changed, applied at the next restart: {Words(reply.NeedRestart)}");
            }

            return 0;
        });
        return command;
    }

    private static Command AtCommandLine()
    {
        var device = new Argument<string>("device") { Description = "the device id (see actorgateway status)" };
        var line = new Argument<string>("command") { Description = "one AT command line, e.g. AT+CSQ" };
        var timeout = new Option<double>("--timeout")
        {
            Description = "seconds the modem has to answer",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("at", "Send one AT command through a device's AT channel and print the answer (no second program opens the port).")
        {
            device, line, timeout, SocketOption, ConfigOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            var (answer, failed) = await RequestAsync(parse, new ControlRequest("at", parse.GetValue(device), parse.GetValue(line), seconds),
                TimeSpan.FromSeconds(seconds + 5), cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return failed;
            }

            var reply = JsonSerializer.Deserialize<AtReply>(answer, ControlJson.Options)!;
            foreach (var text in reply.Lines)
            {
                Console.WriteLine(text);
            }

            Console.WriteLine(reply.Result);
            return reply.Ok ? 0 : 1;
        });
        return command;
    }

    /// <summary>The supply's lines under the status tables (a Raspberry Pi only).</summary>
    public static string PowerText(Actors.Power.PowerStatus power)
    {
        ArgumentNullException.ThrowIfNull(power);
        var text = new System.Text.StringBuilder();
        text.Append('\n').Append("POWER  ").Append(power.UnderVoltageNow ? "UNDER-VOLTAGE NOW" : power.UnderVoltageEarlier ? "under-voltage earlier" : "ok")
            .Append(" (get_throttled ").Append(power.Flags ?? "-").Append(": ").Append(power.Detail).Append(")\n");
        foreach (var casualty in power.Casualties)
        {
            text.Append("       ").Append(casualty.At.ToLocalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(casualty.Detail).Append('\n');
        }

        if (power.Advice is { } advice)
        {
            text.Append("       ").Append(advice).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Sends <paramref name="request"/> to the running gateway's control socket: its answer, or null and the exit status
    /// after the reason was printed (2: no socket path; 1: no gateway there, or it refused the request).
    /// </summary>
    private static async Task<(string? Answer, int ExitCode)> RequestAsync(ParseResult parse, ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = SocketPath(parse);
        if (socket is null)
        {
            return (null, 2);
        }

        string answer;
        try
        {
            answer = await ControlClient.RequestAsync(socket, request, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return (null, 1);
        }

        if (TryError(answer) is { } problem)
        {
            Console.Error.WriteLine($"error: {problem}");
            return (null, 1);
        }

        return (answer, 0);
    }

    private static string? SocketPath(ParseResult parse)
    {
        if (parse.GetValue(SocketOption) is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        return LoadSettings(parse.GetValue(ConfigOption), Console.Error)?.Settings.ControlSocket;
    }

    private static string? TryError(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
    }

    private static void WarnIfSecretsReadable(Serilog.ILogger logger, string source, GatewaySettings settings, bool moreSecrets = false)
    {
        var holdsSecrets = moreSecrets || settings.StaticDevices.Any(d => d.Profile.Pin.Length > 0 || d.Profile.Password.Length > 0)
            || settings.Defaults.Pin.Length > 0 || settings.Defaults.Password.Length > 0;
        foreach (var warning in Preflight.ConfigFileWarnings(source, holdsSecrets))
        {
            logger.Warning("{Warning}", warning);
        }
    }
}
