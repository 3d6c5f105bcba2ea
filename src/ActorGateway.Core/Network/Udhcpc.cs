using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorGateway.Core.Io;

namespace ActorGateway.Core.Network;

/// <summary>What the DHCP server gave: the address and what goes with it (RFC 2131, RFC 2132 options 1, 3, 6, 26, 51, 54).</summary>
/// <param name="Address">Our address (yiaddr).</param>
/// <param name="PrefixLength">The subnet mask (option 1) as a prefix length.</param>
/// <param name="Router">The first router (option 3), or null when the server gave none.</param>
/// <param name="Dns">The DNS servers (option 6).</param>
/// <param name="LeaseTime">The lease time (option 51), or null when the server gave none.</param>
/// <param name="Server">The server identifier (option 54).</param>
/// <param name="Mtu">The interface MTU (option 26), when given.</param>
public sealed record DhcpLease(
    IPAddress Address,
    int PrefixLength,
    IPAddress? Router,
    IReadOnlyList<IPAddress> Dns,
    TimeSpan? LeaseTime,
    IPAddress? Server,
    int? Mtu)
{
    /// <summary>The address in CIDR form, e.g. 192.168.42.64/24.</summary>
    public string Cidr => $"{Address}/{PrefixLength}";

    /// <summary>Equal in every field (the DNS list compared item by item).</summary>
    public bool SameAs(DhcpLease? other) => other is not null
        && Address.Equals(other.Address) && PrefixLength == other.PrefixLength && Equals(Router, other.Router)
        && Dns.SequenceEqual(other.Dns) && LeaseTime == other.LeaseTime && Equals(Server, other.Server) && Mtu == other.Mtu;
}

/// <summary>One event of the DHCP client, as its hook script reported it.</summary>
public abstract record DhcpHookEvent
{
    private DhcpHookEvent()
    {
    }

    /// <summary><c>deconfig</c>: udhcpc starts, or lost its lease: the interface must have no address.</summary>
    public sealed record Deconfig : DhcpHookEvent
    {
        public static readonly Deconfig Instance = new();
    }

    /// <summary><c>bound</c>: a new lease.</summary>
    public sealed record Bound(DhcpLease Lease) : DhcpHookEvent;

    /// <summary><c>renew</c>: the lease was renewed (its content may have changed).</summary>
    public sealed record Renewed(DhcpLease Lease) : DhcpHookEvent;

    /// <summary><c>leasefail</c>: no lease was obtained (no answer to the discover).</summary>
    public sealed record LeaseFailed : DhcpHookEvent
    {
        public static readonly LeaseFailed Instance = new();
    }

    /// <summary><c>nak</c>: the server refused the address we asked for.</summary>
    public sealed record Nak : DhcpHookEvent
    {
        public static readonly Nak Instance = new();
    }

    /// <summary>A hook line the gateway cannot use (e.g. <c>bound</c> without a valid address); never applied.</summary>
    public sealed record Malformed(string Problem) : DhcpHookEvent;
}

/// <summary>How the gateway runs udhcpc (busybox): options from the configuration.</summary>
/// <param name="Program">The udhcpc executable.</param>
/// <param name="DiscoverTries">DHCPDISCOVERs per attempt (<c>-t</c>).</param>
/// <param name="DiscoverInterval">Pause between them (<c>-T</c>, whole seconds).</param>
/// <param name="RetryAfter">Pause after an attempt that got no lease (<c>-A</c>, whole seconds).</param>
/// <param name="ReleaseOnStop">Send DHCPRELEASE when the gateway stops the client (<c>-R</c>).</param>
/// <param name="Hostname">Hostname option to send (option 12), or empty for none.</param>
public sealed record UdhcpcOptions(
    string Program = "/usr/sbin/udhcpc",
    int DiscoverTries = 5,
    TimeSpan? DiscoverInterval = null,
    TimeSpan? RetryAfter = null,
    bool ReleaseOnStop = true,
    string Hostname = "");

/// <summary>
/// udhcpc, the DHCP client the gateway runs on a tethering interface, and the hook script through which it
/// reports. busybox's udhcpc (networking/udhcp/dhcpc.c) stays in the foreground with <c>-f</c>, so it is a
/// supervised child whose exit the gateway sees; it runs its script for each event (<c>deconfig</c>,
/// <c>bound</c>, <c>renew</c>, <c>leasefail</c>, <c>nak</c>) with the lease in environment variables. The
/// gateway's script only prints one structured line to udhcpc's standard output; it never configures the
/// interface (Debian's default script would, and would rewrite /etc/resolv.conf). The gateway applies the
/// address, the route with the uplink's metric and the DNS itself.
/// </summary>
public static class Udhcpc
{
    /// <summary>The first field of every line the hook prints.</summary>
    public const string LinePrefix = "actorgateway-dhcp";

    /// <summary>
    /// The hook script. Fields are tab-separated so that lists (<c>router</c>, <c>dns</c>) keep their spaces;
    /// every value is parsed strictly by <see cref="ParseLine"/>, since it comes from the DHCP server.
    /// </summary>
    public const string HookScript =
        "#!/bin/sh\n" +
        "# Written by actorgateway for udhcpc (-s). It reports each DHCP event to the gateway on standard output\n" +
        "# and never configures the interface: the gateway applies the address, routes and DNS itself.\n" +
        "printf '" + LinePrefix + "\\t%s\\tip=%s\\tmask=%s\\tsubnet=%s\\trouter=%s\\tdns=%s\\tlease=%s\\tserverid=%s\\tmtu=%s\\n' " +
        "\"${1:-}\" \"${ip:-}\" \"${mask:-}\" \"${subnet:-}\" \"${router:-}\" \"${dns:-}\" \"${lease:-}\" \"${serverid:-}\" \"${mtu:-}\"\n";

    /// <summary>
    /// udhcpc for <paramref name="ifname"/>, with its hook written (0700) to <paramref name="hookPath"/> before it
    /// starts and removed after it ends. <paramref name="requestAddress"/> asks for the address of an earlier
    /// lease (<c>-r</c>; RFC 2131 §3.2 INIT-REBOOT), so that a phone whose cable wobbled gives the same one back.
    /// </summary>
    public static ProcessSpec Command(UdhcpcOptions options, string ifname, string hookPath, IPAddress? requestAddress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var args = new List<string>
        {
            "-f",                       // foreground: our child, its exit is ours to see
            "-i", InterfaceName.Require(ifname),
            "-s", hookPath,
            "-t", options.DiscoverTries.ToString(CultureInfo.InvariantCulture),
            "-T", Seconds(options.DiscoverInterval ?? TimeSpan.FromSeconds(2)),
            "-A", Seconds(options.RetryAfter ?? TimeSpan.FromSeconds(5)),
        };
        if (options.ReleaseOnStop)
        {
            args.Add("-R");
        }

        if (options.Hostname.Length > 0)
        {
            args.Add("-x");
            args.Add($"hostname:{options.Hostname}");
        }

        if (requestAddress is not null)
        {
            args.Add("-r");
            args.Add(requestAddress.ToString());
        }

        return new ProcessSpec(options.Program, args, [new PrivateFile(hookPath, HookScript, Executable: true)]);
    }

    /// <summary>The event a hook line reports, or null when the line is udhcpc's own chatter.</summary>
    public static DhcpHookEvent? ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split('\t');
        if (fields.Length < 2 || fields[0] != LinePrefix)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields.Skip(2))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[field[..eq]] = field[(eq + 1)..].Trim();
            }
        }

        return fields[1] switch
        {
            "deconfig" => DhcpHookEvent.Deconfig.Instance,
            "leasefail" => DhcpHookEvent.LeaseFailed.Instance,
            "nak" => DhcpHookEvent.Nak.Instance,
            "bound" => Lease(values) is { } bound ? new DhcpHookEvent.Bound(bound) : Malformed(values),
            "renew" => Lease(values) is { } renewed ? new DhcpHookEvent.Renewed(renewed) : Malformed(values),
            var other => new DhcpHookEvent.Malformed($"unknown event \"{Printable(other)}\""),
        };
    }

    private static DhcpHookEvent Malformed(Dictionary<string, string> values) =>
        new DhcpHookEvent.Malformed(HostAddress(Get(values, "ip")) is null
            ? $"no valid address (ip=\"{Printable(Get(values, "ip"))}\")"
            : $"no valid subnet (mask=\"{Printable(Get(values, "mask"))}\", subnet=\"{Printable(Get(values, "subnet"))}\")");

    private static DhcpLease? Lease(Dictionary<string, string> values)
    {
        if (HostAddress(Get(values, "ip")) is not { } address)
        {
            return null;
        }

        int? prefix = int.TryParse(Get(values, "mask"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 32
            ? p
            : PrefixOf(Get(values, "subnet"));
        if (prefix is not { } prefixLength)
        {
            return null;
        }

        var router = Get(values, "router").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Address).FirstOrDefault(a => a is not null);
        var dns = Get(values, "dns").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Address).OfType<IPAddress>().ToList();
        TimeSpan? lease = long.TryParse(Get(values, "lease"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, uint.MaxValue))
            : null;
        int? mtu = int.TryParse(Get(values, "mtu"), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 576 and <= 65535 ? m : null;
        return new DhcpLease(address, prefixLength, router, dns, lease, Address(Get(values, "serverid")), mtu);
    }

    private static IPAddress? HostAddress(string text) =>
        Address(text) is { } a && !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.Broadcast) ? a : null;

    private static string Get(Dictionary<string, string> values, string key) => values.GetValueOrDefault(key, string.Empty);

    private static IPAddress? Address(string text) =>
        IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3 ? a : null;

    // A dotted mask such as 255.255.255.0: contiguous ones only.
    private static int? PrefixOf(string mask)
    {
        if (Address(mask) is not { } a)
        {
            return null;
        }

        var bytes = a.GetAddressBytes();
        var bits = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var ones = System.Numerics.BitOperations.PopCount(bits);
        return ones is >= 1 and <= 32 && bits == uint.MaxValue << (32 - ones) ? ones : null;
    }

    private static string Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string Printable(string text) =>
        new string([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
}
