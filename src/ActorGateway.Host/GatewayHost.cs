using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Hosting;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Host.Control;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

namespace ActorGateway.Host;

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
        NetworkDependencies? network = null)
    {
        var uplinks = UplinkSetup.Decide(settings, logger);
        settings = settings.WithPppRoutesHandedOver(uplinks);
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
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddAkka("actorgateway", (akka, _) =>
        {
            akka.AddHocon(
                """
                akka.actor.debug.unhandled = off
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                akka.log-dead-letters = 0
                akka.log-dead-letters-during-shutdown = off
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
        });
        builder.Services.AddHostedService(sp => new ControlSocketServer(
            settings.ControlSocket,
            sp.GetRequiredService<IRequiredActor<Actors.Gateway.GatewaySupervisor>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ControlSocketServer>>(),
            sp.GetRequiredService<ActorRegistry>()));
        return builder.Build();
    }
}
