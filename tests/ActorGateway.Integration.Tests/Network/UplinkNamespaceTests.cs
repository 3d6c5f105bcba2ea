using System.Text.RegularExpressions;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;
using ActorGateway.Simulation.Network;
using Xunit.Abstractions;

namespace ActorGateway.Integration.Tests.Network;

/// <summary>
/// The network side on the real thing, in network namespaces these tests build and delete (unique names per
/// run; deleted even when a test fails): a simulated phone serving DHCP over a veth named <c>usb0</c>, the real
/// udhcpc, real nftables, real dnsmasq, a LAN host that must reach the "internet" address through the
/// gateway's NAT, and a backup phone. The gateway runs as its own process inside the <c>gw</c> namespace.
/// </summary>
public sealed partial class UplinkNamespaceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();

    // Probes fast enough for tests (the shipped defaults are 1 s / 1 s / down 2); the failover logic is the same.
    private const string Health = """
        health { targets = ["198.51.100.1"], interval = 200ms, standby-interval = 200ms, timeout = 400ms, down = 2, up = 2 }
        """;

    public void Dispose() => _dir.Dispose();

    [NetnsFact]
    public async Task Gateway_should_share_a_phone_with_the_LAN_through_NAT_drop_inbound_connections_and_leave_nothing_behind()
    {
        await using var lab = await TetheringLab.CreateAsync([new PhoneSpec("phone", "usb0")]);
        var listener = lab.Lab.Start(lab.LanNamespace!, "socat", ["TCP-LISTEN:8080,fork,reuseaddr", "OPEN:/dev/null"]);
        var gateway = NamespaceGateway.Start(lab, _dir, $$"""
            static-uplinks = [ { id = "phone", interface = "usb0", method = "dhcp", priority = 10 } ]
            lan { interface = "lan0", address = "10.77.0.1/24", dhcp.ping-check = off }
            {{Health}}
            """);

        var status = await gateway.WaitForAsync(
            s => s.Active == "phone" && s.Uplinks.Single().Health == UplinkHealth.Up, StartWithin, "phone active and healthy");

        var phone = status.Uplinks.Single();
        Assert.Equal(UplinkState.Up, phone.State);
        Assert.StartsWith("192.168.42.", phone.Address, StringComparison.Ordinal);
        Assert.EndsWith("/24", phone.Address, StringComparison.Ordinal);
        Assert.Equal("192.168.42.129", phone.Gateway);
        Assert.Equal(["192.168.42.129"], phone.Dns);
        Assert.True(status.Sharing);
        Assert.Equal(await GatewayIp(lab, "-4", "route", "show", "default"), $"default via 192.168.42.129 dev usb0 proto 171 metric {phone.Metric} \n");

        // The internet has no route to the LAN: an answer can only come back through the gateway's masquerade.
        Assert.True(await lab.LanPingAsync(), "the LAN host reaches the internet address through the gateway");

        // The LAN's DNS goes to the gateway's dnsmasq, which forwards to the active uplink's server.
        Assert.Equal(TetheringLab.InternetAddress, await LanLookup(lab, TetheringLab.InternetName, TetheringLab.InternetAddress));

        // The LAN gets DHCP from the gateway's dnsmasq.
        var lease = await Exec(lab.LanNamespace!, "udhcpc", "-f", "-q", "-n", "-i", "eth0", "-s", "/bin/true", "-t", "3", "-T", "1");
        Assert.Matches(@"lease of 10\.77\.0\.1[0-9]{2} obtained from 10\.77\.0\.1", lease);

        // A new connection from the uplink side into the LAN is dropped by the gateway's own rule.
        var usb0 = phone.Address!.Split('/')[0];
        var phoneSim = lab.Phone("phone");
        await phoneSim.RouteThroughGatewayAsync("10.77.0.0/24", usb0);
        Assert.False(await phoneSim.PingAsync(TetheringLab.LanHostAddress), "a ping from the phone into the LAN is dropped");
        Assert.False(await phoneSim.ConnectAsync(TetheringLab.LanHostAddress, 8080), "a TCP connection from the phone into the LAN is dropped");
        Assert.True(await DroppedInbound(lab) >= 2, "the gateway's drop rule counted them");
        Assert.False(listener.HasExited);

        Assert.Equal(0, await gateway.StopAsync());

        // Nothing of the gateway is left: no table, no route, no address, no process; ip_forward as it was.
        Assert.DoesNotContain("actorgateway", await Exec(lab.GatewayNamespace, "/usr/sbin/nft", "list", "tables"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await GatewayIp(lab, "-4", "route", "show", "default"));
        Assert.DoesNotContain("inet ", await GatewayIp(lab, "-4", "address", "show", "dev", "usb0"), StringComparison.Ordinal);
        Assert.DoesNotContain("inet ", await GatewayIp(lab, "-4", "address", "show", "dev", "lan0"), StringComparison.Ordinal);
        Assert.Equal("0", (await Exec(lab.GatewayNamespace, "cat", "/proc/sys/net/ipv4/ip_forward")).Trim());
        Assert.Equal(string.Empty, (await NetworkLab.TryRunAsync(NetworkLab.Ip, ["netns", "pids", lab.GatewayNamespace])).Output.Trim());
        Assert.False(await lab.LanPingAsync(), "without the gateway the LAN is cut off again");
    }

    [NetnsFact]
    public async Task Gateway_should_drop_new_connections_into_the_LAN_from_an_interface_that_is_not_an_uplink_that_is_up()
    {
        await using var lab = await TetheringLab.CreateAsync([new PhoneSpec("phone", "usb0"), new PhoneSpec("other", "usb1")]);
        var listener = lab.Lab.Start(lab.LanNamespace!, "socat", ["TCP-LISTEN:8080,fork,reuseaddr", "OPEN:/dev/null"]);
        var gateway = NamespaceGateway.Start(lab, _dir, $$"""
            static-uplinks = [ { id = "phone", interface = "usb0", method = "dhcp", priority = 10 } ]
            lan { interface = "lan0", address = "10.77.0.1/24", dhcp.enabled = off, dns = off }
            {{Health}}
            """);
        await gateway.WaitForAsync(s => s.Active == "phone" && s.Uplinks.Single().Health == UplinkHealth.Up, StartWithin, "phone active and healthy");

        // usb1 carries an address but is not in the uplink set, as an uplink is while udhcpc asks, after a lost lease
        // or between flaps: its segment must not reach the LAN either.
        await GatewayIp(lab, "address", "add", "192.168.43.2/24", "dev", "usb1");
        await GatewayIp(lab, "link", "set", "dev", "usb1", "up");
        var other = lab.Phone("other");
        await other.RouteThroughGatewayAsync("10.77.0.0/24", "192.168.43.2");
        Assert.True(await other.PingAsync("192.168.43.2"), "the segment reaches the gateway itself");
        Assert.False(await other.PingAsync(TetheringLab.LanHostAddress), "a ping from a segment that is not an up uplink into the LAN is dropped");
        Assert.False(await other.ConnectAsync(TetheringLab.LanHostAddress, 8080), "a TCP connection from it into the LAN is dropped");
        Assert.True(await DroppedIntoLan(lab) >= 2, "the gateway's LAN rule counted them");
        Assert.True(await lab.LanPingAsync(), "the LAN still reaches the internet through the phone");
        Assert.False(listener.HasExited);
        Assert.Equal(0, await gateway.StopAsync());
    }

    [NetnsFact]
    public async Task Gateway_should_leave_another_program_default_route_at_its_metric_alone()
    {
        await using var lab = await TetheringLab.CreateAsync([new PhoneSpec("phone", "usb0")]);
        // NetworkManager's ethernet default route has metric 100, the gateway's active metric.
        await GatewayIp(lab, "link", "add", "eth9", "type", "veth", "peer", "name", "eth9p");
        await GatewayIp(lab, "link", "set", "dev", "eth9p", "up");
        await GatewayIp(lab, "link", "set", "dev", "eth9", "up");
        await GatewayIp(lab, "-4", "route", "add", "default", "via", "10.99.0.1", "dev", "eth9", "onlink", "metric", "100", "proto", "static");
        var gateway = NamespaceGateway.Start(lab, _dir, $$"""
            static-uplinks = [ { id = "phone", interface = "usb0", method = "dhcp", priority = 10 } ]
            lan { interface = "lan0", address = "10.77.0.1/24", dhcp.enabled = off, dns = off }
            {{Health}}
            """);

        var status = await gateway.WaitForAsync(s => s.Active == "phone" && s.Uplinks.Single().Metric == 101, StartWithin, "phone active on metric 101");
        Assert.Equal(
            "default via 10.99.0.1 dev eth9 proto static metric 100 onlink \ndefault via 192.168.42.129 dev usb0 proto 171 metric 101 \n",
            await GatewayIp(lab, "-4", "route", "show", "default"));
        Assert.Contains(gateway.Lines, l => l.Contains("another default route holds metric 100", StringComparison.Ordinal));

        Assert.Equal(0, await gateway.StopAsync());
        Assert.Equal("default via 10.99.0.1 dev eth9 proto static metric 100 onlink \n", await GatewayIp(lab, "-4", "route", "show", "default"));
    }

    [NetnsFact]
    public async Task Gateway_should_fail_over_at_once_on_carrier_loss_fail_back_after_the_hold_time_and_drop_an_unplugged_phone()
    {
        await using var lab = await TetheringLab.CreateAsync([new PhoneSpec("phone", "usb0"), new PhoneSpec("backup", "usb1")]);
        var gateway = NamespaceGateway.Start(lab, _dir, $$"""
            static-uplinks = [
              { id = "phone", interface = "usb0", method = "dhcp", priority = 10 }
              { id = "backup", interface = "usb1", method = "dhcp", priority = 20 }
            ]
            lan { interface = "lan0", address = "10.77.0.1/24", dhcp.enabled = off }
            failover.hold-time = 2s
            {{Health}}
            """);
        await gateway.WaitForAsync(s => s.Active == "phone" && s.Uplinks.All(u => u.Health == UplinkHealth.Up), StartWithin, "both healthy, phone active");
        await using var stream = lab.StartLanPingStream(TimeSpan.FromMilliseconds(10));
        Assert.True(await stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(5)), "the LAN's ping stream flows");
        Assert.Equal("192.168.42.129", await LanLookup(lab, TetheringLab.UplinkName, "192.168.42.129"));

        // Hard failure: the phone's end goes down, usb0 loses its carrier.
        var failed = PingStream.Now;
        await lab.Phone("phone").CarrierOffAsync();
        var status = await gateway.WaitForAsync(s => s.Active == "backup", TimeSpan.FromSeconds(2), "failover to the backup");
        Assert.Contains("carrier lost on usb0", status.Reason, StringComparison.Ordinal);
        Assert.True(await stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(2)), "the stream flows through the backup");
        var hard = stream.LongestGap(failed, PingStream.Now)!.Value;
        output.WriteLine($"hard failover (carrier lost): the LAN's stream went unanswered for {hard.TotalMilliseconds:0} ms");
        Assert.True(hard < TimeSpan.FromSeconds(1), $"hard failover gap {hard.TotalMilliseconds:0} ms");
        // The LAN's DNS now goes to the backup's server.
        Assert.Equal("192.168.43.129", await LanLookup(lab, TetheringLab.UplinkName, "192.168.43.129"));

        // The phone comes back: it is healthy again within a second, but takes the traffic back only after the hold time.
        var back = DateTimeOffset.UtcNow;
        await lab.Phone("phone").CarrierOnAsync();
        await gateway.WaitForAsync(s => s.Uplinks.Single(u => u.Id == "phone").Health == UplinkHealth.Up, TimeSpan.FromSeconds(10), "phone healthy again");
        Assert.Equal("backup", (await gateway.StatusAsync()).Uplinks!.Active);
        var failbackStarted = PingStream.Now;
        status = await gateway.WaitForAsync(s => s.Active == "phone", TimeSpan.FromSeconds(10), "failback to the phone");
        Assert.True(status.ActiveSince - back >= TimeSpan.FromSeconds(2), $"failback after the 2 s hold time, not before ({status.ActiveSince - back})");
        Assert.Contains("healthy for 2 s", status.Reason, StringComparison.Ordinal);
        Assert.True(await stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(2)));
        var failback = stream.LongestGap(failbackStarted, PingStream.Now)!.Value;
        output.WriteLine($"failback: longest gap {failback.TotalMilliseconds:0} ms");
        Assert.True(failback < TimeSpan.FromSeconds(1), $"failback gap {failback.TotalMilliseconds:0} ms");

        // The phone is unplugged: its namespace goes, and usb0 with it.
        var unplugged = PingStream.Now;
        await lab.Phone("phone").UnplugAsync();
        status = await gateway.WaitForAsync(s => s.Active == "backup", TimeSpan.FromSeconds(2), "failover after the unplug");
        Assert.StartsWith("phone is down: usb0", status.Reason, StringComparison.Ordinal); // the kernel sets it down, then deletes it
        await gateway.WaitForAsync(
            s => s.Uplinks.Single(u => u.Id == "phone") is { State: UplinkState.Waiting, Detail: "waiting for usb0 to appear" }, TimeSpan.FromSeconds(2), "usb0 gone");
        Assert.True(await stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(2)));
        var unplug = stream.LongestGap(unplugged, PingStream.Now)!.Value;
        output.WriteLine($"hard failover (phone unplugged): longest gap {unplug.TotalMilliseconds:0} ms");
        Assert.True(unplug < TimeSpan.FromSeconds(1), $"unplug gap {unplug.TotalMilliseconds:0} ms");

        Assert.Equal(0, await gateway.StopAsync());
        Assert.Equal(string.Empty, await GatewayIp(lab, "-4", "route", "show", "default"));
    }

    [NetnsFact]
    public async Task Gateway_should_fail_over_when_the_phone_fails_silently_and_keep_the_LAN_connected()
    {
        await using var lab = await TetheringLab.CreateAsync([new PhoneSpec("phone", "usb0"), new PhoneSpec("backup", "usb1")]);
        var gateway = NamespaceGateway.Start(lab, _dir, $$"""
            static-uplinks = [
              { id = "phone", interface = "usb0", method = "dhcp", priority = 10 }
              { id = "backup", interface = "usb1", method = "dhcp", priority = 20 }
            ]
            lan { interface = "lan0", address = "10.77.0.1/24", dhcp.enabled = off, dns = off }
            failover.hold-time = 1s
            {{Health}}
            """);
        await gateway.WaitForAsync(s => s.Active == "phone" && s.Uplinks.All(u => u.Health == UplinkHealth.Up), StartWithin, "both healthy, phone active");
        await using var stream = lab.StartLanPingStream(TimeSpan.FromMilliseconds(10));
        Assert.True(await stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(5)));

        // Silent failure: the link stays up, DHCP still answers, but nothing gets through the phone.
        var failed = PingStream.Now;
        await lab.Phone("phone").DropUpstreamAsync();
        var status = await gateway.WaitForAsync(s => s.Active == "backup", TimeSpan.FromSeconds(5), "failover after the silent failure");
        Assert.Contains("unanswered in a row", status.Reason, StringComparison.Ordinal);
        Assert.Equal(UplinkState.Up, status.Uplinks.Single(u => u.Id == "phone").State); // the link itself is fine
        Assert.True(await stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(2)), "the same ping stream (same ICMP id, a new conntrack entry) flows again");
        var silent = stream.LongestGap(failed, PingStream.Now)!.Value;
        output.WriteLine($"silent failover: the LAN's stream went unanswered for {silent.TotalMilliseconds:0} ms");
        Assert.True(silent < TimeSpan.FromSeconds(3), $"silent failover gap {silent.TotalMilliseconds:0} ms");

        await lab.Phone("phone").RestoreUpstreamAsync();
        await gateway.WaitForAsync(s => s.Active == "phone", TimeSpan.FromSeconds(10), "failback after the phone recovered");
        Assert.True(await lab.LanPingAsync());
        Assert.Equal(0, await gateway.StopAsync());
    }

    /// <summary><c>ip -n gw ARGS</c>: what the gateway's namespace looks like.</summary>
    private static Task<string> GatewayIp(TetheringLab lab, params string[] args) => Run(NetworkLab.Ip, ["-n", lab.GatewayNamespace, .. args]);

    /// <summary>A program run inside <paramref name="ns"/>.</summary>
    private static Task<string> Exec(string ns, string program, params string[] args) => Run(NetworkLab.Ip, ["netns", "exec", ns, program, .. args]);

    private static async Task<string> Run(string program, string[] args)
    {
        var (code, text) = await NetworkLab.TryRunAsync(program, args);
        return code == 0 ? text : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({code}): {text}");
    }

    /// <summary>
    /// Asks the gateway's dnsmasq for <paramref name="name"/> from the LAN host until the answer is <paramref name="expected"/>:
    /// dnsmasq reads the new resolv file at its next poll (at most a second after a failover). Returns the last answer.
    /// </summary>
    private static async Task<string?> LanLookup(TetheringLab lab, string name, string expected)
    {
        string? answer = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(4))
        {
            var (_, text) = await NetworkLab.TryRunAsync(NetworkLab.Ip, ["netns", "exec", lab.LanNamespace!, "busybox", "nslookup", name, TetheringLab.LanGatewayAddress]);
            answer = AnswerPattern().Matches(text).Select(m => m.Groups[1].Value).LastOrDefault(a => a != TetheringLab.LanGatewayAddress);
            if (answer == expected)
            {
                break;
            }

            await Task.Delay(100);
        }

        return answer;
    }

    private static Task<long> DroppedInbound(TetheringLab lab) => Dropped(lab, NftRuleset.InboundDropComment);

    private static Task<long> DroppedIntoLan(TetheringLab lab) => Dropped(lab, NftRuleset.IntoLanDropComment);

    private static async Task<long> Dropped(TetheringLab lab, string comment)
    {
        var chain = await Exec(lab.GatewayNamespace, "/usr/sbin/nft", "list", "chain", "inet", "actorgateway", "forward");
        var match = Regex.Match(chain, $"counter packets ([0-9]+) bytes [0-9]+ drop comment \"{comment}\"");
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex(@"Address:?\s+([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)")]
    private static partial Regex AnswerPattern();
}
