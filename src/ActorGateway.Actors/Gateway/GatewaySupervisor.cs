using ActorGateway.Actors.At;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Core.At;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;

namespace ActorGateway.Actors.Gateway;

/// <summary>
/// The top of the gateway: one device actor per modem, each behind a backoff supervisor so that a
/// device that fails as a whole (a modem that no longer answers) is recreated after a pause that
/// grows, with jitter, and resets after a good run. Answers status and routes <c>actorgateway at</c>.
/// </summary>
public sealed class GatewaySupervisor : ReceiveActor
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(2);

    private readonly GatewaySettings _settings;
    private readonly DeviceDependencies _deps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, (IActorRef Actor, StaticDevice Device)> _devices = new(StringComparer.Ordinal);

    public GatewaySupervisor(GatewaySettings settings, DeviceDependencies deps)
    {
        _settings = settings;
        _deps = deps;

        Receive<Gateway.GetStatus>(_ => ReplyStatus());
        Receive<Gateway.SendAt>(m =>
        {
            if (!_devices.TryGetValue(m.DeviceId, out var device))
            {
                Sender.Tell(new AtChannel.Response(m.Command, AtResponse.Aborted(
                    $"no device \"{m.DeviceId}\" (known: {string.Join(", ", _devices.Keys)})")));
                return;
            }

            // While a device is being recreated its backoff supervisor answers for it; the asker still
            // gets an AT response, aborted, saying why.
            device.Actor.Ask<object>(new AtChannel.Send(m.Command), m.Command.Timeout + StatusTimeout)
                .ContinueWith(
                    t => t.IsCompletedSuccessfully && t.Result is AtChannel.Response response
                        ? response
                        : new AtChannel.Response(m.Command, AtResponse.Aborted(t.IsCompletedSuccessfully
                            ? $"device \"{m.DeviceId}\" is being restarted; try again shortly"
                            : $"device \"{m.DeviceId}\" did not answer")),
                    TaskScheduler.Default)
                .PipeTo(Sender);
        });
    }

    public static Props Props(GatewaySettings settings, DeviceDependencies deps) =>
        Akka.Actor.Props.Create(() => new GatewaySupervisor(settings, deps));

    protected override void PreStart()
    {
        foreach (var device in _settings.StaticDevices)
        {
            var restart = _settings.DeviceRestart;
            var options = Backoff.OnFailure(
                    DeviceActor.Props(device, _deps), "modem", restart.MinBackoff, restart.MaxBackoff, restart.RandomFactor, -1)
                .WithAutoReset(restart.ResetAfter)
                .WithReplyWhileStopped(new DeviceRestarting(device.Id));
            var actor = Context.ActorOf(BackoffSupervisor.Props(options), $"device-{device.Id}");
            _devices[device.Id] = (actor, device);
            _log.Info("Device {0} on {1} (profile {2})", device.Id, device.Port, device.Profile.Name);
        }

        if (_devices.Count == 0)
        {
            _log.Warning("No devices configured (actorgateway.static-devices is empty): nothing to do");
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        // The children are backoff supervisors, which hold no resource: a restart of one is safe.
        _log.Error(e, "A device supervisor failed; restarting it");
        return Directive.Restart;
    }, false);

    private void ReplyStatus()
    {
        var now = _deps.Clock.GetUtcNow();
        var asks = _devices.Values.Select(async d =>
        {
            try
            {
                var answer = await d.Actor.Ask<object>(Device.GetStatus.Instance, StatusTimeout).ConfigureAwait(false);
                return answer as DeviceStatus ?? Restarting(d.Device, now);
            }
            catch (AskTimeoutException)
            {
                return Restarting(d.Device, now);
            }
        });
        Task.WhenAll(asks).ContinueWith(t => new Gateway.Status(now, [.. t.Result.OrderBy(s => s.Id, StringComparer.Ordinal)]), TaskScheduler.Default)
            .PipeTo(Sender);
    }

    private static DeviceStatus Restarting(StaticDevice device, DateTimeOffset now) => new()
    {
        Id = device.Id,
        Port = device.Port,
        State = DeviceState.Retrying,
        Detail = "the device actor is being recreated",
        Since = now,
    };

    private sealed record DeviceRestarting(string Id);
}

/// <summary>The public protocol of <see cref="GatewaySupervisor"/>.</summary>
public static class Gateway
{
    /// <summary>Ask for every device's status; the answer is a <see cref="Status"/>.</summary>
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }

    /// <summary>The gateway's status at <see cref="At"/>.</summary>
    public sealed record Status(DateTimeOffset At, IReadOnlyList<DeviceStatus> Devices);

    /// <summary>Run one AT command on a device's AT channel; the answer is an <see cref="AtChannel.Response"/>.</summary>
    public sealed record SendAt(string DeviceId, AtCommand Command);
}
