using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;

namespace ActorGateway.Actors.Hosting;

/// <summary>
/// Wires the gateway into an Akka.Hosting actor system. The host and the tests' <c>ConfigureAkka</c> both
/// call this, so tests exercise the real wiring.
/// </summary>
public static class ModemActorsHostingExtensions
{
    /// <summary>How long the shutdown waits for the devices to stop, and then for their pppd processes to end.</summary>
    public static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts the <see cref="GatewaySupervisor"/> with <paramref name="settings"/>, taking the outside world
    /// (<see cref="DeviceDependencies"/>) from the service provider, and registers it in the <see cref="ActorRegistry"/>.
    /// The actor system's coordinated shutdown stops it before the system terminates and waits until every pppd its
    /// devices started has ended (SIGTERM, then SIGKILL): a pppd must not outlive the gateway, holding the line and a
    /// UUCP lock, or end after it with nobody left to clean up.
    /// </summary>
    public static AkkaConfigurationBuilder WithModemActors(this AkkaConfigurationBuilder builder, GatewaySettings settings)
    {
        builder.AddHocon(
            $"akka.coordinated-shutdown.phases.before-actor-system-terminate.timeout = {(int)(2 * ReleaseTimeout.TotalSeconds) + 5}s",
            HoconAddMode.Prepend);
        return builder.WithActors((system, registry, resolver) =>
        {
            var deps = resolver.GetService<DeviceDependencies>();
            var gateway = system.ActorOf(GatewaySupervisor.Props(settings, deps), "gateway");
            registry.Register<GatewaySupervisor>(gateway);
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "stop-devices", async () =>
            {
                try
                {
                    await gateway.GracefulStop(ReleaseTimeout).ConfigureAwait(false);
                }
                catch (TaskCanceledException)
                {
                    system.Log.Warning("The devices did not stop within {0}", ReleaseTimeout);
                }

                if (!await deps.Releases.WhenAllAsync(ReleaseTimeout).ConfigureAwait(false))
                {
                    system.Log.Warning("{0} pppd processes were still ending after {1}", deps.Releases.Count, ReleaseTimeout);
                }

                return Done.Instance;
            });
        });
    }
}
