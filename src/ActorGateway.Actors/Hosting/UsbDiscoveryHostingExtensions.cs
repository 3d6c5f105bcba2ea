using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Usb;
using Akka.Hosting;

namespace ActorGateway.Actors.Hosting;

/// <summary>
/// Wires USB discovery into an Akka.Hosting actor system, after <see cref="ModemActorsHostingExtensions.WithModemActors"/>
/// (the modems it finds become devices of that <see cref="GatewaySupervisor"/>). The host and the specs both call it.
/// </summary>
public static class UsbDiscoveryHostingExtensions
{
    /// <summary>
    /// Starts the <see cref="UsbWatcherActor"/> with <paramref name="settings"/>, taking its adapters
    /// (<see cref="UsbDependencies"/>, <see cref="DeviceDependencies"/>) from the service provider, and registers it in the
    /// <see cref="ActorRegistry"/>. With <c>actorgateway.usb.enabled = off</c> nothing is started.
    /// </summary>
    public static AkkaConfigurationBuilder WithUsbDiscovery(this AkkaConfigurationBuilder builder, UsbSettings settings)
    {
        if (!settings.Enabled)
        {
            return builder;
        }

        return builder.WithActors((system, registry, resolver) =>
        {
            var usb = resolver.GetService<UsbDependencies>();
            var devices = resolver.GetService<DeviceDependencies>();
            var gateway = registry.Get<GatewaySupervisor>();
            var watcher = system.ActorOf(UsbWatcherActor.Props(settings, usb, devices, gateway), "usb");
            registry.Register<UsbWatcherActor>(watcher);
        });
    }
}
