using ActorGateway.Actors.Hosting;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorGateway.Actors.Tests.Hosting;

/// <summary>
/// The host's own wiring of the network side: <c>AddAkka</c> + <see cref="UplinksHostingExtensions.WithUplinks"/>, with
/// <see cref="NetworkDependencies"/> from DI, and the coordinated shutdown that waits for every release.
/// </summary>
public sealed class UplinksHostingSpec
{
    private readonly FakeNetwork _net = new(TimeProvider.System);

    private IHost Build(string hocon)
    {
        var settings = UplinkSettings.Create(GatewaySettings.Parse(hocon, "spec"));
        return new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(_net.Dependencies);
                services.AddAkka("uplinks-spec", builder => builder.WithUplinks(settings));
            })
            .Build();
    }

    [Fact]
    public async Task WithUplinks_should_register_the_manager_and_shutdown_should_wait_until_everything_is_released()
    {
        using var host = Build("""
            actorgateway.static-uplinks = [ { id = "phone", interface = "usb0" } ]
            actorgateway.lan { interface = "eth0", address = "192.168.50.1/24", dns = off, dhcp.enabled = off }
            actorgateway.health.targets = []
            """);
        await host.StartAsync();
        var manager = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<UplinkManagerActor>();
        Assert.Equal("/user/uplinks", manager.Path.ToStringWithoutAddress());

        _net.Links.Push("usb0");
        (await _net.DhcpClientAsync("usb0")).Say(FakeNetwork.Bound("192.168.42.64", "192.168.42.129"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await manager.Ask<UplinksStatus>(UplinkManager.GetStatus.Instance, TimeSpan.FromSeconds(3))).Active != "phone")
        {
            Assert.True(DateTime.UtcNow < deadline, "the phone never became active");
            await Task.Delay(20);
        }

        await host.StopAsync();

        // StopAsync returned: the releases started in PostStop have all completed.
        Assert.Equal(0, _net.Releases.Count);
        var lines = _net.Commands.Lines;
        Assert.Contains(lines, l => l.EndsWith(NftRuleset.Delete("actorgateway"), StringComparison.Ordinal));
        Assert.Contains("/usr/sbin/ip -4 route del default dev usb0 metric 100 proto 171", lines);
        Assert.Contains("/usr/sbin/ip address del 192.168.42.64/24 dev usb0", lines);
        Assert.Contains("/usr/sbin/ip address del 192.168.50.1/24 dev eth0", lines);
        Assert.Equal("0", _net.Sysctl.Read("net.ipv4.ip_forward"));
    }

    [Fact]
    public async Task WithUplinks_should_start_nothing_when_the_network_side_is_off()
    {
        using var host = Build("actorgateway.control-socket = \"/tmp/spec.sock\"\nactorgateway.usb.enabled = off");
        await host.StartAsync();

        Assert.False(host.Services.GetRequiredService<ActorRegistry>().TryGet<UplinkManagerActor>(out _));
        Assert.Empty(_net.Commands.Commands);
        await host.StopAsync();
    }
}
