using System.Reflection;
using System.Text.RegularExpressions;
using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;
using Akka.Configuration;

namespace ActorGateway.Actors.Settings;

/// <summary>How a failed device actor is recreated: exponential backoff with jitter, reset after a good run.</summary>
public sealed record RestartSettings(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor, TimeSpan ResetAfter);

/// <summary>A device declared by its tty path (like wvdial's <c>Modem =</c>).</summary>
/// <param name="Id">A short name used in logs, status and <c>actorgateway at</c>.</param>
/// <param name="Port">The tty path.</param>
/// <param name="Profile">Its profile, with the entry's own keys applied.</param>
public sealed record StaticDevice(string Id, string Port, ModemProfile Profile)
{
    /// <summary>
    /// The port the dial and pppd use, when the modem has one apart from <see cref="Port"/> (Huawei's modem port beside
    /// its PCUI); null when AT and data share <see cref="Port"/>.
    /// </summary>
    public string? DataPort { get; init; }

    /// <summary>What is known of the device before it answers AT (the USB identity of a discovered device).</summary>
    public DeviceFacts Facts { get; init; } = new();

    /// <summary>The <c>actorgateway.devices</c> rules, tried again once the IMEI and ICCID are read.</summary>
    public DeviceProfileRules Rules { get; init; } = DeviceProfileRules.None;
}

/// <summary>The gateway's settings, read from HOCON (<c>hocon/gateway.conf</c> documents every key).</summary>
public sealed partial record GatewaySettings
{
    /// <summary>The HOCON section all settings live in.</summary>
    public const string Section = "actorgateway";

    private static readonly string[] ProfileKeys =
    [
        "init", "apn", "pdp-type", "context-id", "number", "username", "password", "pin", "disable-pin-lock",
        "allow-last-pin-try", "baud", "flow-control", "modem-control-lines", "unsolicited", "timeouts", "redial",
        "unresponsive-after", "modem-reset-hold", "ppp",
    ];

    private static readonly string[] TopKeys =
    [
        "control-socket", "state-directory", "runtime-directory", "device-restart", "defaults", "profiles", "static-devices",
        // Read by their own subsystems from Section: USB discovery and per-device profiles matched by identity,
        // uplinks, LAN sharing and failover, and running as a service.
        "usb", "devices", "static-uplinks", "uplinks", "lan", "nat", "health", "failover", "dhcp", "metrics", "power", "service",
    ];

    public required string ControlSocket { get; init; }

    public required string StateDirectory { get; init; }

    public required string RuntimeDirectory { get; init; }

    public required RestartSettings DeviceRestart { get; init; }

    public required ModemProfile Defaults { get; init; }

    public required IReadOnlyDictionary<string, ModemProfile> Profiles { get; init; }

    public required IReadOnlyList<StaticDevice> StaticDevices { get; init; }

    /// <summary>The whole <c>actorgateway</c> section, for subsystems that read their own keys from it with a <see cref="ConfigReader"/>.</summary>
    public required Config Root { get; init; }

    /// <summary>Where the configuration came from (a file path, or "defaults"), for error messages.</summary>
    public required string Source { get; init; }

    /// <summary>The defaults shipped as <c>hocon/gateway.conf</c>, embedded in this assembly.</summary>
    public static Config DefaultConfig { get; } = LoadDefaults();

    /// <summary>
    /// Reads settings from <paramref name="config"/> (which should fall back to <see cref="DefaultConfig"/>).
    /// Throws <see cref="GatewayConfigException"/> naming <paramref name="source"/>, the key and the problem.
    /// </summary>
    public static GatewaySettings Create(Config config, string source = "configuration")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath(Section))
        {
            throw new GatewayConfigException(source, Section, "missing section");
        }

        var root = new ConfigReader(config.GetConfig(Section), source, Section);
        root.RejectUnknown(TopKeys);

        var defaultsReader = root.Object("defaults") ?? throw root.Error("defaults", "missing");
        var defaults = ReadProfile(defaultsReader, new ModemProfile(), "default");

        var profiles = new Dictionary<string, ModemProfile>(StringComparer.Ordinal);
        if (root.Object("profiles") is { } profilesReader)
        {
            foreach (var name in profilesReader.Keys)
            {
                var reader = profilesReader.Object(name) ?? throw profilesReader.Error(name, "expected an object");
                profiles[name] = ReadProfile(reader, defaults, name);
            }
        }

        var devices = new List<StaticDevice>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var ports = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in root.ObjectList("static-devices"))
        {
            entry.RejectUnknown([.. ProfileKeys, "id", "port", "data-port", "profile"]);
            var id = entry.String("id", string.Empty);
            if (!IdPattern().IsMatch(id))
            {
                throw entry.Error("id", id.Length == 0
                    ? "missing: every device needs an id (letters, digits, '-' and '_', up to 32)"
                    : $"\"{id}\" is not a valid id (letters, digits, '-' and '_', up to 32, starting with a letter or digit)");
            }

            if (!ids.Add(id))
            {
                throw entry.Error("id", $"\"{id}\" is used by another device");
            }

            var port = entry.String("port", string.Empty);
            if (!port.StartsWith('/'))
            {
                throw entry.Error("port", port.Length == 0 ? "missing: the tty path, e.g. /dev/ttyUSB0" : $"\"{port}\" is not an absolute path");
            }

            var baseProfile = defaults;
            if (entry.Has("profile"))
            {
                var name = entry.String("profile", string.Empty);
                baseProfile = profiles.TryGetValue(name, out var named)
                    ? named
                    : throw entry.Error("profile", $"no profile named \"{name}\" (known: {string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal))})");
            }

            var dataPort = entry.Has("data-port") ? entry.String("data-port", string.Empty) : null;
            if (dataPort is not null && !dataPort.StartsWith('/'))
            {
                throw entry.Error("data-port", $"\"{dataPort}\" is not an absolute path");
            }

            // Two devices on one tty would each take the other's answers for their own.
            foreach (var (key, path) in new[] { ("port", port), ("data-port", dataPort) })
            {
                if (path is not null && path != (key == "data-port" ? port : null) && !ports.TryAdd(path, id))
                {
                    throw entry.Error(key, $"\"{path}\" is already the port of device \"{ports[path]}\"");
                }
            }

            devices.Add(new StaticDevice(id, port, ReadProfile(entry, baseProfile, baseProfile.Name))
            {
                DataPort = dataPort == port ? null : dataPort,
            });
        }

        var restart = root.Object("device-restart");
        return new GatewaySettings
        {
            ControlSocket = AbsolutePath(root, "control-socket"),
            StateDirectory = AbsolutePath(root, "state-directory"),
            RuntimeDirectory = AbsolutePath(root, "runtime-directory"),
            DeviceRestart = restart is null
                ? new RestartSettings(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), 0.2, TimeSpan.FromMinutes(10))
                : ReadRestart(restart),
            Defaults = defaults,
            Profiles = profiles,
            StaticDevices = devices,
            Root = config.GetConfig(Section),
            Source = source,
        };
    }

    /// <summary>The keys a profile may hold (in <c>defaults</c>, <c>profiles</c> and device entries).</summary>
    public static IReadOnlyList<string> ProfileKeyNames => ProfileKeys;

    /// <summary>True when <paramref name="id"/> is a valid device id (letters, digits, '-' and '_', up to 32).</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>
    /// Reads the profile keys of <paramref name="reader"/> over <paramref name="baseProfile"/>, with the same checks as
    /// <c>defaults</c> (for subsystems with device entries of their own, such as <c>actorgateway.devices</c>).
    /// </summary>
    public static ModemProfile ReadProfileKeys(ConfigReader reader, ModemProfile baseProfile, string name) => ReadProfile(reader, baseProfile, name);

    /// <summary>Parses HOCON text and reads settings from it over the defaults.</summary>
    public static GatewaySettings Parse(string hocon, string source) => Create(ParseConfig(hocon, source), source);

    /// <summary>Parses HOCON text over the defaults; syntax errors name <paramref name="source"/>.</summary>
    public static Config ParseConfig(string hocon, string source)
    {
        if (HoconSyntax.Check(hocon) is { } problem)
        {
            throw new GatewayConfigException(source, "(syntax)", $"not valid HOCON: {problem}");
        }

        Config parsed;
        try
        {
            parsed = ConfigurationFactory.ParseString(hocon);
        }
        catch (Exception e)
        {
            throw new GatewayConfigException(source, "(syntax)", $"not valid HOCON: {WithLine(e.Message, hocon)}", e);
        }

        return parsed.WithFallback(DefaultConfig);
    }

    // Akka's parser reports a character offset ("at position 812"); people look for lines.
    private static string WithLine(string message, string text)
    {
        var match = PositionPattern().Match(message);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, out var offset) || offset > text.Length)
        {
            return message;
        }

        var line = 1 + text.AsSpan(0, offset).Count('\n');
        var column = offset - text.LastIndexOf('\n', Math.Max(0, offset - 1));
        return $"{message} (line {line}, column {column})";
    }

    private static RestartSettings ReadRestart(ConfigReader r)
    {
        r.RejectUnknown(["min-backoff", "max-backoff", "random-factor", "reset-after"]);
        var min = r.Duration("min-backoff", TimeSpan.FromSeconds(2));
        var max = r.Duration("max-backoff", TimeSpan.FromMinutes(5));
        if (max < min)
        {
            throw r.Error("max-backoff", $"must not be shorter than min-backoff ({min})");
        }

        return new RestartSettings(min, max, r.Double("random-factor", 0.2, 0, 1), r.Duration("reset-after", TimeSpan.FromMinutes(10)));
    }

    private static string AbsolutePath(ConfigReader r, string key)
    {
        var value = r.String(key, string.Empty);
        return value.StartsWith('/') ? value : throw r.Error(key, $"must be an absolute path, got \"{value}\"");
    }

    private static ModemProfile ReadProfile(ConfigReader r, ModemProfile b, string name)
    {
        if (r.Path.EndsWith(".defaults", StringComparison.Ordinal) || r.Path.Contains(".profiles.", StringComparison.Ordinal))
        {
            r.RejectUnknown(ProfileKeys);
        }

        var init = r.StringList("init", b.Init);
        for (var i = 0; i < init.Count; i++)
        {
            if (!init[i].TrimStart().StartsWith("AT", StringComparison.OrdinalIgnoreCase) || init[i].Contains('\r') || init[i].Contains('\n'))
            {
                throw r.Error("init", $"item {i} (\"{init[i]}\") is not an AT command line: it must start with AT and be one line");
            }
        }

        var apn = r.String("apn", b.Apn);
        if (apn.Any(c => c is '"' or '\r' or '\n' || char.IsControl(c)))
        {
            throw r.Error("apn", "must not contain quotes or control characters");
        }

        var pdpType = r.String("pdp-type", b.PdpType).ToUpperInvariant();
        if (pdpType is not ("IP" or "IPV6" or "IPV4V6" or "PPP"))
        {
            throw r.Error("pdp-type", $"\"{pdpType}\" is not one of IP, IPV6, IPV4V6, PPP");
        }

        var number = r.String("number", b.Number);
        if (!DialPattern().IsMatch(number))
        {
            throw r.Error("number", $"\"{number}\" is not a data dial string (digits, * # +, A-D, the V.250 modifiers , W P T ! @; no ';', which would make it a voice call), e.g. *99#");
        }

        var pin = r.String("pin", b.Pin);
        if (pin.Length > 0 && !PinPattern().IsMatch(pin))
        {
            // Never echo the PIN itself, not even a wrong one.
            throw r.Error("pin", $"a SIM PIN is 4 to 8 digits (3GPP TS 22.030 §6.6); the value given has {pin.Length} characters");
        }

        var username = r.String("username", b.Username);
        var password = r.String("password", b.Password);
        if (username.Any(char.IsControl))
        {
            throw r.Error("username", "must not contain control characters");
        }

        if (password.Any(char.IsControl))
        {
            throw r.Error("password", "must not contain control characters");
        }

        var flowText = r.String("flow-control", FlowName(b.FlowControl));
        var flow = flowText.ToLowerInvariant() switch
        {
            "none" => FlowControl.None,
            "rts-cts" => FlowControl.RtsCts,
            "xon-xoff" => FlowControl.XonXoff,
            "both" => FlowControl.RtsCtsAndXonXoff,
            _ => throw r.Error("flow-control", $"\"{flowText}\" is not one of none, rts-cts, xon-xoff, both"),
        };

        return b with
        {
            Name = name,
            Init = init,
            Apn = apn,
            PdpType = pdpType,
            ContextId = r.Int("context-id", b.ContextId, 1, 24),
            Number = number,
            Username = username,
            Password = password,
            Pin = pin,
            DisablePinLock = r.Bool("disable-pin-lock", b.DisablePinLock),
            AllowLastPinTry = r.Bool("allow-last-pin-try", b.AllowLastPinTry),
            BaudRate = r.Int("baud", b.BaudRate, 50, 4_000_000),
            FlowControl = flow,
            ModemControlLines = r.Bool("modem-control-lines", b.ModemControlLines),
            ExtraUnsolicited = r.StringList("unsolicited", b.ExtraUnsolicited),
            Timeouts = r.Object("timeouts") is { } t ? ReadTimeouts(t, b.Timeouts) : b.Timeouts,
            Redial = r.Object("redial") is { } d ? ReadRedial(d, b.Redial) : b.Redial,
            UnresponsiveAfter = r.Int("unresponsive-after", b.UnresponsiveAfter, 1, 100),
            ModemResetHold = r.Duration("modem-reset-hold", b.ModemResetHold),
            Ppp = r.Object("ppp") is { } p ? ReadPpp(p, b.Ppp) : b.Ppp,
        };
    }

    private static ModemTimeouts ReadTimeouts(ConfigReader r, ModemTimeouts b)
    {
        r.RejectUnknown(["command", "probe", "probe-tries", "boot", "reset", "pin", "dial", "registration", "registration-poll", "handover"]);
        return new ModemTimeouts
        {
            Command = r.Duration("command", b.Command),
            Probe = r.Duration("probe", b.Probe),
            ProbeTries = r.Int("probe-tries", b.ProbeTries, 1, 100),
            Boot = r.Duration("boot", b.Boot),
            Reset = r.Duration("reset", b.Reset),
            Pin = r.Duration("pin", b.Pin),
            Dial = r.Duration("dial", b.Dial),
            Registration = r.Duration("registration", b.Registration),
            RegistrationPoll = r.Duration("registration-poll", b.RegistrationPoll),
            Handover = r.Duration("handover", b.Handover),
        };
    }

    private static RedialPolicy ReadRedial(ConfigReader r, RedialPolicy b)
    {
        r.RejectUnknown(["min-backoff", "max-backoff", "reset-after"]);
        var policy = new RedialPolicy
        {
            MinBackoff = r.Duration("min-backoff", b.MinBackoff),
            MaxBackoff = r.Duration("max-backoff", b.MaxBackoff),
            ResetAfter = r.Duration("reset-after", b.ResetAfter),
        };
        return policy.MaxBackoff < policy.MinBackoff
            ? throw r.Error("max-backoff", $"must not be shorter than min-backoff ({policy.MinBackoff})")
            : policy;
    }

    private static PppOptions ReadPpp(ConfigReader r, PppOptions b)
    {
        r.RejectUnknown(["program", "lcp-echo-interval", "lcp-echo-failure", "default-route", "use-peer-dns", "debug", "options"]);
        var program = r.String("program", b.Program);
        return new PppOptions
        {
            Program = program.StartsWith('/') ? program : throw r.Error("program", $"must be an absolute path, got \"{program}\""),
            LcpEchoInterval = r.Int("lcp-echo-interval", b.LcpEchoInterval, 0, 3600),
            LcpEchoFailure = r.Int("lcp-echo-failure", b.LcpEchoFailure, 0, 100),
            DefaultRoute = r.Bool("default-route", b.DefaultRoute),
            UsePeerDns = r.Bool("use-peer-dns", b.UsePeerDns),
            Debug = r.Bool("debug", b.Debug),
            ExtraOptions = r.StringList("options", b.ExtraOptions),
        };
    }

    private static string FlowName(FlowControl flow) => flow switch
    {
        FlowControl.None => "none",
        FlowControl.XonXoff => "xon-xoff",
        FlowControl.RtsCtsAndXonXoff => "both",
        _ => "rts-cts",
    };

    private static Config LoadDefaults()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ActorGateway.gateway.conf")
            ?? throw new InvalidOperationException("the embedded hocon/gateway.conf is missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9*#+A-Da-dPpTtWw,!@]{1,40}$")]
    private static partial Regex DialPattern();

    [GeneratedRegex("position (\\d+)")]
    private static partial Regex PositionPattern();

    [GeneratedRegex("^[0-9]{4,8}$")]
    private static partial Regex PinPattern();
}
