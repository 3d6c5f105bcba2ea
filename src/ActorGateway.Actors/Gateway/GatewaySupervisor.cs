using ActorGateway.Actors.At;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Service;
using ActorGateway.Actors.Settings;
using ActorGateway.Core.At;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;

namespace ActorGateway.Actors.Gateway;

/// <summary>
/// The top of the gateway: one device actor per modem, each behind a backoff supervisor so that a
/// device that fails as a whole (a modem that no longer answers) is recreated after a pause that
/// grows, with jitter, and resets after a good run. Answers status and routes <c>actorgateway at</c>. On a
/// configuration reload it restarts the static devices whose settings changed, starts new ones and stops removed ones;
/// the others keep their sessions.
/// </summary>
public sealed class GatewaySupervisor : ReceiveActor
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(2);

    private readonly DeviceDependencies _deps;
    private GatewaySettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, (IActorRef Actor, StaticDevice Device)> _devices = new(StringComparer.Ordinal);

    // Devices added and removed while running (USB discovery), the askers waiting for a removal to finish, and
    // devices reported dead (shown in status until their hardware goes away).
    private readonly Dictionary<IActorRef, (string Id, IActorRef ReplyTo)> _removing = [];
    private readonly Dictionary<string, DeviceStatus> _dead = new(StringComparer.Ordinal);

    // Kept per device id across its actor's incarnations and across unplug/replug: last error, last modem reset.
    private readonly Dictionary<string, DeviceHistory> _histories = new(StringComparer.Ordinal);

    // Static devices whose new settings start once their old actor has stopped (and closed its ports).
    private readonly Dictionary<IActorRef, StaticDevice> _restarting = [];
    private int _generation;

    public GatewaySupervisor(GatewaySettings settings, DeviceDependencies deps)
    {
        _settings = settings;
        _deps = deps;

        Receive<Gateway.GetStatus>(_ => ReplyStatus());
        Receive<Liveness.Ping>(m => Sender.Tell(new Liveness.Pong(m.Sequence)));
        Receive<Gateway.Reload>(m => Reload(m.Settings));
        Receive<Gateway.AddDevice>(m => AddDevice(m.Device));
        Receive<Gateway.RemoveDevice>(m => RemoveDevice(m.Id, m.Reason, dead: null));
        Receive<Gateway.MarkDead>(m => RemoveDevice(m.Id, m.Reason, dead: m.Reason));
        Receive<Terminated>(m =>
        {
            if (_removing.Remove(m.ActorRef, out var removal))
            {
                // Its ports are closed now (children stop before their parent): the hardware may be touched again.
                removal.ReplyTo.Tell(new Gateway.DeviceRemoved(removal.Id));
            }

            if (_restarting.Remove(m.ActorRef, out var next))
            {
                Start(next, $"device-{next.Id}-{++_generation}");
                _log.Info("Device {DeviceId} started again with its new settings on {Port} (profile {Profile})", next.Id, next.Port, next.Profile.Name);
            }
        });
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
            Start(device, $"device-{device.Id}");
            _log.Info("Device {DeviceId} on {Port} (profile {Name})", device.Id, device.Port, device.Profile.Name);
        }

        if (_devices.Count == 0)
        {
            // Not a warning any more: with USB discovery the devices come as they are plugged in (AddDevice).
            _log.Info("No static devices (actorgateway.static-devices is empty); devices USB discovery finds are added as they appear");
        }
    }

    private void Start(StaticDevice device, string name)
    {
        var restart = _settings.DeviceRestart;
        if (!_histories.TryGetValue(device.Id, out var history))
        {
            _histories[device.Id] = history = new DeviceHistory();
        }

        var (log, clock, id, events) = (_log, _deps.Clock, device.Id, Context.System.EventStream);
        var options = Backoff.OnFailure(
                DeviceActor.Props(device, _deps, history), "modem", restart.MinBackoff, restart.MaxBackoff, restart.RandomFactor, -1)
            .WithAutoReset(restart.ResetAfter)
            .WithReplyWhileStopped(new DeviceRestarting(device.Id))
            // The device's own decider has said what failed; one line here says what is done about it, without a
            // stack trace per cycle, and the history keeps the reason for status.
            .WithSupervisorStrategy(new OneForOneStrategy(
                e =>
                {
                    history.DeviceRecreated(e.Message, clock.GetUtcNow());
                    events.Publish(new DeviceEvents.Recreated(id, e.Message));
                    log.Warning("Device {DeviceId} failed ({Error}); recreating it after a backoff of {MinBackoff} to {MaxBackoff} (time {Recreated})",
                        id, e.Message, restart.MinBackoff, restart.MaxBackoff, history.Recreated);
                    return Directive.Restart;
                },
                false));
        _devices[device.Id] = (Context.ActorOf(BackoffSupervisor.Props(options), name), device);
    }

    /// <summary>A device found while running: it gets the same backoff supervision as a configured one.</summary>
    private void AddDevice(StaticDevice device)
    {
        if (_devices.ContainsKey(device.Id))
        {
            _log.Warning("Device {DeviceId} is not added: the id is taken", device.Id);
            Sender.Tell(new Gateway.DeviceNotAdded(device.Id, $"the id \"{device.Id}\" is taken"));
            return;
        }

        _dead.Remove(device.Id);
        // A fresh name each time: the previous actor of the same device may still be stopping.
        Start(device, $"device-{device.Id}-{++_generation}");
        _log.Info("Device {DeviceId} added on {Port}{DataPort} (profile {Profile})", device.Id, device.Port,
            device.DataPort is { } data ? $", data on {data}" : string.Empty, device.Profile.Name);
        Sender.Tell(new Gateway.DeviceAdded(device.Id));
    }

    /// <summary>Stops a device (its ports close); the asker hears <see cref="Gateway.DeviceRemoved"/> once it has stopped.</summary>
    private void RemoveDevice(string id, string reason, string? dead)
    {
        if (dead is not null)
        {
            _dead[id] = new DeviceStatus
            {
                Id = id,
                Port = _devices.TryGetValue(id, out var known) ? known.Device.Port : "-",
                State = DeviceState.Dead,
                Detail = $"{dead}; replug it to try again",
                Since = _deps.Clock.GetUtcNow(),
                LastError = dead,
                LastErrorAt = _deps.Clock.GetUtcNow(),
            };
        }
        else
        {
            _dead.Remove(id);
        }

        if (!_devices.Remove(id, out var device))
        {
            Sender.Tell(new Gateway.DeviceRemoved(id));
            return;
        }

        _log.Info("Device {DeviceId} removed: {Reason}", id, reason);
        _removing[Context.Watch(device.Actor)] = (id, Sender);
        Context.Stop(device.Actor);
    }

    /// <summary>
    /// Applies a reloaded configuration to the static devices: removed ones stop, new ones start, changed ones (any key
    /// of theirs, or of the profile they use) stop and start again once their ports are closed; unchanged ones keep their
    /// session. Devices USB discovery added are left alone. The answer is <see cref="Gateway.Reloaded"/>.
    /// </summary>
    private void Reload(GatewaySettings settings)
    {
        var diff = SettingsComparison.Diff(_settings.StaticDevices, settings.StaticDevices, d => d.Id);
        _settings = settings;
        foreach (var device in diff.Removed)
        {
            if (_devices.Remove(device.Id, out var running))
            {
                _log.Info("Device {DeviceId} removed from the configuration; stopping it", device.Id);
                _removing[Context.Watch(running.Actor)] = (device.Id, ActorRefs.Nobody);
                Context.Stop(running.Actor);
            }
            else if (PendingRestart(device.Id) is { } old)
            {
                _restarting.Remove(old); // an earlier reload's restart still waits for the old actor: it is off now
            }
        }

        var taken = new List<string>();
        foreach (var device in diff.Changed)
        {
            if (_devices.Remove(device.Id, out var running))
            {
                _log.Info("Device {DeviceId}: its settings changed; restarting it", device.Id);
                _restarting[Context.Watch(running.Actor)] = device;
                Context.Stop(running.Actor);
            }
            else if (PendingRestart(device.Id) is { } old)
            {
                _restarting[old] = device; // changed again before its old actor stopped: it starts with the newest settings
            }
        }

        foreach (var device in diff.Added)
        {
            if (_removing.FirstOrDefault(r => r.Value.Id == device.Id).Key is { } old)
            {
                // Removed by an earlier reload and back before its old actor stopped: it starts once the ports are closed.
                _restarting[old] = device;
                continue;
            }

            if (_devices.ContainsKey(device.Id))
            {
                // USB discovery found a device of that id first; the configured one waits for a restart.
                taken.Add(device.Id);
                _log.Warning("Device {DeviceId} is not added: the id is taken by a discovered device", device.Id);
                continue;
            }

            Start(device, $"device-{device.Id}-{++_generation}");
            _log.Info("Device {DeviceId} added on {Port} (profile {Profile})", device.Id, device.Port, device.Profile.Name);
        }

        Sender.Tell(new Gateway.Reloaded(
            [.. diff.Added.Select(d => d.Id).Except(taken)],
            [.. diff.Removed.Select(d => d.Id)],
            [.. diff.Changed.Select(d => d.Id)],
            [.. diff.Unchanged.Select(d => d.Id)]));
    }

    /// <summary>The old actor of a device whose restart (from a reload) waits for that actor to stop.</summary>
    private IActorRef? PendingRestart(string id) => _restarting.FirstOrDefault(r => r.Value.Id == id).Key;

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        // The children are backoff supervisors, which hold no resource: a restart of one is safe.
        _log.Error(e, "A device supervisor failed; restarting it");
        return Directive.Restart;
    }, false);

    private void ReplyStatus()
    {
        var now = _deps.Clock.GetUtcNow();
        var history = _devices.Keys.ToDictionary(id => id, id => _histories.GetValueOrDefault(id)?.LastError ?? default, StringComparer.Ordinal);
        var asks = _devices.Values.Select(async d =>
        {
            try
            {
                var answer = await d.Actor.Ask<object>(Device.GetStatus.Instance, StatusTimeout).ConfigureAwait(false);
                return answer as DeviceStatus ?? Restarting(d.Device, now, history[d.Device.Id]);
            }
            catch (AskTimeoutException)
            {
                return Restarting(d.Device, now, history[d.Device.Id]);
            }
        });
        var dead = _dead.Values.ToList();
        Task.WhenAll(asks).ContinueWith(t => new Gateway.Status(now, [.. t.Result.Concat(dead).OrderBy(s => s.Id, StringComparer.Ordinal)]), TaskScheduler.Default)
            .PipeTo(Sender);
    }

    private static DeviceStatus Restarting(StaticDevice device, DateTimeOffset now, (string? Error, DateTimeOffset? At) last) => new()
    {
        Id = device.Id,
        Port = device.Port,
        State = DeviceState.Retrying,
        Detail = "the device actor is being recreated",
        Since = now,
        LastError = last.Error,
        LastErrorAt = last.At,
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

    /// <summary>Start a device found while running (USB discovery); the answer is <see cref="DeviceAdded"/> or <see cref="DeviceNotAdded"/>.</summary>
    public sealed record AddDevice(StaticDevice Device);

    /// <summary>The device runs.</summary>
    public sealed record DeviceAdded(string Id);

    /// <summary>The device was not started, and why.</summary>
    public sealed record DeviceNotAdded(string Id, string Reason);

    /// <summary>Stop a device (its hardware left, or is about to be reset); the answer, once its ports are closed, is <see cref="DeviceRemoved"/>.</summary>
    public sealed record RemoveDevice(string Id, string Reason);

    /// <summary>The device has stopped and its ports are closed.</summary>
    public sealed record DeviceRemoved(string Id);

    /// <summary>
    /// Apply a reloaded configuration to the static devices (see <see cref="GatewaySupervisor"/>); the answer is
    /// <see cref="Reloaded"/>.
    /// </summary>
    public sealed record Reload(GatewaySettings Settings);

    /// <summary>What a reload did, by device id.</summary>
    public sealed record Reloaded(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Restarted, IReadOnlyList<string> Unchanged);

    /// <summary>
    /// Stop a device for good and show it as dead in status, with the reason, until a <see cref="RemoveDevice"/> or a new
    /// <see cref="AddDevice"/> of the same id (it was replugged). The answer is <see cref="DeviceRemoved"/>.
    /// </summary>
    public sealed record MarkDead(string Id, string Reason);
}
