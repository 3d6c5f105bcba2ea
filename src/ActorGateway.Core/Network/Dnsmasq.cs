using System.Globalization;
using System.Net;
using ActorGateway.Core.Io;

namespace ActorGateway.Core.Network;

/// <summary>The LAN service: dnsmasq answering DHCP and DNS on the LAN interface.</summary>
/// <param name="Program">The dnsmasq executable.</param>
/// <param name="Interface">The LAN interface; dnsmasq binds to it alone.</param>
/// <param name="DhcpRange">First and last address handed out, or null for no DHCP.</param>
/// <param name="LeaseTime">The DHCP lease time (at least 2 minutes, dnsmasq(8)).</param>
/// <param name="PingCheck">Ping an address before offering it (dnsmasq's default; costs about 3 s on the first offer).</param>
/// <param name="Dns">Answer DNS on the LAN, forwarding to <paramref name="Upstream"/>.</param>
/// <param name="Upstream">The active uplink's DNS servers (none: queries are refused until an uplink carries the traffic).</param>
/// <param name="LeaseFile">Where dnsmasq keeps its DHCP leases (they survive a restart of dnsmasq).</param>
/// <param name="UpstreamInterface">
/// The active uplink's interface: the queries leave through it. Two phones often share a subnet (Android
/// tethers on 192.168.42.0/24 with DNS at 192.168.42.129), and the routing table would pick the first.
/// </param>
public sealed record LanServiceSpec(
    string Program,
    string Interface,
    (IPAddress First, IPAddress Last)? DhcpRange,
    TimeSpan LeaseTime,
    bool PingCheck,
    bool Dns,
    IReadOnlyList<IPAddress> Upstream,
    string LeaseFile,
    string? UpstreamInterface = null);

/// <summary>
/// dnsmasq's argument list for the LAN (dnsmasq(8)). It reads no configuration file and writes no pid file, so
/// it never mixes with a dnsmasq the system runs; it stays in the foreground and logs to standard error for the
/// gateway to read; it binds only to the LAN interface (not loopback), so it never fights another resolver on
/// the box for port 53. The upstream servers are arguments (<c>--no-resolv</c>, <c>--server</c>), not a
/// resolv file: dnsmasq reads such a file after dropping root, and the gateway's runtime directory is not
/// open to its user; nor could it see two changes within one second (it compares whole-second mtimes). The
/// gateway restarts dnsmasq when the active uplink's servers change; the leases stay in the lease file.
/// </summary>
public static class Dnsmasq
{
    /// <summary>The argument list.</summary>
    public static ProcessSpec Command(LanServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var args = new List<string>
        {
            "--keep-in-foreground",
            "--conf-file=/dev/null",        // not /etc/dnsmasq.conf: that belongs to the system's dnsmasq, if any
            "--pid-file=",                  // an empty path: no pid file
            "--log-facility=-",             // standard error
            $"--interface={InterfaceName.Require(spec.Interface)}",
            "--except-interface=lo",        // --interface adds loopback by itself (dnsmasq(8), --interface)
            "--bind-dynamic",               // only the LAN's addresses, and follows them if they change
            "--no-hosts",                   // the LAN gets DNS from the uplink, not the box's /etc/hosts
        };
        if (spec.Dns)
        {
            args.Add("--no-resolv");        // not /etc/resolv.conf: the box's resolver may point anywhere
            var via = spec.UpstreamInterface is { } ifname ? $"@{InterfaceName.Require(ifname)}" : string.Empty; // dnsmasq(8), --server=<ipaddr>[@<interface>]
            args.AddRange(spec.Upstream.Select(server => $"--server={server}{via}"));
            args.Add("--domain-needed");    // plain names and private reverse lookups never leave the LAN
            args.Add("--bogus-priv");
        }
        else
        {
            args.Add("--port=0");
        }

        if (spec.DhcpRange is { } range)
        {
            var seconds = Math.Max(120, (long)spec.LeaseTime.TotalSeconds);
            args.Add($"--dhcp-range={range.First},{range.Last},{seconds.ToString(CultureInfo.InvariantCulture)}");
            args.Add($"--dhcp-leasefile={spec.LeaseFile}");
            args.Add("--dhcp-authoritative");
            if (!spec.PingCheck)
            {
                args.Add("--no-ping");
            }
        }

        return new ProcessSpec(spec.Program, args);
    }

    /// <summary>
    /// The default DHCP range for the LAN address <paramref name="address"/>/<paramref name="prefix"/>: from the
    /// 100th host to the 199th when the subnet holds that many, else the upper half of the subnet, never the
    /// gateway's own address, the network or the broadcast address.
    /// </summary>
    public static (IPAddress First, IPAddress Last) DefaultRange(IPAddress address, int prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (prefix is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(prefix), prefix, "a LAN with DHCP needs a prefix between /1 and /30");
        }

        var ip = ToUInt(address);
        var size = 1u << (32 - prefix);
        var network = ip & ~(size - 1);
        uint first, last;
        if (size >= 256)
        {
            (first, last) = (network + 100, network + 199);
        }
        else
        {
            (first, last) = (network + (size / 2), network + size - 2);
        }

        if (ip >= first && ip <= last)
        {
            // The gateway's own address sits in the range: hand out the part above it, or below when none is left.
            (first, last) = ip < last ? (ip + 1, last) : (first, ip - 1);
        }

        return (FromUInt(first), FromUInt(last));
    }

    /// <summary>True when <paramref name="a"/> lies in <paramref name="network"/>/<paramref name="prefix"/>.</summary>
    public static bool InSubnet(IPAddress a, IPAddress network, int prefix)
    {
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (ToUInt(a) & mask) == (ToUInt(network) & mask);
    }

    private static uint ToUInt(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static IPAddress FromUInt(uint v) => new([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
}
