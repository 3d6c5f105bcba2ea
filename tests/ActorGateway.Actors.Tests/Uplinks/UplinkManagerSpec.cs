using System.Net;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;
using Akka.Actor;
using Xunit.Abstractions;
using static ActorGateway.Actors.Tests.TestSupport.FakeNetwork;

namespace ActorGateway.Actors.Tests.Uplinks;

/// <summary>
/// The uplink manager with its real children (uplinks, DHCP clients, probes, NAT) on fakes of the OS: link
/// events, udhcpc's hook lines, probe answers, ip and nft commands. Time is virtual: probe rounds, thresholds
/// and the failback hold time move only with <c>Advance</c>; hard signals must act without it.
/// </summary>
public sealed class UplinkManagerSpec : VirtualTimeSpec
{
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(1);

    private const string TwoPhones = """
        actorgateway.static-uplinks = [
          { id = "phone", interface = "usb0", method = "dhcp", priority = 10 }
          { id = "backup", interface = "usb1", method = "dhcp", priority = 20 }
        ]
        actorgateway.health { targets = ["198.51.100.1", "198.51.100.2"], interval = 1s, standby-interval = 1s, timeout = 1s, down = 2, up = 2 }
        actorgateway.failover.hold-time = 30s
        """;

    private readonly FakeNetwork _net;

    public UplinkManagerSpec(ITestOutputHelper output)
        : base(output)
    {
        _net = new FakeNetwork(Clock);
    }

    private IActorRef Start(string hocon)
    {
        var settings = UplinkSettings.Create(GatewaySettings.Parse(hocon, "spec"));
        return Sys.ActorOf(UplinkManagerActor.Props(settings, _net.Dependencies), "uplinks");
    }

    private static async Task<UplinksStatus> StatusAsync(IActorRef manager) =>
        await manager.Ask<UplinksStatus>(UplinkManager.GetStatus.Instance, TimeSpan.FromSeconds(3));

    private static async Task<UplinksStatus> AwaitAsync(IActorRef manager, Func<UplinksStatus, bool> condition, string what)
    {
        UplinksStatus? last = null;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < until)
        {
            last = await StatusAsync(manager);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException($"not {what}: active {last?.Active}, reason \"{last?.Reason}\", " +
            string.Join("; ", last?.Uplinks.Select(u => $"{u.Id} {u.State} {u.Health} {u.Detail}") ?? []));
    }

    /// <summary>Advances virtual time a round at a time until <paramref name="condition"/> holds.</summary>
    private async Task<UplinksStatus> AdvanceUntilAsync(IActorRef manager, Func<UplinksStatus, bool> condition, string what, int maxRounds = 5)
    {
        for (var i = 0; i <= maxRounds; i++)
        {
            try
            {
                return await AwaitAsync(manager, condition, what).WaitAsync(TimeSpan.FromMilliseconds(300));
            }
            catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException && i < maxRounds)
            {
                Advance(Round);
            }
        }

        return await AwaitAsync(manager, condition, what);
    }

    private static UplinkStatus Uplink(UplinksStatus s, string id) => s.Uplinks.Single(u => u.Id == id);

    /// <summary>Both phones plugged in, leased and healthy; the phone carries the traffic.</summary>
    private async Task<(IActorRef Manager, FakeProcess Phone, FakeProcess Backup)> BothHealthyAsync(string hocon = TwoPhones)
    {
        var manager = Start(hocon);
        _net.Links.Push("usb0");
        _net.Links.Push("usb1");
        var phone = await _net.DhcpClientAsync("usb0");
        var backup = await _net.DhcpClientAsync("usb1");
        phone.Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129"));
        backup.Say(Bound("192.168.43.50", "192.168.43.1", "192.168.43.1"));
        await AdvanceUntilAsync(manager, s => s.Active == "phone" && s.Uplinks.All(u => u.Health == UplinkHealth.Up), "both healthy, phone active");
        return (manager, phone, backup);
    }

    [Fact]
    public async Task Manager_should_lease_each_phone_and_give_the_preferred_one_the_lowest_metric()
    {
        var (manager, phone, _) = await BothHealthyAsync();

        var status = await StatusAsync(manager);
        var p = Uplink(status, "phone");
        Assert.True(p.Active);
        Assert.Equal("192.168.42.64/24", p.Address);
        Assert.Equal("192.168.42.129", p.Gateway);
        Assert.Equal(["192.168.42.129"], p.Dns);
        Assert.Equal(100, p.Metric);
        Assert.Equal(3001, Uplink(status, "backup").Metric); // 1000 + priority 20 × 100 + slot 1
        Assert.Equal(["-f", "-i", "usb0"], phone.Spec.Arguments.Take(3));

        var lines = _net.Commands.Lines;
        Assert.Contains("/usr/sbin/ip -4 route flush proto 171", lines); // leftovers of a crashed run, first of all
        Assert.Contains("/usr/sbin/ip address replace 192.168.42.64/24 dev usb0 valid_lft 3600 preferred_lft 3600", lines);
        Assert.Contains("/usr/sbin/ip -4 route add default via 192.168.42.129 dev usb0 metric 100 proto 171", lines);
        Assert.Contains("/usr/sbin/ip -4 route add default via 192.168.43.1 dev usb1 metric 3001 proto 171", lines);

        // Each probe goes through its own uplink's interface, one target per round in turn.
        Assert.Contains(("usb0", ProbeTarget.Parse("198.51.100.1")), _net.Prober.Probes);
        Assert.Contains(("usb0", ProbeTarget.Parse("198.51.100.2")), _net.Prober.Probes);
    }

    [Fact]
    public async Task A_default_route_of_another_program_at_the_active_metric_should_be_left_alone_and_the_next_metric_used()
    {
        // NetworkManager's default route on eth0 has metric 100 (its ethernet default): "ip route add" at 100 fails.
        _net.Commands.Fail = c => c.ToString() == "/usr/sbin/ip -4 route add default via 192.168.42.129 dev usb0 metric 100 proto 171";

        var (manager, _, _) = await BothHealthyAsync();

        var status = await AwaitAsync(manager, s => Uplink(s, "phone").Metric == 101, "the phone on the next metric");
        Assert.Equal("phone", status.Active);
        var lines = _net.Commands.Lines;
        Assert.Contains("/usr/sbin/ip -4 route show default", lines); // for the log: which route is in the way
        Assert.Contains("/usr/sbin/ip -4 route add default via 192.168.42.129 dev usb0 metric 101 proto 171", lines);
        Assert.DoesNotContain(lines, l => l.Contains("route replace default", StringComparison.Ordinal) && l.Contains("metric 100 ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("route del default", StringComparison.Ordinal) && l.Contains("metric 100 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_uplink_without_a_router_should_get_no_default_route_at_all()
    {
        var manager = Start("""
            actorgateway.static-uplinks = [
              { id = "lab", interface = "eth1", method = "static", address = "192.168.8.100/24", priority = 10 }
              { id = "phone", interface = "usb0", method = "dhcp", priority = 20 }
            ]
            actorgateway.health.targets = []
            """);
        _net.Links.Push("eth1");
        _net.Links.Push("usb0");
        var phone = await _net.DhcpClientAsync("usb0");
        phone.Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129"));
        var status = await AwaitAsync(manager, s => s.Uplinks.All(u => u.State == UplinkState.Up) && Uplink(s, "phone").Metric is not null, "both up");
        Assert.Null(Uplink(status, "lab").Metric);
        Assert.DoesNotContain(_net.Commands.Lines, l => l.Contains(" route ", StringComparison.Ordinal) && l.Contains("dev eth1", StringComparison.Ordinal));

        // A renewed lease without a router: the phone's route goes too.
        var metric = Uplink(status, "phone").Metric;
        phone.Say(Bound("192.168.42.64", "", "192.168.42.129", evt: "renew"));
        await AwaitAsync(manager, s => Uplink(s, "phone").Metric is null, "the phone without a route");
        await AwaitAssertAsync(() => Assert.Contains($"/usr/sbin/ip -4 route del default dev usb0 metric {metric} proto 171", _net.Commands.Lines));
        Assert.DoesNotContain(_net.Commands.Lines, l => l.Contains("route add default dev", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Carrier_loss_should_move_the_traffic_at_once_without_waiting_for_a_probe()
    {
        var (manager, _, _) = await BothHealthyAsync();

        _net.Links.Push("usb0", carrier: false);

        var status = await AwaitAsync(manager, s => s.Active == "backup", "failed over"); // no Advance: a hard signal needs no probe
        Assert.Equal("phone is down: carrier lost on usb0; backup carries the traffic", status.Reason);
        Assert.Equal(UplinkState.Waiting, Uplink(status, "phone").State);
        await AwaitAsync(manager, s => Uplink(s, "backup").Metric == 101, "backup on the active metric");
        var lines = _net.Commands.Lines;
        Assert.Contains("/usr/sbin/ip -4 route add default via 192.168.43.1 dev usb1 metric 101 proto 171", lines);
        Assert.Contains("/usr/sbin/ip -4 route del default dev usb0 metric 100 proto 171", lines);
        Assert.Contains("/usr/sbin/ip address del 192.168.42.64/24 dev usb0", lines);
    }

    [Fact]
    public async Task A_recovered_phone_should_take_the_traffic_back_only_after_the_hold_time()
    {
        var (manager, _, _) = await BothHealthyAsync();
        _net.Links.Push("usb0", carrier: false);
        await AwaitAsync(manager, s => s.Active == "backup", "failed over");

        _net.Links.Push("usb0");
        var again = await _net.DhcpClientAsync("usb0");
        Assert.Equal(["-r", "192.168.42.64"], again.Spec.Arguments.TakeLast(2)); // the same address, please
        again.Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129"));
        await AdvanceUntilAsync(manager, s => Uplink(s, "phone").Health == UplinkHealth.Up, "phone healthy again");
        var healthyAt = Clock.GetUtcNow();

        Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Equal("backup", (await StatusAsync(manager)).Active);

        Advance(TimeSpan.FromSeconds(1));
        var status = await AwaitAsync(manager, s => s.Active == "phone", "failed back");
        Assert.Equal("phone has been healthy for 30 s: back to the preferred uplink", status.Reason);
        Assert.True(status.ActiveSince >= healthyAt + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Probes_should_bring_a_silent_uplink_down_after_the_down_threshold_and_not_before()
    {
        var (manager, _, _) = await BothHealthyAsync();

        _net.Prober.Answer("usb0", false);
        Advance(Round);
        await Task.Delay(200);
        var status = await StatusAsync(manager);
        Assert.Equal("phone", status.Active);
        Assert.Contains("no answer in time", Uplink(status, "phone").LastProbe, StringComparison.Ordinal);

        Advance(Round);
        status = await AwaitAsync(manager, s => s.Active == "backup", "failed over");
        Assert.StartsWith("phone is unhealthy: 2 probes unanswered in a row", status.Reason, StringComparison.Ordinal);
        Assert.Equal(UplinkState.Up, Uplink(status, "phone").State); // the link itself is fine: it keeps its standby route
        Assert.Equal(2000, Uplink(status, "phone").Metric);
    }

    [Fact]
    public async Task A_lost_lease_should_move_the_traffic_at_once_and_udhcpc_should_keep_asking()
    {
        var (manager, phone, _) = await BothHealthyAsync();

        phone.Say(Event("deconfig"));

        var status = await AwaitAsync(manager, s => s.Active == "backup", "failed over");
        Assert.Equal("phone is down: udhcpc gave the lease up (deconfig); backup carries the traffic", status.Reason);
        Assert.Equal(UplinkState.Connecting, Uplink(status, "phone").State);
        Assert.Equal(0, phone.TerminateCalls); // the same udhcpc goes on asking for a lease

        phone.Say(Bound("192.168.42.70", "192.168.42.129"));
        await AwaitAsync(manager, s => Uplink(s, "phone").State == UplinkState.Up && Uplink(s, "phone").Address == "192.168.42.70/24", "leased again");
    }

    [Fact]
    public async Task A_renewed_lease_with_a_new_address_should_add_it_before_deleting_the_old_one_and_apply_the_route_again()
    {
        var (manager, phone, _) = await BothHealthyAsync();
        var before = _net.Commands.Lines.Count;

        phone.Say(Bound("192.168.42.70", "192.168.42.129", "192.168.42.129", evt: "renew"));

        await AwaitAsync(manager, s => Uplink(s, "phone").Address == "192.168.42.70/24", "the new address");
        await AwaitAssertAsync(() => Assert.Equal(
            [
                "/usr/sbin/ip address replace 192.168.42.70/24 dev usb0 valid_lft 3600 preferred_lft 3600",
                "/usr/sbin/ip address del 192.168.42.64/24 dev usb0",
                "/usr/sbin/ip address replace 192.168.42.70/24 dev usb0 valid_lft 3600 preferred_lft 3600", // promote_secondaries = 0 took it along
                "/usr/sbin/ip -4 route replace default via 192.168.42.129 dev usb0 metric 100 proto 171", // the kernel flushed it with the last address
            ],
            _net.Commands.Lines.Skip(before).Where(l => l.StartsWith("/usr/sbin/ip ", StringComparison.Ordinal))));
        Assert.Equal("phone", (await StatusAsync(manager)).Active);
    }

    [Fact]
    public async Task A_renewed_lease_with_a_new_prefix_should_replace_the_address_too()
    {
        var (manager, phone, _) = await BothHealthyAsync();
        var before = _net.Commands.Lines.Count;

        phone.Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129", evt: "renew").Replace("mask=24", "mask=25", StringComparison.Ordinal));

        await AwaitAsync(manager, s => Uplink(s, "phone").Address == "192.168.42.64/25", "the new prefix");
        await AwaitAssertAsync(() =>
        {
            var lines = _net.Commands.Lines.Skip(before).ToList();
            Assert.Contains("/usr/sbin/ip address del 192.168.42.64/24 dev usb0", lines);
            Assert.Contains("/usr/sbin/ip -4 route replace default via 192.168.42.129 dev usb0 metric 100 proto 171 onlink", lines);
        });
    }

    [Fact]
    public async Task A_lease_lost_and_bound_again_at_once_should_start_new_probes_and_NAT_share_without_a_name_clash()
    {
        var (manager, phone, _) = await BothHealthyAsync();
        var restarted = CreateTestProbe();
        Sys.EventStream.Subscribe(restarted.Ref, typeof(UplinkManager.UplinkRestarted));

        for (var i = 0; i < 5; i++)
        {
            phone.Say(Event("deconfig")); // the children are stopped, not yet gone, when the next lease comes
            phone.Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129"));
        }

        await AdvanceUntilAsync(manager, s => s.Active == "phone" && Uplink(s, "phone").Health == UplinkHealth.Up, "phone up and healthy again");
        restarted.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no "health-1 is not unique" that fails the uplink
    }

    [Fact]
    public async Task A_udhcpc_that_exits_should_count_as_a_lost_lease_and_be_started_again_after_a_backoff()
    {
        var (manager, phone, _) = await BothHealthyAsync();

        phone.Exit(1);

        var status = await AwaitAsync(manager, s => s.Active == "backup", "failed over");
        Assert.Contains("udhcpc", status.Reason, StringComparison.Ordinal);
        Assert.StartsWith("udhcpc stopped; starting it again in 1 s", Uplink(status, "phone").Detail, StringComparison.Ordinal);
        Advance(TimeSpan.FromSeconds(1));
        var again = await _net.DhcpClientAsync("usb0");
        Assert.Equal("-r", again.Spec.Arguments[^2]);
    }

    [Fact]
    public async Task Interface_gone_or_set_down_should_be_hard_signals_too()
    {
        var (manager, _, _) = await BothHealthyAsync();

        _net.Links.Push("usb1", exists: false);
        var status = await AwaitAsync(manager, s => Uplink(s, "backup").State == UplinkState.Waiting, "backup gone");
        Assert.Equal("waiting for usb1 to appear", Uplink(status, "backup").Detail);
        Assert.Equal("phone", status.Active);

        _net.Links.Push("usb0", up: false);
        status = await AwaitAsync(manager, s => s.Active is null, "nothing left");
        Assert.Equal("phone is down: usb0 was set down; no uplink is left", status.Reason);
    }

    [Fact]
    public async Task A_new_interface_should_be_brought_up_once_and_then_leased()
    {
        var manager = Start(TwoPhones);

        _net.Links.Push("usb0", up: false, carrier: false, index: 7);
        await AwaitAsync(manager, s => Uplink(s, "phone").Detail == "bringing usb0 up", "bringing up");
        Assert.Contains("/usr/sbin/ip link set dev usb0 up", _net.Commands.Lines);

        _net.Links.Push("usb0", index: 7);
        await _net.DhcpClientAsync("usb0");
        await AwaitAsync(manager, s => Uplink(s, "phone").State == UplinkState.Connecting, "asking for a lease");

        // Set down by someone else later: that is a hard signal, not something to undo.
        _net.Links.Push("usb0", up: false, carrier: false, index: 7);
        await AwaitAsync(manager, s => Uplink(s, "phone").Detail == "waiting for usb0 to be set up", "left down");
        Assert.Single(_net.Commands.Lines, l => l == "/usr/sbin/ip link set dev usb0 up");
    }

    [Fact]
    public async Task A_PPP_call_should_join_the_uplinks_with_its_own_route_and_leave_when_the_call_ends()
    {
        var manager = Start("""
            actorgateway.uplinks.enabled = on
            actorgateway.health.targets = []
            """);
        await AwaitAsync(manager, s => s.Uplinks.Count == 0, "started");

        Sys.EventStream.Publish(new UplinkEvents.PppLinkUp("dongle", "ppp0", IPAddress.Parse("10.11.12.13"), IPAddress.Parse("10.64.64.64"), [IPAddress.Parse("10.168.0.1")]));
        _net.Links.Push("ppp0");

        var status = await AwaitAsync(manager, s => s.Active == "dongle", "the call carries the traffic");
        var dongle = Uplink(status, "dongle");
        Assert.Equal((UplinkSource.Ppp, UplinkMethod.Ppp, 20), (dongle.Source, dongle.Method, dongle.Priority));
        Assert.Equal(UplinkHealth.Up, dongle.Health); // no targets: hard signals only
        Assert.Equal(("10.11.12.13/32", "10.64.64.64"), (dongle.Address, dongle.Gateway));
        Assert.Equal(["10.168.0.1"], dongle.Dns);
        Assert.Contains("/usr/sbin/ip -4 route add default dev ppp0 metric 100 proto 171", _net.Commands.Lines);
        Assert.DoesNotContain(_net.Commands.Lines, l => l.Contains("address replace 10.11.12.13", StringComparison.Ordinal)); // pppd's address

        Sys.EventStream.Publish(new UplinkEvents.PppLinkDown("dongle", "ppp0", "pppd exited with status 16"));

        status = await AwaitAsync(manager, s => s.Uplinks.Count == 0, "the call is gone");
        Assert.Null(status.Active);
        Assert.Equal("dongle is gone: PPP link down: pppd exited with status 16; no uplink is left", status.Reason);
        await AwaitAssertAsync(() => Assert.Contains("/usr/sbin/ip -4 route del default dev ppp0 metric 100 proto 171", _net.Commands.Lines));
    }

    [Fact]
    public async Task A_tethering_interface_should_become_a_DHCP_uplink_and_a_removed_device_a_hard_signal()
    {
        var (manager, _, _) = await BothHealthyAsync(TwoPhones.Replace("actorgateway.failover", "actorgateway.uplinks.tethering-priority = 5\nactorgateway.failover", StringComparison.Ordinal));

        Sys.EventStream.Publish(new UplinkEvents.TetheringInterfaceAppeared("pixel", "enx0c5b8f279a64", "cdc_ncm"));
        _net.Links.Push("enx0c5b8f279a64");
        (await _net.DhcpClientAsync("enx0c5b8f279a64")).Say(Bound("192.168.44.2", "192.168.44.1"));
        var status = await AdvanceUntilAsync(manager, s => s.Active == "pixel", "the new phone, never failed and preferred, takes over");
        Assert.Equal("pixel is healthy and preferred (priority 5 before 10)", status.Reason);

        Sys.EventStream.Publish(new UplinkEvents.TetheringInterfaceGone("pixel", "enx0c5b8f279a64"));

        status = await AwaitAsync(manager, s => s.Active == "phone", "back on the phone at once");
        Assert.Equal("pixel is gone: tethering interface enx0c5b8f279a64 is gone; phone carries the traffic", status.Reason);
        Assert.DoesNotContain(status.Uplinks, u => u.Id == "pixel");

        // A tethering interface that a static uplink declares stays that uplink.
        Sys.EventStream.Publish(new UplinkEvents.TetheringInterfaceAppeared("android", "usb0", "rndis_host"));
        await Task.Delay(100);
        Assert.Equal(2, (await StatusAsync(manager)).Uplinks.Count);
    }

    [Fact]
    public async Task The_LAN_DNS_should_follow_the_active_uplink_interface_when_two_phones_share_a_subnet_and_a_server()
    {
        var manager = Start(TwoPhones + """

            actorgateway.lan { interface = "eth0", address = "192.168.50.1/24" }
            """);
        _net.Links.Push("usb0");
        _net.Links.Push("usb1");
        (await _net.DhcpClientAsync("usb0")).Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129"));
        (await _net.DhcpClientAsync("usb1")).Say(Bound("192.168.42.65", "192.168.42.129", "192.168.42.129"));
        await AdvanceUntilAsync(manager, s => s.Active == "phone" && s.Uplinks.All(u => u.Health == UplinkHealth.Up), "both healthy, phone active");
        var dnsmasq = await _net.DnsmasqAsync();
        while (!dnsmasq.Spec.Arguments.Contains("--server=192.168.42.129@usb0"))
        {
            dnsmasq = await _net.DnsmasqAsync();
        }

        _net.Links.Push("usb0", carrier: false);
        await AwaitAsync(manager, s => s.Active == "backup", "failed over");

        var restarted = await _net.DnsmasqAsync(); // the same server, but now through usb1
        Assert.Contains("--server=192.168.42.129@usb1", restarted.Spec.Arguments);
        Assert.Equal(1, dnsmasq.TerminateCalls);
    }

    [Fact]
    public async Task NAT_should_share_each_live_uplink_and_stop_should_take_everything_down()
    {
        var (manager, phone, backup) = await BothHealthyAsync(TwoPhones + """

            actorgateway.lan { interface = "eth0", address = "192.168.50.1/24" }
            """);
        await AwaitAssertAsync(() =>
        {
            var nft = _net.Commands.Commands.Where(c => c.Program == "/usr/sbin/nft").Select(c => c.StandardInput!).ToList();
            Assert.Contains(nft, s => s.Contains("table inet actorgateway {", StringComparison.Ordinal) && s.Contains("elements = { \"eth0\" }", StringComparison.Ordinal));
            Assert.Contains("add element inet actorgateway uplinks { \"usb0\" }\n", nft);
            Assert.Contains("add element inet actorgateway uplinks { \"usb1\" }\n", nft);
        });
        Assert.Equal("1", _net.Sysctl.Read("net.ipv4.ip_forward"));
        Assert.True((await StatusAsync(manager)).Sharing);

        // The LAN's DNS follows the active uplink: dnsmasq forwards to its servers, and is started again with the
        // new ones on failover.
        var dnsmasq = await _net.DnsmasqAsync();
        while (!dnsmasq.Spec.Arguments.Contains("--server=192.168.42.129@usb0"))
        {
            dnsmasq = await _net.DnsmasqAsync(); // the first may have started before the phone was active
        }

        _net.Links.Push("usb0", carrier: false);
        await AwaitAsync(manager, s => s.Active == "backup", "failed over");
        await AwaitAssertAsync(() => Assert.Contains(_net.Commands.Commands, c => c.StandardInput == NftRuleset.RemoveUplink("actorgateway", "usb0")));
        var restarted = await _net.DnsmasqAsync();
        Assert.Contains("--server=192.168.43.1@usb1", restarted.Spec.Arguments);
        Assert.Equal(1, dnsmasq.TerminateCalls);

        Watch(manager);
        Sys.Stop(manager);
        ExpectTerminated(manager);
        Assert.True(await _net.Releases.WhenAllAsync(TimeSpan.FromSeconds(5)));

        var lines = _net.Commands.Lines;
        Assert.Equal(NftRuleset.Delete("actorgateway"), _net.Commands.Commands.Last(c => c.Program == "/usr/sbin/nft").StandardInput);
        Assert.Contains("/usr/sbin/ip -4 route del default dev usb1 metric 101 proto 171", lines);
        Assert.Contains("/usr/sbin/ip address del 192.168.43.50/24 dev usb1", lines);
        Assert.Contains("/usr/sbin/ip address del 192.168.50.1/24 dev eth0", lines);
        Assert.Equal("0", _net.Sysctl.Read("net.ipv4.ip_forward"));
        Assert.True(backup.TerminateCalls >= 1); // udhcpc -R: it releases the lease
        Assert.True(phone.TerminateCalls >= 1);
    }
}
