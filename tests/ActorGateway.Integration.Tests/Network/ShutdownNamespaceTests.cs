using System.Diagnostics;
using ActorGateway.Actors.Devices;
using ActorGateway.Host;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Network;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;
using Xunit.Abstractions;

namespace ActorGateway.Integration.Tests.Network;

/// <summary>
/// The clean stop systemd asks for (SIGTERM) during an active session: the real <c>actorgateway run</c> in the lab's
/// <c>gw</c> namespace with a simulated modem on a pty in a call, a phone's DHCP uplink (real udhcpc) and a LAN
/// (real nftables and dnsmasq). Afterwards nothing of the gateway may be left: no process, nft table, route, UUCP
/// lock, control socket, or call.
/// </summary>
public sealed class ShutdownNamespaceTests(ITestOutputHelper output) : IDisposable
{
    private const string PppInterface = "ppp7";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// This kernel may have no PPP (no <c>/dev/ppp</c>): the real pppd would exit 4 at once, so no session could be up when
    /// the signal comes. A stand-in takes its place and does what the gateway sees of pppd: it opens the tty it is given
    /// (the gateway then lets go of its own handle and hands the UUCP lock over to it), brings up a link interface
    /// (a veth named as pppd's would be: this kernel may have no dummy links either) with the addresses pppd reports, says what pppd says when IPCP is up, and holds
    /// the line until SIGTERM; then, as pppd does, it takes a moment (LCP's terminate exchange), removes the interface and
    /// exits 5. Like pppd, it is the
    /// one process with the tty open: its helpers do not inherit it. Its last close of the
    /// tty is the hang-up (DTR drop with <c>&amp;D2</c>).
    /// </summary>
    private string StandInPppd()
    {
        var path = _dir.File("pppd");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            set -e
            exec 3<>"$1"
            /usr/sbin/ip link add {{PppInterface}} type veth peer name {{PppInterface}}peer 3>&-
            /usr/sbin/ip link set {{PppInterface}}peer up 3>&-
            /usr/sbin/ip address add 10.64.64.2 peer 10.64.64.1 dev {{PppInterface}} 3>&-
            /usr/sbin/ip link set {{PppInterface}} up 3>&-
            echo "Using interface {{PppInterface}}" >&2
            echo "local  IP address 10.64.64.2" >&2
            echo "remote IP address 10.64.64.1" >&2
            echo "primary   DNS address 10.64.64.1" >&2
            set +e
            trap 'kill $! 2>/dev/null; sleep 1 3>&-; /usr/sbin/ip link delete {{PppInterface}} 3>&-; exit 5' TERM
            while :; do sleep 1 3>&- & wait $!; done
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [NetnsFact]
    public async Task Gateway_should_leave_no_process_rule_route_lock_or_call_behind_when_SIGTERM_comes_during_a_session()
    {
        await using var lab = await TetheringLab.CreateAsync([new PhoneSpec("phone", "usb0")]);
        using var nokia = new ModemSimulator(NokiaC2_01.Profile, SimCard.ForProfile(NokiaC2_01.Profile), timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        var locks = Directory.CreateDirectory(_dir.File("lock")).FullName;
        var run = _dir.File("run");
        var gateway = NamespaceGateway.Start(lab, _dir, $$"""
            usb { enabled = off, lock-directory = "{{locks}}" }
            static-devices = [ { id = "nokia", port = "{{ptys.PathOf(nokia.AtPort)}}", profile = "nokia-c2-01", apn = "internet",
                                 modem-control-lines = off, ppp.program = "{{StandInPppd()}}" } ]
            static-uplinks = [ { id = "phone", interface = "usb0", method = "dhcp", priority = 10 } ]
            lan { interface = "lan0", address = "10.77.0.1/24", dhcp.ping-check = off }
            health { targets = ["198.51.100.1"], interval = 200ms, standby-interval = 200ms, timeout = 400ms, down = 2, up = 2 }
            """);

        // The active session: the modem in a call carried by "pppd", its link an uplink with the gateway's route, the
        // phone's DHCP lease with its route, the LAN shared through the gateway's nft table and served by its dnsmasq.
        var status = await gateway.WaitForStatusAsync(
            s => s.Devices.Single().State == DeviceState.Online && s.Uplinks is { } u && u.Active == "phone" && u.Sharing
                && u.Uplinks.Any(x => x.Interface == PppInterface && x.Metric is not null) && u.Uplinks.Single(x => x.Id == "phone").Metric is not null,
            TimeSpan.FromSeconds(30), "the modem online, its PPP link and the phone both uplinks, the LAN shared");
        Assert.Equal(CallState.Connected, nokia.CallState);
        var slave = ptys.SlavePathOf(nokia.AtPort.Name)!;
        var lockFile = Path.Combine(locks, "LCK.." + Path.GetFileName(slave));
        var pppd = (await ProcessesAsync(lab)).Single(p => p.CommandLine.Contains(_dir.File("pppd"), StringComparison.Ordinal));
        // The gateway hands its UUCP lock to pppd once it has closed its own handle, just after it reports the call online.
        await Eventually(() => File.Exists(lockFile) && File.ReadAllText(lockFile).Trim() == pppd.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(5), () => $"{lockFile} names pppd (pid {pppd.Pid}); it holds {(File.Exists(lockFile) ? File.ReadAllText(lockFile).Trim() : "nothing")}, the gateway is {gateway.Pid}");
        var routes = await Ip(lab, "route", "show", "table", "all", "proto", "171");
        Assert.Contains($"dev {PppInterface}", routes, StringComparison.Ordinal);
        Assert.Contains("default via 192.168.42.129 dev usb0", routes, StringComparison.Ordinal);
        Assert.Contains("table inet actorgateway", await Exec(lab.GatewayNamespace, "/usr/sbin/nft", "list", "tables"), StringComparison.Ordinal);
        var before = (await ProcessesAsync(lab)).Where(p => p.Pid != gateway.Pid).ToList();
        foreach (var program in new[] { "udhcpc", "dnsmasq" })
        {
            Assert.Contains(before, p => p.CommandLine.Contains(program, StringComparison.Ordinal));
        }

        output.WriteLine($"at SIGTERM: uplinks {string.Join(", ", status.Uplinks!.Uplinks.Select(u => $"{u.Id} on {u.Interface} metric {u.Metric}"))}");
        output.WriteLine($"at SIGTERM: processes besides the gateway: {string.Join("; ", before.Select(p => $"{p.Pid} {p.CommandLine}"))}");
        output.WriteLine($"at SIGTERM: routes:\n{routes}");

        var clock = Stopwatch.StartNew();
        var code = await gateway.StopAsync();
        var took = clock.Elapsed;
        output.WriteLine($"the gateway exited {code} {took.TotalMilliseconds:0} ms after SIGTERM");
        output.WriteLine(string.Join('\n', gateway.Lines.TakeLast(30)));

        Assert.Equal(0, code);
        Assert.True(took < GatewayHost.ShutdownTimeout, $"the stop took {took}");
        // No process: the namespace is empty (pppd, udhcpc, dnsmasq all ran in it, as children of the gateway).
        Assert.Empty((await ProcessesAsync(lab)).Select(p => $"{p.Pid} {p.CommandLine}"));
        // No rule, no route, no address, no interface of pppd's; ip_forward as it was.
        Assert.DoesNotContain("actorgateway", await Exec(lab.GatewayNamespace, "/usr/sbin/nft", "list", "tables"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await Ip(lab, "route", "show", "table", "all", "proto", "171"));
        Assert.Equal(string.Empty, await Ip(lab, "-4", "route", "show", "default"));
        Assert.DoesNotContain("inet ", await Ip(lab, "-4", "address", "show", "dev", "lan0"), StringComparison.Ordinal);
        Assert.DoesNotContain("inet ", await Ip(lab, "-4", "address", "show", "dev", "usb0"), StringComparison.Ordinal);
        Assert.DoesNotContain(PppInterface, await Ip(lab, "link", "show"), StringComparison.Ordinal);
        Assert.Equal("0", (await Exec(lab.GatewayNamespace, "cat", "/proc/sys/net/ipv4/ip_forward")).Trim());
        // No lock file, no control socket, nothing in the runtime directory but the (unlocked) instance lock.
        Assert.Empty(Directory.GetFileSystemEntries(locks));
        Assert.False(File.Exists(gateway.Socket), "the control socket is removed");
        Assert.Equal(["actorgateway.lock"], Directory.GetFileSystemEntries(run).Select(Path.GetFileName));
        // The call was hung up: pppd's last close of the tty dropped DTR.
        Assert.Equal(CallState.Idle, nokia.CallState);
        Assert.Equal(CallEnd.DtrDropped, nokia.LastCallEnd);
        Assert.Empty(ActorGateway.Linux.Native.ProcFs.DescriptorsOn("self", slave));
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan within, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < within, $"not within {within}: {what()}");
            await Task.Delay(20);
        }
    }

    /// <summary>The processes in the gateway's namespace, with their command lines.</summary>
    private static async Task<List<(int Pid, string CommandLine)>> ProcessesAsync(TetheringLab lab)
    {
        var (_, text) = await NetworkLab.TryRunAsync(NetworkLab.Ip, ["netns", "pids", lab.GatewayNamespace]);
        var list = new List<(int, string)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pid = int.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                list.Add((pid, File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()));
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return list;
    }

    private static Task<string> Ip(TetheringLab lab, params string[] args) => Run(NetworkLab.Ip, ["-n", lab.GatewayNamespace, .. args]);

    private static Task<string> Exec(string ns, string program, params string[] args) => Run(NetworkLab.Ip, ["netns", "exec", ns, program, .. args]);

    private static async Task<string> Run(string program, string[] args)
    {
        var (code, text) = await NetworkLab.TryRunAsync(program, args);
        return code == 0 ? text : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({code}): {text}");
    }
}
