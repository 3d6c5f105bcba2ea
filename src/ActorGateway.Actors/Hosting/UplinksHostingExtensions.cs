using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Modem;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;

namespace ActorGateway.Actors.Hosting;

/// <summary>
/// Wires the network side (uplinks, NAT, LAN service) into an Akka.Hosting actor system. The host and the
/// tests call this, so tests exercise the real wiring.
/// </summary>
public static class UplinksHostingExtensions
{
    /// <summary>How long the shutdown waits for the uplinks to stop and release routes, the nft table, leases.</summary>
    public static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts the <see cref="UplinkManagerActor"/> (when <paramref name="settings"/> says it runs), taking
    /// <see cref="NetworkDependencies"/> from the service provider, and registers it in the
    /// <see cref="ActorRegistry"/>. The actor system's coordinated shutdown stops it before the system
    /// terminates and waits for every release its actors started in <c>PostStop</c>, so that the nft table,
    /// the routes and the DHCP leases are gone when the host's StopAsync returns.
    /// </summary>
    public static AkkaConfigurationBuilder WithUplinks(this AkkaConfigurationBuilder builder, UplinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled)
        {
            return builder;
        }

        builder.AddHocon(
            $"akka.coordinated-shutdown.phases.before-actor-system-terminate.timeout = {(int)(2 * ReleaseTimeout.TotalSeconds) + 5}s",
            HoconAddMode.Prepend);
        return builder.WithActors((system, registry, resolver) =>
        {
            var deps = resolver.GetService<NetworkDependencies>();
            var manager = system.ActorOf(UplinkManagerActor.Props(settings, deps), "uplinks");
            registry.Register<UplinkManagerActor>(manager);
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "release-uplinks", async () =>
            {
                try
                {
                    await manager.GracefulStop(ReleaseTimeout).ConfigureAwait(false);
                }
                catch (TaskCanceledException)
                {
                    system.Log.Warning("The uplinks did not stop within {0}", ReleaseTimeout);
                }

                if (!await deps.Releases.WhenAllAsync(ReleaseTimeout).ConfigureAwait(false))
                {
                    system.Log.Warning("{0} network releases were still under way after {1}", deps.Releases.Count, ReleaseTimeout);
                }

                return Done.Instance;
            });
        });
    }

    /// <summary>
    /// When the uplink manager owns the default route, pppd must not add one of its own (it would take metric 0
    /// and win over every uplink): every profile gets <c>nodefaultroute</c> (pppd(8)); the manager adds the
    /// PPP uplink's route with its metric instead.
    /// </summary>
    public static GatewaySettings WithPppRoutesHandedOver(this GatewaySettings gateway, UplinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled)
        {
            return gateway;
        }

        return gateway with
        {
            Defaults = NoDefaultRoute(gateway.Defaults),
            Profiles = gateway.Profiles.ToDictionary(p => p.Key, p => NoDefaultRoute(p.Value), StringComparer.Ordinal),
            StaticDevices = [.. gateway.StaticDevices.Select(d => d with { Profile = NoDefaultRoute(d.Profile) })],
        };
    }

    /// <summary>The profile with pppd's own default route off.</summary>
    public static ModemProfile NoDefaultRoute(ModemProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile with { Ppp = profile.Ppp with { DefaultRoute = false } };
    }
}
