using System.Diagnostics;
using System.Globalization;

namespace ActorGateway.Simulation.Network;

/// <summary>A phone to simulate: its name (and namespace role) and the name its tethering interface has on the gateway.</summary>
public sealed record PhoneSpec(string Name, string GatewayInterface);

/// <summary>
/// The seed guide's Android phone in USB tethering, and the world around it, in network namespaces:
/// <list type="bullet">
/// <item><c>gw</c>: where the gateway runs; each phone's tethering link ends there (named like <c>usb0</c>,
/// left down, as a phone's interface appears), and so does the LAN's link (<c>lan0</c>);</item>
/// <item>one namespace per phone: the phone's end of the link (<c>rndis0</c>, 192.168.42.129/24 as on
/// Android), dnsmasq serving DHCP and DNS on it (<c>--no-ping</c>: the offer in ~0.1 s instead of ~3 s), and
/// a link up to the internet (the phone forwards, as its carrier network would);</item>
/// <item><c>inet</c>: the "internet", the address <see cref="InternetAddress"/> (TEST-NET-2, RFC 5737), with a
/// route back to each phone's subnet but none to the LAN: a LAN packet gets an answer only through NAT;</item>
/// <item><c>lan</c>: a LAN host (<see cref="LanHostAddress"/>), its default route through the gateway.</item>
/// </list>
/// Every address lives inside these namespaces; nothing reaches a real network.
/// </summary>
public sealed class TetheringLab : IAsyncDisposable
{
    /// <summary>The "internet" address, on the internet namespace's loopback.</summary>
    public const string InternetAddress = "198.51.100.1";

    /// <summary>The name every phone's DNS answers with <see cref="InternetAddress"/>.</summary>
    public const string InternetName = "internet.test";

    /// <summary>The name each phone's DNS answers with its own address: which uplink answered.</summary>
    public const string UplinkName = "uplink.test";

    /// <summary>The gateway's address on the LAN.</summary>
    public const string LanGatewayAddress = "10.77.0.1";

    /// <summary>The LAN host's address.</summary>
    public const string LanHostAddress = "10.77.0.2";

    /// <summary>The LAN's prefix length.</summary>
    public const int LanPrefix = 24;

    private readonly Dictionary<string, SimulatedPhone> _phones = new(StringComparer.Ordinal);

    private TetheringLab(NetworkLab lab, string gateway, string internet, string? lan, string lanInterface)
    {
        Lab = lab;
        GatewayNamespace = gateway;
        InternetNamespace = internet;
        LanNamespace = lan;
        LanInterface = lanInterface;
    }

    /// <summary>The namespaces underneath.</summary>
    public NetworkLab Lab { get; }

    /// <summary>Where the gateway runs.</summary>
    public string GatewayNamespace { get; }

    /// <summary>The internet's namespace.</summary>
    public string InternetNamespace { get; }

    /// <summary>The LAN host's namespace, when there is a LAN.</summary>
    public string? LanNamespace { get; }

    /// <summary>The LAN link's name on the gateway.</summary>
    public string LanInterface { get; }

    /// <summary>The phones, in the order given.</summary>
    public IReadOnlyList<SimulatedPhone> Phones => [.. _phones.Values.OrderBy(p => p.Index)];

    /// <summary>The phone named <paramref name="name"/>.</summary>
    public SimulatedPhone Phone(string name) => _phones[name];

    /// <summary>
    /// Builds the lab. <paramref name="lanGatewayAddress"/>: put <see cref="LanGatewayAddress"/> on the gateway's
    /// LAN link (off when the gateway sets it itself, <c>lan.address</c>).
    /// </summary>
    public static async Task<TetheringLab> CreateAsync(
        IReadOnlyList<PhoneSpec> phones, bool lan = true, string lanInterface = "lan0", bool lanGatewayAddress = false, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(phones);
        var net = await NetworkLab.CreateAsync().ConfigureAwait(false);
        try
        {
            var gw = await net.AddNamespaceAsync("gw").ConfigureAwait(false);
            var inet = await net.AddNamespaceAsync("inet").ConfigureAwait(false);
            await net.IpAsync(inet, "address", "add", $"{InternetAddress}/32", "dev", "lo").ConfigureAwait(false);
            string? lanNs = null;
            if (lan)
            {
                lanNs = await net.AddNamespaceAsync("lan").ConfigureAwait(false);
                await net.VethAsync(lanNs, "eth0", gw, lanInterface).ConfigureAwait(false);
                await net.IpAsync(lanNs, "address", "add", $"{LanHostAddress}/{LanPrefix}", "dev", "eth0").ConfigureAwait(false);
                await net.IpAsync(lanNs, "link", "set", "dev", "eth0", "up").ConfigureAwait(false);
                await net.IpAsync(lanNs, "route", "add", "default", "via", LanGatewayAddress).ConfigureAwait(false);
                if (lanGatewayAddress)
                {
                    await net.IpAsync(gw, "address", "add", $"{LanGatewayAddress}/{LanPrefix}", "dev", lanInterface).ConfigureAwait(false);
                }

                await net.IpAsync(gw, "link", "set", "dev", lanInterface, "up").ConfigureAwait(false);
            }

            var result = new TetheringLab(net, gw, inet, lanNs, lanInterface);
            for (var i = 0; i < phones.Count; i++)
            {
                var phone = await SimulatedPhone.CreateAsync(net, phones[i], i, gw, inet, log).ConfigureAwait(false);
                result._phones.Add(phone.Name, phone);
            }

            return result;
        }
        catch
        {
            await net.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The phone <paramref name="name"/>, unplugged before, is plugged in again: a new namespace and a new tethering
    /// link, whose gateway end appears on the gateway as before (down, as a new interface does).
    /// </summary>
    public async Task<SimulatedPhone> ReplugAsync(string name, Action<string>? log = null)
    {
        var old = _phones[name];
        var phone = await SimulatedPhone.CreateAsync(Lab, new PhoneSpec(name, old.GatewayInterface), old.Index, GatewayNamespace, InternetNamespace, log)
            .ConfigureAwait(false);
        _phones[name] = phone;
        return phone;
    }

    /// <summary>One ping from the LAN host to <paramref name="address"/>: true when it is answered within a second.</summary>
    public async Task<bool> LanPingAsync(string address = InternetAddress)
    {
        var (code, _) = await NetworkLab.TryRunAsync(NetworkLab.Ip, ["netns", "exec", LanNamespace!, "ping", "-n", "-c", "1", "-W", "1", address]).ConfigureAwait(false);
        return code == 0;
    }

    /// <summary>A steady stream of pings from the LAN host to the internet address, every <paramref name="interval"/>.</summary>
    public PingStream StartLanPingStream(TimeSpan interval) => PingStream.Start(Lab, LanNamespace!, InternetAddress, interval);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Lab.DisposeAsync();
}

/// <summary>
/// A simulated Android phone in USB tethering: its namespace, its end of the link, its DHCP and DNS server
/// (dnsmasq), its way up to the internet, and the ways it fails.
/// </summary>
public sealed class SimulatedPhone
{
    private const string SilentTable = "silent_failure";
    private readonly NetworkLab _lab;

    private SimulatedPhone(NetworkLab lab, string name, int index, string ns, string gatewayInterface)
    {
        _lab = lab;
        Name = name;
        Index = index;
        Namespace = ns;
        GatewayInterface = gatewayInterface;
    }

    /// <summary>Its name.</summary>
    public string Name { get; }

    /// <summary>Its place in the lab (0, 1, …): it picks the subnet 192.168.(42+index).0/24.</summary>
    public int Index { get; }

    /// <summary>Its namespace.</summary>
    public string Namespace { get; }

    /// <summary>Its tethering interface's name on the gateway.</summary>
    public string GatewayInterface { get; }

    /// <summary>Its own address on the tethering link (the DHCP server, router and DNS server).</summary>
    public string Address => $"192.168.{42 + Index}.129";

    /// <summary>The tethering subnet.</summary>
    public string Subnet => $"192.168.{42 + Index}.0/24";

    /// <summary>dnsmasq's lines.</summary>
    public List<string> Log { get; } = [];

    internal static async Task<SimulatedPhone> CreateAsync(NetworkLab lab, PhoneSpec spec, int index, string gw, string inet, Action<string>? log)
    {
        var ns = await lab.AddNamespaceAsync(spec.Name).ConfigureAwait(false);
        var phone = new SimulatedPhone(lab, spec.Name, index, ns, spec.GatewayInterface);
        await lab.VethAsync(ns, "rndis0", gw, spec.GatewayInterface).ConfigureAwait(false);
        await lab.IpAsync(ns, "address", "add", $"{phone.Address}/24", "dev", "rndis0").ConfigureAwait(false);
        await lab.IpAsync(ns, "link", "set", "dev", "rndis0", "up").ConfigureAwait(false);

        // Up to the internet: 203.0.113.(4i+1)/30 on the internet side, (4i+2) on the phone (TEST-NET-3).
        var inetSide = $"203.0.113.{(4 * index) + 1}";
        var phoneSide = $"203.0.113.{(4 * index) + 2}";
        var inetIf = $"to{index}";
        await lab.VethAsync(ns, "wan", inet, inetIf).ConfigureAwait(false);
        await lab.IpAsync(ns, "address", "add", $"{phoneSide}/30", "dev", "wan").ConfigureAwait(false);
        await lab.IpAsync(ns, "link", "set", "dev", "wan", "up").ConfigureAwait(false);
        await lab.IpAsync(inet, "address", "add", $"{inetSide}/30", "dev", inetIf).ConfigureAwait(false);
        await lab.IpAsync(inet, "link", "set", "dev", inetIf, "up").ConfigureAwait(false);
        await lab.IpAsync(ns, "route", "add", "default", "via", inetSide).ConfigureAwait(false);
        await lab.IpAsync(inet, "route", "add", phone.Subnet, "via", phoneSide).ConfigureAwait(false);
        await lab.ExecAsync(ns, "sysctl", ["-qw", "net.ipv4.ip_forward=1"]).ConfigureAwait(false);

        var first = $"192.168.{42 + index}.2";
        var last = $"192.168.{42 + index}.100";
        lab.Start(ns, "/usr/sbin/dnsmasq",
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", "--log-facility=-",
            "--interface=rndis0", "--except-interface=lo", "--bind-interfaces",
            $"--dhcp-range={first},{last},1h", "--no-ping", $"--dhcp-leasefile={Path.Combine(lab.Directory, $"{spec.Name}.leases")}",
            "--no-resolv", "--no-hosts", "--local=/test/", // the .test names below are answered here, every record type
            $"--address=/{TetheringLab.InternetName}/{TetheringLab.InternetAddress}",
            $"--address=/{TetheringLab.UplinkName}/{phone.Address}",
        ], line =>
        {
            lock (phone.Log)
            {
                phone.Log.Add(line);
            }

            log?.Invoke($"{spec.Name}: {line}");
        });
        return phone;
    }

    /// <summary>The phone's end of the link goes down: the gateway's interface loses its carrier (tethering switched off, cable pulled halfway).</summary>
    public Task CarrierOffAsync() => _lab.IpAsync(Namespace, "link", "set", "dev", "rndis0", "down");

    /// <summary>The link comes back.</summary>
    public Task CarrierOnAsync() => _lab.IpAsync(Namespace, "link", "set", "dev", "rndis0", "up");

    /// <summary>
    /// A silent failure: the phone keeps its link and answers DHCP, but drops every packet it should forward
    /// (its carrier's network is dead), with an nft rule in its own namespace.
    /// </summary>
    public Task DropUpstreamAsync() => _lab.ExecAsync(Namespace, "/usr/sbin/nft", ["-f", "-"],
        $"table ip {SilentTable} {{\n\tchain forward {{\n\t\ttype filter hook forward priority 0; policy drop;\n\t}}\n}}\n");

    /// <summary>The phone forwards again.</summary>
    public Task RestoreUpstreamAsync() => _lab.ExecAsync(Namespace, "/usr/sbin/nft", ["delete", "table", "ip", SilentTable]);

    /// <summary>The phone is unplugged: its namespace is deleted, and with it both ends of the link.</summary>
    public Task UnplugAsync() => _lab.DeleteNamespaceAsync(Name);

    /// <summary>Routes <paramref name="subnet"/> through the gateway's tethering address, as a hostile network would, to try to reach the LAN.</summary>
    public Task RouteThroughGatewayAsync(string subnet, string gatewayAddress) =>
        _lab.IpAsync(Namespace, "route", "replace", subnet, "via", gatewayAddress, "dev", "rndis0");

    /// <summary>One ping from the phone to <paramref name="address"/>: true when answered within a second.</summary>
    public async Task<bool> PingAsync(string address)
    {
        var (code, _) = await NetworkLab.TryRunAsync(NetworkLab.Ip, ["netns", "exec", Namespace, "ping", "-n", "-c", "1", "-W", "1", address]).ConfigureAwait(false);
        return code == 0;
    }

    /// <summary>A TCP connection from the phone to <paramref name="address"/>:<paramref name="port"/>: true when it is established within a second.</summary>
    public async Task<bool> ConnectAsync(string address, int port)
    {
        var (code, _) = await NetworkLab.TryRunAsync(NetworkLab.Ip,
            ["netns", "exec", Namespace, "socat", "-u", "OPEN:/dev/null", $"TCP:{address}:{port.ToString(CultureInfo.InvariantCulture)},connect-timeout=1"]).ConfigureAwait(false);
        return code == 0;
    }
}

/// <summary>
/// A steady stream of pings (iputils ping with <c>-D</c>: each reply stamped when it arrived) and the gaps in
/// its replies: how long the stream went unanswered while the gateway failed over.
/// </summary>
public sealed class PingStream : IAsyncDisposable
{
    private readonly List<double> _replies = [];
    private readonly Process _process;
    private readonly Lock _gate = new();

    private PingStream(Process process) => _process = process;

    internal static PingStream Start(NetworkLab lab, string ns, string address, TimeSpan interval)
    {
        PingStream? stream = null;
        var pending = new List<string>();
        var process = lab.Start(ns, "ping", ["-n", "-D", "-i", interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), address], line =>
        {
            if (stream is null)
            {
                lock (pending)
                {
                    pending.Add(line);
                }
            }
            else
            {
                stream.OnLine(line);
            }
        });
        stream = new PingStream(process);
        lock (pending)
        {
            foreach (var line in pending)
            {
                stream.OnLine(line);
            }
        }

        return stream;
    }

    /// <summary>The Unix time of every reply so far.</summary>
    public IReadOnlyList<double> Replies
    {
        get
        {
            lock (_gate)
            {
                return [.. _replies];
            }
        }
    }

    /// <summary>Now, as ping stamps it (Unix time in seconds).</summary>
    public static double Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// The longest time without a reply between <paramref name="from"/> and <paramref name="to"/> (Unix seconds):
    /// from the last reply before a gap to the first after it. Null when no reply came after <paramref name="from"/>.
    /// </summary>
    public TimeSpan? LongestGap(double from, double to)
    {
        var replies = Replies;
        var before = replies.LastOrDefault(r => r <= from, double.NaN);
        var window = replies.Where(r => r > from && r <= to).ToList();
        if (window.Count == 0)
        {
            return null;
        }

        var previous = double.IsNaN(before) ? window[0] : before;
        var longest = 0.0;
        foreach (var r in window)
        {
            longest = Math.Max(longest, r - previous);
            previous = r;
        }

        return TimeSpan.FromSeconds(longest);
    }

    /// <summary>Waits until a reply arrives after <paramref name="after"/> (Unix seconds), or <paramref name="within"/> passes.</summary>
    public async Task<bool> WaitForReplyAfterAsync(double after, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (Replies.Any(r => r > after))
            {
                return true;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Stops the stream (SIGINT: ping prints what it still holds).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            NetworkLab.Signal(_process, 2);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }

    private void OnLine(string line)
    {
        // "[1795624890.251841] 64 bytes from 198.51.100.1: icmp_seq=161 ttl=62 time=0.072 ms"
        if (line.StartsWith('[') && line.Contains("bytes from", StringComparison.Ordinal)
            && double.TryParse(line.AsSpan(1, line.IndexOf(']', StringComparison.Ordinal) - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var at))
        {
            lock (_gate)
            {
                _replies.Add(at);
            }
        }
    }
}
