using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using Akka.Hosting;

namespace ActorGateway.Actors.Hosting;

/// <summary>
/// Wires the gateway into an Akka.Hosting actor system. The host and the tests' <c>ConfigureAkka</c> both
/// call this, so tests exercise the real wiring.
/// </summary>
public static class ModemActorsHostingExtensions
{
    /// <summary>
    /// Starts the <see cref="GatewaySupervisor"/> with <paramref name="settings"/>, taking the outside world
    /// (<see cref="DeviceDependencies"/>) from the service provider, and registers it in the <see cref="ActorRegistry"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithModemActors(this AkkaConfigurationBuilder builder, GatewaySettings settings)
    {
        return builder.WithActors((system, registry, resolver) =>
        {
            var deps = resolver.GetService<DeviceDependencies>();
            var gateway = system.ActorOf(GatewaySupervisor.Props(settings, deps), "gateway");
            registry.Register<GatewaySupervisor>(gateway);
        });
    }
}
