using ActorGateway.Core.Modem;
using ActorGateway.Core.Usb;

namespace ActorGateway.Actors.Settings;

/// <summary>usb_modeswitch: whether, with what, and how long a switched device has to come back.</summary>
public sealed record ModeSwitchSettings(bool Enabled, string Program, string Database, string Overrides, TimeSpan Delay, TimeSpan ComeBackWithin, int Attempts);

/// <summary>Giving a switched stick a serial driver (new_id).</summary>
public sealed record DriverBindSettings(bool Enabled, string Modprobe);

/// <summary>Asking a device's ttys <c>AT</c>: per-try timeout, tries, line speed.</summary>
public sealed record ProbeSettings(TimeSpan Timeout, int Tries, int BaudRate);

/// <summary>
/// USB discovery's settings (<c>actorgateway.usb</c>) and the per-device profile rules (<c>actorgateway.devices</c>);
/// <c>hocon/gateway.conf</c> documents every key.
/// </summary>
public sealed record UsbSettings
{
    public required bool Enabled { get; init; }

    public required string SysfsRoot { get; init; }

    public required string DevDirectory { get; init; }

    public required string LockDirectory { get; init; }

    public required TimeSpan Settle { get; init; }

    public required TimeSpan SettleMax { get; init; }

    public required IReadOnlySet<UsbId> Ignore { get; init; }

    public required ModeSwitchSettings ModeSwitch { get; init; }

    public required DriverBindSettings BindDriver { get; init; }

    public required ProbeSettings Probe { get; init; }

    public required UsbResetPolicy Reset { get; init; }

    /// <summary>The <c>actorgateway.devices</c> rules.</summary>
    public required DeviceProfileRules Devices { get; init; }

    /// <summary>The profile of a discovered device that no rule matches.</summary>
    public required ModemProfile Defaults { get; init; }

    /// <summary>Ids of configured (static) devices: a discovered device never takes one.</summary>
    public required IReadOnlySet<string> StaticIds { get; init; }

    /// <summary>Ports of configured (static) devices: a discovered device on one of them is left to it.</summary>
    public required IReadOnlySet<string> StaticPorts { get; init; }


    /// <summary>
    /// Reads the settings from <paramref name="gateway"/>'s section, over the shipped defaults. Throws
    /// <see cref="GatewayConfigException"/> naming the file, the key and what is wrong; unknown keys are errors.
    /// </summary>
    public static UsbSettings Create(GatewaySettings gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var config = gateway.Root.WithFallback(GatewaySettings.DefaultConfig.GetConfig(GatewaySettings.Section));
        var root = new ConfigReader(config, gateway.Source, GatewaySettings.Section);
        var r = root.Object("usb") ?? throw root.Error("usb", "missing");
        r.RejectUnknown(["enabled", "sysfs-root", "dev-directory", "lock-directory", "settle", "settle-max", "ignore", "mode-switch", "bind-driver", "probe", "reset"]);

        var settle = r.Duration("settle", TimeSpan.FromMilliseconds(500));
        var settleMax = r.Duration("settle-max", TimeSpan.FromSeconds(5));
        if (settleMax < settle)
        {
            throw r.Error("settle-max", $"must not be shorter than settle ({settle})");
        }

        var ignore = new HashSet<UsbId>();
        foreach (var text in r.StringList("ignore", []))
        {
            ignore.Add(UsbId.TryParse(text, out var id) ? id : throw r.Error("ignore", $"\"{text}\" is not a USB id (vvvv:pppp in hex, e.g. 0403:6001)"));
        }

        var m = r.Object("mode-switch") ?? throw r.Error("mode-switch", "missing");
        m.RejectUnknown(["enabled", "program", "database", "overrides", "delay", "come-back-within", "attempts"]);
        var b = r.Object("bind-driver") ?? throw r.Error("bind-driver", "missing");
        b.RejectUnknown(["enabled", "modprobe"]);
        var p = r.Object("probe") ?? throw r.Error("probe", "missing");
        p.RejectUnknown(["timeout", "tries", "baud"]);
        var x = r.Object("reset") ?? throw r.Error("reset", "missing");
        x.RejectUnknown(["enabled", "min-hold", "max-resets", "forget-after"]);

        return new UsbSettings
        {
            Enabled = r.Bool("enabled", true),
            SysfsRoot = AbsolutePath(r, "sysfs-root"),
            DevDirectory = AbsolutePath(r, "dev-directory"),
            LockDirectory = AbsolutePath(r, "lock-directory"),
            Settle = settle,
            SettleMax = settleMax,
            Ignore = ignore,
            ModeSwitch = new ModeSwitchSettings(
                m.Bool("enabled", true),
                AbsolutePath(m, "program"),
                AbsolutePath(m, "database"),
                AbsolutePath(m, "overrides"),
                DurationOrZero(m, "delay"),
                m.Duration("come-back-within", TimeSpan.FromSeconds(20)),
                m.Int("attempts", 2, 1, 10)),
            BindDriver = new DriverBindSettings(b.Bool("enabled", true), AbsolutePath(b, "modprobe")),
            Probe = new ProbeSettings(p.Duration("timeout", TimeSpan.FromMilliseconds(250)), p.Int("tries", 3, 1, 20), p.Int("baud", 115200, 50, 4_000_000)),
            Reset = new UsbResetPolicy(
                x.Bool("enabled", true),
                x.Duration("min-hold", TimeSpan.FromSeconds(60)),
                x.Int("max-resets", 3, 0, 100),
                x.Duration("forget-after", TimeSpan.FromMinutes(30))),
            Devices = ReadDevices(root, gateway),
            Defaults = gateway.Defaults,
            StaticIds = gateway.StaticDevices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal),
            StaticPorts = gateway.StaticDevices.SelectMany(d => d.DataPort is { } data ? new[] { d.Port, data } : [d.Port]).ToHashSet(StringComparer.Ordinal),
        };
    }

    private static DeviceProfileRules ReadDevices(ConfigReader root, GatewaySettings gateway)
    {
        var rules = new List<DeviceRule>();
        var ids = new HashSet<string>(gateway.StaticDevices.Select(d => d.Id), StringComparer.Ordinal);
        foreach (var entry in root.ObjectList("devices"))
        {
            entry.RejectUnknown([.. GatewaySettings.ProfileKeyNames, "match", "id", "profile"]);
            var m = entry.Object("match")
                ?? throw entry.Error("match", "missing: what the entry is for, e.g. match { usb-id = \"12d1:1506\" } (keys: usb-id, usb-serial, imei, iccid)");
            m.RejectUnknown(["usb-id", "usb-serial", "imei", "iccid"]);
            UsbId? usbId = null;
            if (m.Has("usb-id"))
            {
                var text = m.String("usb-id", string.Empty);
                usbId = UsbId.TryParse(text, out var parsed) ? parsed : throw m.Error("usb-id", $"\"{text}\" is not a USB id (vvvv:pppp in hex, e.g. 12d1:1506)");
            }

            var serial = Optional(m, "usb-serial", s => s.Length > 0 && !s.Any(char.IsControl), "must be the device's serial string, as sysfs shows it");
            var imei = Optional(m, "imei", s => s.Length is >= 14 and <= 16 && s.All(char.IsAsciiDigit), "an IMEI is 15 digits (3GPP TS 23.003 §6.2.1)");
            var iccid = Optional(m, "iccid", s => s.TrimEnd('F', 'f').Length is >= 18 and <= 22 && s.TrimEnd('F', 'f').All(char.IsAsciiDigit),
                "an ICCID is 18 to 22 digits (ITU-T E.118), as AT+CCID shows it");
            var match = new DeviceMatch(usbId, serial, imei, iccid);
            if (match.IsEmpty)
            {
                throw entry.Error("match", "names nothing: give at least one of usb-id, usb-serial, imei, iccid");
            }

            string? id = null;
            if (entry.Has("id"))
            {
                id = entry.String("id", string.Empty);
                if (!GatewaySettings.IsValidId(id))
                {
                    throw entry.Error("id", $"\"{id}\" is not a valid id (letters, digits, '-' and '_', up to 32, starting with a letter or digit)");
                }

                if (match.NeedsSim)
                {
                    throw entry.Error("id", "needs a match on usb-id, usb-serial or imei: the ICCID is read after the device is named");
                }

                if (!ids.Add(id))
                {
                    throw entry.Error("id", $"\"{id}\" is used by another device");
                }
            }

            var baseProfile = gateway.Defaults;
            if (entry.Has("profile"))
            {
                var name = entry.String("profile", string.Empty);
                baseProfile = gateway.Profiles.TryGetValue(name, out var named)
                    ? named
                    : throw entry.Error("profile", $"no profile named \"{name}\" (known: {string.Join(", ", gateway.Profiles.Keys.Order(StringComparer.Ordinal))})");
            }

            rules.Add(new DeviceRule(entry.Path, match, id, GatewaySettings.ReadProfileKeys(entry, baseProfile, baseProfile.Name)));
        }

        return new DeviceProfileRules(rules);
    }

    private static string? Optional(ConfigReader r, string key, Func<string, bool> valid, string rule)
    {
        if (!r.Has(key))
        {
            return null;
        }

        var value = r.String(key, string.Empty);
        // Never echo an identifier that may be wrong in a way that matters (a SIM's ICCID is not secret, but keep it short).
        return valid(value) ? value : throw r.Error(key, $"{rule}; got {value.Length} characters");
    }

    private static TimeSpan DurationOrZero(ConfigReader r, string key) =>
        r.Has(key) && r.String(key, string.Empty).Trim() is "0" or "0s" or "0ms" ? TimeSpan.Zero : r.Duration(key, TimeSpan.Zero);

    private static string AbsolutePath(ConfigReader r, string key)
    {
        var value = r.String(key, string.Empty);
        return value.StartsWith('/') ? value : throw r.Error(key, $"must be an absolute path, got \"{value}\"");
    }
}
