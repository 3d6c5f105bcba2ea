using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Hosting;
using ActorGateway.Actors.Metrics;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Service;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using ActorGateway.Host.Control;
using ActorGateway.Host.Service;
using ActorGateway.Linux.Network;
using ActorGateway.Linux.Power;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Serilog;
using Serilog.Events;

namespace ActorGateway.Host;

/// <summary>
/// What <c>run</c> adds to a host beyond <c>demo</c>: the service manager to notify (systemd's READY, watchdog,
/// STOPPING), the configuration file to reload on SIGHUP or <c>actorgateway reload</c>, and the adapters of the supply
/// and interface counters (null: the Linux ones).
/// </summary>
public sealed record ServiceParts(IServiceNotifier Notifier, FileInfo? ConfigFile, IPowerSensor? Power = null, IInterfaceCounters? Interfaces = null);

/// <summary>Builds the generic host that runs the actor system, for <c>run</c> and <c>demo</c> alike.</summary>
public static class GatewayHost
{
    /// <summary>
    /// A host running the gateway with <paramref name="settings"/> against <paramref name="deps"/>, and USB discovery
    /// when <paramref name="usb"/> is given. The network side (uplinks, NAT, LAN) runs on <paramref name="network"/>,
    /// or on the Linux adapters when it is null, if the configuration asks for it and the gateway is root.
    /// </summary>
    public static IHost Build(
        GatewaySettings settings, DeviceDependencies deps, Serilog.ILogger logger, LogEventLevel level, UsbDiscoverySetup? usb = null,
        NetworkDependencies? network = null, ServiceParts? service = null)
    {
        var configured = settings;
        var uplinks = UplinkSetup.Decide(settings, logger);
        settings = settings.WithPppRoutesHandedOver(uplinks);
        var power = PowerSettings.Create(settings);
        var metricsSettings = MetricsSettings.Create(settings);
        var notifier = service?.Notifier ?? NoServiceNotifier.Instance;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "actorgateway",
        });
        // Akka.Logger.Serilog writes to Serilog's static logger.
        Log.Logger = logger;
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.AddSingleton(deps);
        builder.Services.AddSingleton(network ?? UplinkSetup.LinuxDependencies());
        if (usb is not null)
        {
            builder.Services.AddSingleton(usb.Dependencies);
        }
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var metrics = metricsSettings.Enabled ? StartMetrics(metricsSettings, service?.Interfaces, logger) : null;
        if (metrics is not null)
        {
            // Disposed with the host's services: the listener closes and the meter with it.
            builder.Services.AddSingleton(metrics.Value.Metrics);
            builder.Services.AddSingleton(metrics.Value.Provider);
        }

        builder.Services.AddAkka("actorgateway", (akka, _) =>
        {
            akka.AddHocon(
                """
                akka.actor.debug.unhandled = off
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                akka.log-dead-letters = 0
                akka.log-dead-letters-during-shutdown = off
                # Akka's own stdout logger speaks only before Serilog takes over and after it is gone: the last lines of a
                # shutdown, in Akka's own format (a second timestamp in the journal). Off, they reach Serilog instead.
                akka.stdout-loglevel = OFF
                """,
                HoconAddMode.Prepend);
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = level switch
                {
                    LogEventLevel.Verbose or LogEventLevel.Debug => Akka.Event.LogLevel.DebugLevel,
                    LogEventLevel.Information => Akka.Event.LogLevel.InfoLevel,
                    LogEventLevel.Warning => Akka.Event.LogLevel.WarningLevel,
                    _ => Akka.Event.LogLevel.ErrorLevel,
                };
                loggers.ClearLoggers();
                loggers.AddSerilogLogging();
            });
            akka.WithModemActors(settings);
            akka.WithUplinks(uplinks);
            if (usb is not null)
            {
                akka.WithUsbDiscovery(usb.Settings);
            }

            akka.WithPowerMonitor(power, service?.Power ?? new PiPowerSensor(power.SysfsRoot), deps.Clock);
            akka.WithMetrics(metricsSettings, metrics?.Metrics);
            akka.WithServiceWatchdog(notifier, ServiceSettings.Create(settings));
        });
        ConfigReloader? reloader = null;
        if (service is not null)
        {
            builder.Services.AddSingleton(sp => reloader = new ConfigReloader(service.ConfigFile, configured, uplinks, sp.GetRequiredService<ActorRegistry>(), notifier, logger));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
        }

        builder.Services.AddHostedService(sp => new ControlSocketServer(
            settings.ControlSocket,
            sp.GetRequiredService<IRequiredActor<Actors.Gateway.GatewaySupervisor>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ControlSocketServer>>(),
            sp.GetRequiredService<ActorRegistry>(),
            service is null ? null : () => sp.GetRequiredService<ConfigReloader>().ReloadAsync("actorgateway reload")));
        builder.Services.AddHostedService(sp => new SystemdService(notifier, sp.GetRequiredService<IHostApplicationLifetime>(),
            () => Describe(settings, uplinks)));
        if (service is not null)
        {
            builder.Services.AddHostedService(sp => new NeighbourCheck(settings, uplinks, logger));
        }

        _ = reloader;
        return builder.Build();
    }

    /// <summary>
    /// How long a clean stop may take: calls hung up, pppd and the DHCP clients ended, the NAT table and routes removed
    /// (each release has <see cref="UplinksHostingExtensions.ReleaseTimeout"/>). The unit's <c>TimeoutStopSec=</c> is
    /// larger, so that systemd's SIGKILL only ever meets a gateway that is stuck.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    private static string Describe(GatewaySettings settings, UplinkSettings uplinks) =>
        $"running: {settings.StaticDevices.Count} configured device(s){(uplinks.Enabled ? $", {uplinks.StaticUplinks.Count} static uplink(s)" : string.Empty)}; see actorgateway status";

    private static (GatewayMetrics Metrics, MeterProvider Provider)? StartMetrics(MetricsSettings settings, IInterfaceCounters? interfaces, Serilog.ILogger logger)
    {
        var metrics = new GatewayMetrics(interfaces ?? new SysfsInterfaceCounters(), Cli.Version);
        try
        {
            var provider = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(r => r.AddService("actorgateway", serviceVersion: Cli.Version, serviceInstanceId: Environment.MachineName))
                .AddMeter(GatewayMetrics.MeterName)
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = settings.HostText;
                    o.Port = settings.Port;
                    o.ScrapeEndpointPath = settings.Path;
                })
                .Build();
            logger.Information("Metrics: Prometheus text on {Uri}", settings.UriPrefix.TrimEnd('/') + settings.Path);
            return (metrics, provider);
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or InvalidOperationException)
        {
            metrics.Dispose();
            logger.Error("Metrics: cannot listen on {Uri}: {Error}; the gateway runs without metrics", settings.UriPrefix, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
            return null;
        }
    }
}
