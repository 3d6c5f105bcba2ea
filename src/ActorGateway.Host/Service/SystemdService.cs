using ActorGateway.Core.Io;
using Microsoft.Extensions.Hosting;

namespace ActorGateway.Host.Service;

/// <summary>
/// The gateway's side of <c>Type=notify</c> (systemd.service(5), sd_notify(3)): <c>READY=1</c> once every hosted service
/// has started — the actor system is up and its actors are created, the control socket listens — and
/// <c>STOPPING=1</c> when shutdown begins, each with a <c>STATUS=</c> line for <c>systemctl status</c>. The watchdog
/// pings come from the actor system itself (<see cref="Actors.Service.ServiceWatchdogActor"/>).
/// </summary>
public sealed class SystemdService(IServiceNotifier notifier, IHostApplicationLifetime lifetime, Func<string> describe) : IHostedService
{
    private readonly List<CancellationTokenRegistration> _registrations = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(lifetime.ApplicationStarted.Register(() => notifier.Notify(ServiceNotifications.ReadyWithStatus(describe()))));
        _registrations.Add(lifetime.ApplicationStopping.Register(() =>
            notifier.Notify(ServiceNotifications.Stopping + "\n" + ServiceNotifications.Status("stopping: hanging up calls, releasing routes and NAT"))));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        return Task.CompletedTask;
    }
}
