using ActorGateway.Actors.Service;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Uplinks;
using Akka.Actor;
using Xunit.Abstractions;
using static ActorGateway.Actors.Tests.TestSupport.FakeNetwork;

namespace ActorGateway.Actors.Tests.Uplinks;

/// <summary>
/// A configuration reload as the uplink manager applies it, on fakes of the OS: a changed static uplink is taken down
/// (its DHCP client ended) and started again, an unchanged one keeps its actor and its lease, an added one starts, a
/// removed one goes.
/// </summary>
public sealed class UplinkManagerReloadSpec : VirtualTimeSpec
{
    private const string Health = """
        actorgateway.health { targets = ["198.51.100.1"], interval = 1s, standby-interval = 1s, timeout = 1s, down = 2, up = 2 }
        """;

    private readonly FakeNetwork _net;

    public UplinkManagerReloadSpec(ITestOutputHelper output)
        : base(output)
    {
        _net = new FakeNetwork(Clock);
    }

    private static UplinkSettings Settings(string uplinks) =>
        UplinkSettings.Create(GatewaySettings.Parse($"actorgateway.static-uplinks = [ {uplinks} ]\n{Health}", "spec"));

    private const string Phone = """{ id = "phone", interface = "usb0", method = "dhcp", priority = 10 }""";
    private const string Backup = """{ id = "backup", interface = "usb1", method = "dhcp", priority = 20 }""";

    private static async Task<UplinksStatus> AwaitAsync(IActorRef manager, Func<UplinksStatus, bool> condition, string what)
    {
        UplinksStatus? last = null;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < until)
        {
            last = await manager.Ask<UplinksStatus>(UplinkManager.GetStatus.Instance, TimeSpan.FromSeconds(3));
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException($"not {what}: " + string.Join("; ", last?.Uplinks.Select(u => $"{u.Id} {u.State} {u.Detail}") ?? []));
    }

    private async Task<(IActorRef Manager, FakeProcess Phone, FakeProcess Backup)> StartAsync()
    {
        var manager = Sys.ActorOf(UplinkManagerActor.Props(Settings(Phone + "\n" + Backup), _net.Dependencies), "uplinks");
        _net.Links.Push("usb0");
        _net.Links.Push("usb1");
        var phone = await _net.DhcpClientAsync("usb0");
        var backup = await _net.DhcpClientAsync("usb1");
        phone.Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129"));
        backup.Say(Bound("192.168.43.50", "192.168.43.1", "192.168.43.1"));
        await AwaitAsync(manager, s => s.Uplinks.All(u => u.Address is not null), "both leased");
        return (manager, phone, backup);
    }

    private async Task<IActorRef> UplinkActorAsync(string id) =>
        await Sys.ActorSelection($"/user/uplinks/uplink-{id}-*").ResolveOne(TimeSpan.FromSeconds(3));

    [Fact]
    public async Task Reload_should_restart_a_changed_uplink_and_leave_an_unchanged_one_alone()
    {
        var (manager, phone, backup) = await StartAsync();
        var backupActor = await UplinkActorAsync("backup");
        var phoneActor = await UplinkActorAsync("phone");

        var reply = await manager.Ask<UplinkManager.Reloaded>(new UplinkManager.Reload(Settings(
            """{ id = "phone", interface = "usb0", method = "dhcp", priority = 15 }""" + "\n" + Backup + "\n" +
            """{ id = "third", interface = "usb2", method = "dhcp", priority = 30 }""")), TimeSpan.FromSeconds(3));

        Assert.Equal(["third"], reply.Added);
        Assert.Empty(reply.Removed);
        Assert.Equal(["phone"], reply.Restarted);
        Assert.Equal(["backup"], reply.Unchanged);
        Assert.Empty(reply.NeedRestart);

        // The changed one: its DHCP client ended, a new actor asks for a lease again, with the new priority.
        await phone.Exited.WaitAsync(TimeSpan.FromSeconds(5));
        var again = await _net.DhcpClientAsync("usb0");
        again.Say(Bound("192.168.42.64", "192.168.42.129", "192.168.42.129"));
        var status = await AwaitAsync(manager, s => s.Uplinks.Any(u => u.Id == "phone" && u.Priority == 15 && u.Address is not null), "phone back with priority 15");
        Assert.NotEqual(phoneActor, await UplinkActorAsync("phone"));

        // The unchanged one kept its actor and its DHCP client (and so its lease).
        Assert.Same(backupActor, await UplinkActorAsync("backup"));
        Assert.False(backup.Exited.IsCompleted);
        Assert.Equal("192.168.43.50/24", status.Uplinks.Single(u => u.Id == "backup").Address);

        // The new one is there, waiting for its interface.
        Assert.Contains(status.Uplinks, u => u.Id == "third" && u.Interface == "usb2");
    }

    [Fact]
    public async Task Reload_should_take_a_removed_uplink_down()
    {
        var (manager, _, backup) = await StartAsync();

        var reply = await manager.Ask<UplinkManager.Reloaded>(new UplinkManager.Reload(Settings(Phone)), TimeSpan.FromSeconds(3));

        Assert.Equal(["backup"], reply.Removed);
        Assert.Equal(["phone"], reply.Unchanged);
        await backup.Exited.WaitAsync(TimeSpan.FromSeconds(5));
        await AwaitAsync(manager, s => s.Uplinks.Select(u => u.Id).SequenceEqual(["phone"]), "only the phone left");
        // The address goes in the stopped uplink's release, which may come after the status no longer lists it.
        await AwaitAssertAsync(() => Assert.Contains("/usr/sbin/ip address del 192.168.43.50/24 dev usb1", _net.Commands.Lines));
    }

    [Fact]
    public async Task Manager_should_answer_the_watchdogs_liveness_question()
    {
        var (manager, _, _) = await StartAsync();

        var pong = await manager.Ask<Liveness.Pong>(new Liveness.Ping(7), TimeSpan.FromSeconds(3));

        Assert.Equal(7, pong.Sequence);
    }
}
