using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ActorGateway.Actors.Settings;
using ActorGateway.Core.Network;

namespace ActorGateway.Actors.Uplinks;

/// <summary>How an uplink gets its address.</summary>
public enum UplinkMethod
{
    /// <summary>udhcpc on the interface (a phone's <c>usb0</c>, a HiLink dongle's <c>enx…</c>).</summary>
    Dhcp,

    /// <summary>An address, gateway and DNS from the configuration.</summary>
    Static,

    /// <summary>pppd configured the interface; the gateway adds the route.</summary>
    Ppp,
}

/// <summary>Where an uplink came from.</summary>
public enum UplinkSource
{
    /// <summary>Declared in <c>static-uplinks</c>.</summary>
    Static,

    /// <summary>A device's PPP call (<see cref="UplinkEvents.PppLinkUp"/>).</summary>
    Ppp,

    /// <summary>A USB device's network interface (<see cref="UplinkEvents.TetheringInterfaceAppeared"/>).</summary>
    Tethering,
}

/// <summary>How an uplink is probed: targets, pace, timeout and thresholds.</summary>
/// <param name="Targets">What to probe, one target per round in turn; empty: no probes, hard signals only.</param>
/// <param name="Interval">Between rounds while the uplink carries the traffic.</param>
/// <param name="StandbyInterval">Between rounds while it waits (cheaper on a metered backup).</param>
/// <param name="Timeout">How long a round waits for its answer.</param>
/// <param name="Thresholds">Rounds in a row that make it healthy or unhealthy.</param>
public sealed record HealthSettings(
    IReadOnlyList<ProbeTarget> Targets,
    TimeSpan Interval,
    TimeSpan StandbyInterval,
    TimeSpan Timeout,
    HealthThresholds Thresholds);

/// <summary>An uplink declared by interface name, as <c>static-devices</c> declares modems.</summary>
public sealed record StaticUplink(
    string Id,
    string Interface,
    UplinkMethod Method,
    int Priority,
    IPAddress? Address,
    int PrefixLength,
    IPAddress? Gateway,
    IReadOnlyList<IPAddress> Dns,
    HealthSettings Health);

/// <summary>The LAN side: its interface, its address and the dnsmasq service on it.</summary>
public sealed record LanSettings(
    string Interface,
    IPAddress? Address,
    int PrefixLength,
    (IPAddress First, IPAddress Last)? DhcpRange,
    TimeSpan LeaseTime,
    bool PingCheck,
    bool Dns,
    string Dnsmasq)
{
    /// <summary>dnsmasq runs when it has something to serve.</summary>
    public bool RunsDnsmasq => DhcpRange is not null || Dns;
}

/// <summary>Sharing the uplinks with the LAN: the nftables table and IP forwarding.</summary>
public sealed record NatSettings(bool Enabled, string Table, bool IpForward, bool ClampMss, string Nft);

/// <summary>
/// Everything the network side reads from the <c>actorgateway</c> section: <c>static-uplinks</c>,
/// <c>uplinks</c>, <c>lan</c>, <c>nat</c>, <c>health</c>, <c>failover</c> and <c>dhcp</c>
/// (hocon/gateway.conf documents every key).
/// </summary>
public sealed partial record UplinkSettings
{
    /// <summary>
    /// Why <c>uplinks.enabled = auto</c> turned the network side on with nothing declared: a phone USB discovery finds
    /// must get its DHCP lease and a PPP call its route, as the seed guide's <c>dhclient usb0</c> did by hand.
    /// </summary>
    public const string UsbDiscoveryReason = "USB discovery is on: the phones and modems it finds become uplinks";

    /// <summary>Whether the uplink manager runs (after <c>uplinks.enabled = auto</c> is resolved).</summary>
    public required bool Enabled { get; init; }

    /// <summary>Why it runs or not, for the log.</summary>
    public required string EnabledBecause { get; init; }

    public required IReadOnlyList<StaticUplink> StaticUplinks { get; init; }

    /// <summary>The priority of an uplink a PPP call brings, unless <see cref="DevicePriorities"/> names its device.</summary>
    public required int PppPriority { get; init; }

    /// <summary>The priority of an uplink a tethering interface brings, unless <see cref="DevicePriorities"/> names its device.</summary>
    public required int TetheringPriority { get; init; }

    /// <summary>Priorities by device id, for uplinks that devices bring.</summary>
    public required IReadOnlyDictionary<string, int> DevicePriorities { get; init; }

    public required RouteMetrics Metrics { get; init; }

    public required IpCommands Ip { get; init; }

    /// <summary>Recreating an uplink actor that failed: from min to max, doubling.</summary>
    public required (TimeSpan Min, TimeSpan Max) UplinkRestart { get; init; }

    /// <summary>The LAN, or null when none is declared.</summary>
    public required LanSettings? Lan { get; init; }

    public required NatSettings Nat { get; init; }

    /// <summary>Probing defaults (a static uplink may override them).</summary>
    public required HealthSettings Health { get; init; }

    public required FailoverPolicy Failover { get; init; }

    public required UdhcpcOptions Dhcp { get; init; }

    /// <summary>Where udhcpc's hook scripts go.</summary>
    public required string RuntimeDirectory { get; init; }

    /// <summary>Where dnsmasq keeps the LAN's leases.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>The priority for an uplink a device brings.</summary>
    public int PriorityFor(string deviceId, UplinkSource source) =>
        DevicePriorities.TryGetValue(deviceId, out var p) ? p : source == UplinkSource.Ppp ? PppPriority : TetheringPriority;

    /// <summary>
    /// Reads the network keys of <paramref name="gateway"/>'s configuration. Throws
    /// <see cref="GatewayConfigException"/> naming the file, the key and the problem; unknown keys are errors.
    /// </summary>
    public static UplinkSettings Create(GatewaySettings gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var root = new ConfigReader(
            gateway.Root.WithFallback(GatewaySettings.DefaultConfig.GetConfig(GatewaySettings.Section)), gateway.Source, GatewaySettings.Section);

        var health = root.Object("health") is { } h ? ReadHealth(h, DefaultHealth) : DefaultHealth;

        var statics = new List<StaticUplink>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var interfaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in root.ObjectList("static-uplinks"))
        {
            statics.Add(ReadStaticUplink(entry, health, ids, interfaces));
        }

        var uplinks = root.Object("uplinks");
        uplinks?.RejectUnknown(["enabled", "ppp-priority", "tethering-priority", "devices", "metrics", "route-protocol", "ip", "restart"]);
        var lan = root.Object("lan") is { } l ? ReadLan(l) : null;
        if (lan is not null && interfaces.Contains(lan.Interface))
        {
            throw root.Error("lan.interface", $"\"{lan.Interface}\" is also an uplink (static-uplinks)");
        }

        var enabledText = uplinks?.String("enabled", "auto") ?? "auto";
        var (enabled, because) = enabledText.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => (true, "uplinks.enabled = on"),
            "off" or "false" or "no" => (false, "uplinks.enabled = off"),
            "auto" => statics.Count > 0 || lan is not null
                ? (true, statics.Count > 0 ? "static-uplinks are declared" : "a lan is declared")
                : root.Object("usb")?.Bool("enabled", false) == true
                    ? (true, UsbDiscoveryReason)
                    : (false, "no static-uplinks and no lan are declared, and USB discovery is off (uplinks.enabled = auto)"),
            _ => throw uplinks!.Error("enabled", $"\"{enabledText}\" is not one of auto, on, off"),
        };

        var devices = new Dictionary<string, int>(StringComparer.Ordinal);
        if (uplinks?.Object("devices") is { } byDevice)
        {
            foreach (var id in byDevice.Keys)
            {
                var device = byDevice.Object(id) ?? throw byDevice.Error(id, "expected an object { priority = … }");
                device.RejectUnknown(["priority"]);
                devices[id] = device.Int("priority", 50, 0, 99);
            }
        }

        var metrics = new RouteMetrics(100, 1000);
        if (uplinks?.Object("metrics") is { } m)
        {
            m.RejectUnknown(["active", "standby"]);
            metrics = new RouteMetrics(m.Int("active", 100, 0, 1_000_000), m.Int("standby", 1000, 0, 1_000_000));
            if (metrics.Standby < metrics.Active + 100)
            {
                throw m.Error("standby", $"must be at least active + 100 ({metrics.Active + 100}), so that every active metric is below every standby one");
            }
        }

        var restart = (Min: TimeSpan.FromSeconds(1), Max: TimeSpan.FromMinutes(1));
        if (uplinks?.Object("restart") is { } r)
        {
            r.RejectUnknown(["min-backoff", "max-backoff"]);
            restart = (r.Duration("min-backoff", restart.Min), r.Duration("max-backoff", restart.Max));
            if (restart.Max < restart.Min)
            {
                throw r.Error("max-backoff", $"must not be shorter than min-backoff ({restart.Min})");
            }
        }

        var natReader = root.Object("nat");
        natReader?.RejectUnknown(["enabled", "table", "ip-forward", "clamp-mss", "nft"]);
        var natText = natReader?.String("enabled", "auto") ?? "auto";
        var natEnabled = natText.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            "auto" => lan is not null,
            _ => throw natReader!.Error("enabled", $"\"{natText}\" is not one of auto, on, off"),
        };
        var table = natReader?.String("table", "actorgateway") ?? "actorgateway";
        if (!NftRuleset.IsValidTableName(table))
        {
            throw natReader!.Error("table", $"\"{table}\" is not a table name (letters, digits and '_', starting with a letter)");
        }

        var failover = root.Object("failover");
        failover?.RejectUnknown(["hold-time"]);

        return new UplinkSettings
        {
            Enabled = enabled,
            EnabledBecause = because,
            StaticUplinks = statics,
            PppPriority = uplinks?.Int("ppp-priority", 20, 0, 99) ?? 20,
            TetheringPriority = uplinks?.Int("tethering-priority", 10, 0, 99) ?? 10,
            DevicePriorities = devices,
            Metrics = metrics,
            Ip = new IpCommands(
                Absolute(uplinks, "ip", "/usr/sbin/ip"),
                uplinks?.Int("route-protocol", 171, 5, 255) ?? 171),
            UplinkRestart = restart,
            Lan = lan,
            Nat = new NatSettings(
                natEnabled,
                table,
                natReader?.Bool("ip-forward", true) ?? true,
                natReader?.Bool("clamp-mss", true) ?? true,
                Absolute(natReader, "nft", "/usr/sbin/nft")),
            Health = health,
            Failover = new FailoverPolicy(failover?.Duration("hold-time", TimeSpan.FromSeconds(30)) ?? TimeSpan.FromSeconds(30)),
            Dhcp = root.Object("dhcp") is { } d ? ReadDhcp(d) : new UdhcpcOptions(),
            RuntimeDirectory = gateway.RuntimeDirectory,
            StateDirectory = gateway.StateDirectory,
        };
    }

    /// <summary>The probing defaults when the configuration says nothing (hocon/gateway.conf has the same values).</summary>
    public static HealthSettings DefaultHealth { get; } = new(
        [ProbeTarget.Parse("1.1.1.1"), ProbeTarget.Parse("8.8.8.8")],
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(1),
        new HealthThresholds(3, 2));

    private static readonly string[] HealthKeys = ["targets", "method", "tcp-port", "interval", "standby-interval", "timeout", "up", "down"];

    private static HealthSettings ReadHealth(ConfigReader r, HealthSettings b)
    {
        r.RejectUnknown(HealthKeys);
        var methodText = r.String("method", "icmp");
        var method = methodText.ToLowerInvariant() switch
        {
            "icmp" => ProbeMethod.Icmp,
            "tcp" => ProbeMethod.Tcp,
            "dns" => ProbeMethod.Dns,
            _ => throw r.Error("method", $"\"{methodText}\" is not one of icmp, tcp, dns"),
        };
        var port = r.Int("tcp-port", 443, 1, 65535);
        var targets = b.Targets;
        if (r.Has("targets") || r.Has("method") || r.Has("tcp-port"))
        {
            var texts = r.StringList("targets", [.. b.Targets.Select(t => t.Address.ToString())]);
            var parsed = new List<ProbeTarget>();
            foreach (var text in texts)
            {
                try
                {
                    parsed.Add(ProbeTarget.Parse(text, method, port));
                }
                catch (FormatException e)
                {
                    throw r.Error("targets", e.Message, e);
                }
            }

            targets = parsed;
        }

        var settings = new HealthSettings(
            targets,
            r.Duration("interval", b.Interval),
            r.Duration("standby-interval", b.StandbyInterval),
            r.Duration("timeout", b.Timeout),
            new HealthThresholds(r.Int("up", b.Thresholds.Up, 1, 100), r.Int("down", b.Thresholds.Down, 1, 100)));
        return settings.Timeout > TimeSpan.FromMinutes(1)
            ? throw r.Error("timeout", "must not be longer than 1 minute")
            : settings;
    }

    private static StaticUplink ReadStaticUplink(ConfigReader entry, HealthSettings health, HashSet<string> ids, HashSet<string> interfaces)
    {
        entry.RejectUnknown(["id", "interface", "method", "priority", "address", "gateway", "dns", "health"]);
        var id = entry.String("id", string.Empty);
        if (!IdPattern().IsMatch(id))
        {
            throw entry.Error("id", id.Length == 0
                ? "missing: every uplink needs an id (letters, digits, '-' and '_', up to 32)"
                : $"\"{id}\" is not a valid id (letters, digits, '-' and '_', up to 32, starting with a letter or digit)");
        }

        if (!ids.Add(id))
        {
            throw entry.Error("id", $"\"{id}\" is used by another uplink");
        }

        var ifname = entry.String("interface", string.Empty);
        if (!InterfaceName.IsValid(ifname))
        {
            throw entry.Error("interface", ifname.Length == 0
                ? "missing: the interface name, e.g. usb0"
                : $"\"{ifname}\" is not an interface name (1 to 15 letters, digits, '-', '_' or '.')");
        }

        if (!interfaces.Add(ifname))
        {
            throw entry.Error("interface", $"\"{ifname}\" is used by another uplink");
        }

        var methodText = entry.String("method", "dhcp");
        var method = methodText.ToLowerInvariant() switch
        {
            "dhcp" => UplinkMethod.Dhcp,
            "static" => UplinkMethod.Static,
            _ => throw entry.Error("method", $"\"{methodText}\" is not one of dhcp, static"),
        };

        IPAddress? address = null;
        var prefix = 0;
        IPAddress? gateway = null;
        if (method == UplinkMethod.Static)
        {
            (address, prefix) = Cidr(entry, "address", required: true) ?? default;
            gateway = Ipv4(entry, "gateway");
        }
        else if (entry.Has("address") || entry.Has("gateway"))
        {
            throw entry.Error(entry.Has("address") ? "address" : "gateway", "only a static uplink (method = \"static\") takes an address or gateway");
        }

        var dns = entry.StringList("dns", []).Select((text, i) => IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork
            ? a
            : throw entry.Error("dns", $"item {i} (\"{text}\") is not an IPv4 address")).ToList();

        return new StaticUplink(
            id,
            ifname,
            method,
            entry.Int("priority", 50, 0, 99),
            address,
            prefix,
            gateway,
            dns,
            entry.Object("health") is { } h ? ReadHealth(h, health) : health);
    }

    // An empty interface (the shipped default) means no LAN: the other keys are still checked for spelling.
    private static LanSettings? ReadLan(ConfigReader r)
    {
        r.RejectUnknown(["interface", "address", "dhcp", "dns", "dnsmasq"]);
        r.Object("dhcp")?.RejectUnknown(["enabled", "range-start", "range-end", "lease-time", "ping-check"]);
        var ifname = r.String("interface", string.Empty);
        if (ifname.Length == 0)
        {
            return null;
        }

        if (!InterfaceName.IsValid(ifname))
        {
            throw r.Error("interface", $"\"{ifname}\" is not an interface name (1 to 15 letters, digits, '-', '_' or '.')");
        }

        var cidr = Cidr(r, "address", required: false);
        var dhcp = r.Object("dhcp");
        var dhcpOn = dhcp?.Bool("enabled", true) ?? true;
        (IPAddress, IPAddress)? range = null;
        if (dhcpOn)
        {
            var start = dhcp is null ? null : Ipv4(dhcp, "range-start");
            var end = dhcp is null ? null : Ipv4(dhcp, "range-end");
            if (start is not null && end is not null)
            {
                range = (start, end);
            }
            else if (start is not null || end is not null)
            {
                throw dhcp!.Error(start is null ? "range-start" : "range-end", "give both range-start and range-end, or neither");
            }
            else if (cidr is { } c)
            {
                if (c.Prefix > 30)
                {
                    throw r.Error("address", $"a /{c.Prefix} LAN has no room for DHCP clients; use /30 or shorter, or set lan.dhcp.enabled = off");
                }

                range = Dnsmasq.DefaultRange(c.Address, c.Prefix);
            }
            else
            {
                throw r.Error("dhcp", "DHCP on the LAN needs lan.address (the range is taken from it) or lan.dhcp.range-start and range-end");
            }
        }

        return new LanSettings(
            ifname,
            cidr?.Address,
            cidr?.Prefix ?? 0,
            range,
            dhcp?.Duration("lease-time", TimeSpan.FromHours(12)) ?? TimeSpan.FromHours(12),
            dhcp?.Bool("ping-check", true) ?? true,
            r.Bool("dns", true),
            Absolute(r, "dnsmasq", "/usr/sbin/dnsmasq"));
    }

    private static UdhcpcOptions ReadDhcp(ConfigReader r)
    {
        r.RejectUnknown(["program", "discover-tries", "discover-interval", "retry-after", "release-on-stop", "hostname"]);
        var hostname = r.String("hostname", string.Empty);
        if (hostname.Length > 0 && !HostnamePattern().IsMatch(hostname))
        {
            throw r.Error("hostname", $"\"{hostname}\" is not a host name (letters, digits and '-', up to 63)");
        }

        return new UdhcpcOptions(
            Absolute(r, "program", "/usr/sbin/udhcpc"),
            r.Int("discover-tries", 5, 1, 100),
            r.Duration("discover-interval", TimeSpan.FromSeconds(2)),
            r.Duration("retry-after", TimeSpan.FromSeconds(5)),
            r.Bool("release-on-stop", true),
            hostname);
    }

    private static (IPAddress Address, int Prefix)? Cidr(ConfigReader r, string key, bool required)
    {
        var text = r.String(key, string.Empty);
        if (text.Length == 0)
        {
            return required ? throw r.Error(key, "missing: an address with its prefix, e.g. 192.168.8.100/24") : null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 1 or > 32)
        {
            throw r.Error(key, $"\"{text}\" is not an IPv4 address with its prefix, e.g. 192.168.8.100/24");
        }

        return (address, prefix);
    }

    private static IPAddress? Ipv4(ConfigReader r, string key)
    {
        var text = r.String(key, string.Empty);
        if (text.Length == 0)
        {
            return null;
        }

        return IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3
            ? a
            : throw r.Error(key, $"\"{text}\" is not an IPv4 address");
    }

    private static string Absolute(ConfigReader? r, string key, string fallback)
    {
        var value = r?.String(key, fallback) ?? fallback;
        return value.StartsWith('/') ? value : throw r!.Error(key, $"must be an absolute path, got \"{value}\"");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostnamePattern();
}
