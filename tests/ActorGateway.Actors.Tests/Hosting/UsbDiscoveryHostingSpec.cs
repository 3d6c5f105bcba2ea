using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Hosting;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using ActorGateway.Linux.Usb;
using ActorGateway.Simulation.InMemory;
using ActorGateway.TestFixtures;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorGateway.Actors.Tests.Hosting;

/// <summary>
/// The host's own wiring of discovery: <c>AddAkka</c> + <see cref="ModemActorsHostingExtensions.WithModemActors"/> +
/// <see cref="UsbDiscoveryHostingExtensions.WithUsbDiscovery"/>, with the adapters taken from DI.
/// </summary>
public sealed class UsbDiscoveryHostingSpec : IAsyncLifetime
{
    private readonly SysfsFixture _sysfs = SysfsFixture.CopyOf("rpi1b-seed");
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var settings = GatewaySettings.Parse($$"""actorgateway.usb.sysfs-root = "{{_sysfs.Root}}" """, "spec");
        var usb = UsbSettings.Create(settings);
        _host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(new DeviceDependencies(
                    new InMemorySerialPortOpener(), new FakeProcessRunner(), new InMemoryPinVerdictStore(), TimeProvider.System, "/run/actorgateway"));
                services.AddSingleton(new UsbDependencies(
                    new SysfsUsbReader(_sysfs.Root), new ChannelUeventSource(), ModeSwitchDatabase.Empty,
                    new UsbModeSwitchRunner(new FakeProcessRunner()), new FakeDriverBinder(), new FakeResetter()));
                services.AddAkka("usb-hosting-spec", builder => builder.WithModemActors(settings).WithUsbDiscovery(usb));
            })
            .Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _sysfs.Dispose();
    }

    [Fact]
    public async Task WithUsbDiscovery_should_register_the_watcher_which_reads_the_devices_present()
    {
        var watcher = await _host.Services.GetRequiredService<ActorRegistry>().GetAsync<UsbWatcherActor>();

        Assert.Equal("/user/usb", watcher.Path.ToStringWithoutAddress());
        var names = Array.Empty<string>();
        for (var i = 0; i < 100 && names.Length < 4; i++)
        {
            names = [.. (await watcher.Ask<UsbDiscovery.Status>(UsbDiscovery.GetStatus.Instance, TimeSpan.FromSeconds(3))).Devices.Select(d => d.Name)];
            await Task.Delay(20);
        }

        Assert.Equal(["1-1", "1-1.1", "1-1.2", "1-1.3"], names);
    }

    [Fact]
    public void WithUsbDiscovery_should_start_nothing_when_discovery_is_off()
    {
        var settings = GatewaySettings.Parse("actorgateway.usb.enabled = off", "spec");
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "off");

        Assert.Same(builder, builder.WithUsbDiscovery(UsbSettings.Create(settings)));
        Assert.False(UsbSettings.Create(settings).Enabled);
    }
}
