using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Metrics;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Service;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using Akka.Actor;
using Akka.Hosting;

namespace ActorGateway.Actors.Hosting;

/// <summary>
/// Wires the parts of running unattended into an Akka.Hosting actor system, after <see cref="ModemActorsHostingExtensions.WithModemActors"/>
/// and <see cref="UplinksHostingExtensions.WithUplinks"/>: systemd's watchdog, the supply monitor and the metrics feed.
/// The host and the specs both call these.
/// </summary>
public static class ServiceHostingExtensions
{
    /// <summary>
    /// Starts the <see cref="ServiceWatchdogActor"/> when <paramref name="notifier"/> is watched (the unit's
    /// <c>WatchdogSec=</c>), vouching for the gateway supervisor and, when it runs, the uplink manager.
    /// </summary>
    public static AkkaConfigurationBuilder WithServiceWatchdog(this AkkaConfigurationBuilder builder, IServiceNotifier notifier, ServiceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(settings);
        if (notifier.WatchdogTimeout is not { } watchdog)
        {
            return builder;
        }

        return builder.WithActors((system, registry) =>
        {
            var targets = new List<(string, IActorRef)> { ("the gateway supervisor", registry.Get<GatewaySupervisor>()) };
            if (registry.TryGet<UplinkManagerActor>(out var uplinks))
            {
                targets.Add(("the uplink manager", uplinks));
            }

            registry.Register<ServiceWatchdogActor>(system.ActorOf(ServiceWatchdogActor.Props(notifier, targets, watchdog, settings.LivenessTimeout), "watchdog"));
        });
    }

    /// <summary>Starts the <see cref="PowerMonitorActor"/> on <paramref name="sensor"/> unless <c>power.enabled = off</c>.</summary>
    public static AkkaConfigurationBuilder WithPowerMonitor(this AkkaConfigurationBuilder builder, PowerSettings settings, IPowerSensor sensor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled)
        {
            return builder;
        }

        return builder.WithActors((system, registry) =>
            registry.Register<PowerMonitorActor>(system.ActorOf(PowerMonitorActor.Props(settings, sensor, clock), "power")));
    }

    /// <summary>Starts the <see cref="MetricsActor"/> feeding <paramref name="metrics"/> when <c>metrics.enabled = on</c>.</summary>
    public static AkkaConfigurationBuilder WithMetrics(this AkkaConfigurationBuilder builder, MetricsSettings settings, GatewayMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled || metrics is null)
        {
            return builder;
        }

        return builder.WithActors((system, registry) =>
        {
            var uplinks = registry.TryGet<UplinkManagerActor>(out var u) ? u : null;
            var power = registry.TryGet<PowerMonitorActor>(out var p) ? p : null;
            registry.Register<MetricsActor>(system.ActorOf(
                MetricsActor.Props(metrics, registry.Get<GatewaySupervisor>(), uplinks, power, settings.Interval), "metrics"));
        });
    }
}
