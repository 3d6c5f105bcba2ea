using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Hosting;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Testing;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Simulation.InMemory;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using GatewayProtocol = ActorGateway.Actors.Gateway.Gateway;

namespace ActorGateway.Actors.Tests.Hosting;

/// <summary>
/// The host's own wiring: <c>AddAkka</c> + <see cref="ModemActorsHostingExtensions.WithModemActors"/>, with the
/// <see cref="DeviceDependencies"/> taken from DI. (Akka.Hosting.TestKit would do the same, but its 1.5.74 build
/// needs xunit v3, which cannot share an assembly with these xunit 2 specs.)
/// </summary>
public sealed class ModemActorsHostingSpec : IAsyncLifetime
{
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var settings = GatewaySettings.Parse(
            "actorgateway.static-devices = [ { id = \"dongle\", port = \"/dev/ttyUSB0\", apn = \"internet\" } ]", "spec");
        _host = new HostBuilder()
            .ConfigureServices(services =>
            {
                // The clock is the actor system's (virtual) scheduler, so DeviceDependencies is made once the system exists.
                services.AddSingleton(sp => new DeviceDependencies(
                    new InMemorySerialPortOpener(),
                    new FakeProcessRunner(),
                    new InMemoryPinVerdictStore(),
                    new SchedulerTimeProvider(sp.GetRequiredService<ActorSystem>().Scheduler),
                    "/run/actorgateway"));
                services.AddAkka("hosting-spec", builder => builder
                    .AddHocon("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"", HoconAddMode.Prepend)
                    .WithModemActors(settings));
            })
            .Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task WithModemActors_should_register_the_gateway_supervisor_with_its_devices()
    {
        var registry = _host.Services.GetRequiredService<ActorRegistry>();

        var gateway = await registry.GetAsync<GatewaySupervisor>();
        var required = await _host.Services.GetRequiredService<IRequiredActor<GatewaySupervisor>>().GetAsync();

        Assert.Equal(gateway, required);
        Assert.Equal("/user/gateway", gateway.Path.ToStringWithoutAddress());
        var status = await gateway.Ask<GatewayProtocol.Status>(GatewayProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5));
        var dongle = Assert.Single(status.Devices);
        Assert.Equal("dongle", dongle.Id);
        Assert.Equal("/dev/ttyUSB0", dongle.Port);
    }
}
