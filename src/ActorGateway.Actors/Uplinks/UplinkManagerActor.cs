using System.Net;
using ActorGateway.Actors.Service;
using ActorGateway.Actors.Settings;
using ActorGateway.Core.Network;
using ActorGateway.Core.Supervision;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// The network side of the gateway. It keeps the list of uplinks — those declared in
/// <c>static-uplinks</c> and those devices announce on the event stream (<see cref="UplinkEvents"/>: a PPP
/// call, a phone's tethering interface) — one <see cref="UplinkActor"/> each, and decides with the pure
/// <see cref="Failover"/> core which one carries the default route and the LAN's traffic. Children: the link
/// monitor (netlink), the NAT table owner and the LAN service, each behind a backoff supervisor, and the
/// uplinks, recreated after a backoff when they fail. At start it flushes routes a crashed run left
/// (they carry the gateway's own route protocol). Every switch is logged with its reason. On a configuration reload
/// the static uplinks that changed are taken down and started again, new ones start, removed ones go; the others (and
/// the uplinks devices brought) keep running.
/// </summary>
public sealed class UplinkManagerActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private const string FailbackTimer = "failback";
    private const int MaxUplinks = 100;

    private readonly NetworkDependencies _deps;
    private UplinkSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Entry> _uplinks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkEvent> _links = new(StringComparer.Ordinal);

    // Static uplinks whose new definition starts once the old one is forgotten (its routes and leases released).
    private readonly Dictionary<string, UplinkDefinition> _replacements = new(StringComparer.Ordinal);
    private FailoverState _failover = FailoverState.Initial;
    private IActorRef? _natTable;
    private IActorRef? _lan;
    private bool _sharing;
    private int _generation;
    private IReadOnlyList<IPAddress>? _upstreamDns;
    private string? _upstreamInterface;

    public UplinkManagerActor(UplinkSettings settings, NetworkDependencies deps)
    {
        _settings = settings;
        _deps = deps;
        Starting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(UplinkSettings settings, NetworkDependencies deps) =>
        Akka.Actor.Props.Create(() => new UplinkManagerActor(settings, deps));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(UplinkEvents.IUplinkEvent));

        // Routes of the gateway's own protocol can only be left over from a run that did not stop cleanly.
        var flush = _settings.Ip.FlushRoutes();
        var queue = new CommandQueue(_deps.Commands);
        queue.Enqueue(flush).ContinueWith(
            t => new Flushed(t.IsCompletedSuccessfully && t.Result.Succeeded ? null : t.IsCompletedSuccessfully ? t.Result.Said : t.Exception?.GetBaseException().Message),
            TaskScheduler.Default).PipeTo(Self);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _log.Info("Uplinks stopped");
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decide, false);

    /// <summary>The decider for the uplinks (the other children are behind backoff supervisors with their own).</summary>
    private Directive Decide(Exception e)
    {
        var cause = e is ActorInitializationException { InnerException: { } inner } ? inner : e;
        var who = cause is UplinkException { UplinkId: { } id } ? $"Uplink {id}" : "An uplink";
        if (cause is UplinkException)
        {
            _log.Warning("{Who}: {Cause}; it is taken down and started again after a backoff", who, cause.Message);
        }
        else
        {
            _log.Error(cause, "{Who} failed unexpectedly; it is taken down and started again after a backoff", who);
        }

        return Directive.Stop;
    }

    private void Starting()
    {
        Receive<Flushed>(m =>
        {
            if (m.Failure is { } failure)
            {
                _log.Warning("Could not flush leftover routes (proto {RouteProtocol}): {Failure}", _settings.Ip.RouteProtocol, failure);
            }

            StartChildren();
            Stash.UnstashAll();
            Become(Running);
        });
        Receive<Liveness.Ping>(m => Sender.Tell(new Liveness.Pong(m.Sequence)));
        ReceiveAny(_ => Stash.Stash());
    }

    private void StartChildren()
    {
        _links.Clear();
        Context.ActorOf(Supervised(LinkMonitorActor.Props(_deps.Links, Self), "links", "link monitor"), "link-monitor");
        if (_settings.Nat.Enabled)
        {
            var lan = _settings.Lan is { } l ? new[] { l.Interface } : [];
            _natTable = Context.ActorOf(Supervised(NatTableActor.Props(_settings.Nat, lan, _deps), "table", "NAT table"), "nat");
        }

        if (_settings.Lan is { } lanSettings)
        {
            _lan = Context.ActorOf(Supervised(LanServiceActor.Props(_settings, _deps, Self), "service", "LAN service"), "lan");
            _log.Info("LAN on {Interface}{Sharing}", lanSettings.Interface, _settings.Nat.Enabled ? ", shared through NAT" : " (not shared: nat.enabled = off)");
        }

        foreach (var s in _settings.StaticUplinks)
        {
            Add(Definition(s));
        }

        if (_settings.StaticUplinks.Count == 0)
        {
            _log.Info("No static uplinks; waiting for PPP calls and tethering interfaces");
        }
    }

    private Props Supervised(Props child, string name, string what) =>
        BackoffSupervisor.Props(Backoff.OnFailure(child, name, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, -1)
            .WithAutoReset(TimeSpan.FromMinutes(1))
            .WithSupervisorStrategy(new OneForOneStrategy(
                e =>
                {
                    // One decider for this child: whatever failed, it is stopped (releasing what it holds) and
                    // started again after the backoff.
                    var cause = e is ActorInitializationException { InnerException: { } inner } ? inner : e;
                    var said = cause is LanServiceException { LastLines.Count: > 0 } lan
                        ? $" (dnsmasq said: {string.Join(" / ", lan.LastLines.TakeLast(3))})"
                        : string.Empty;
                    if (cause is UplinkException)
                    {
                        _log.Warning("{What}: {Cause}{Said}; starting it again after a backoff", what, cause.Message, said);
                    }
                    else
                    {
                        _log.Error(cause, "{What} failed unexpectedly; starting it again after a backoff", what);
                    }

                    return Directive.Restart;
                },
                false)));

    private void Running()
    {
        Receive<LinkEvent>(m =>
        {
            _links[m.Name] = m;
            if (!m.Exists)
            {
                _links.Remove(m.Name);
            }

            foreach (var entry in _uplinks.Values.Where(e => e.Definition.Interface == m.Name && e.Actor is not null))
            {
                entry.Actor!.Tell(m);
            }
        });
        Receive<NatTable.Created>(m =>
        {
            _sharing = true;
            foreach (var entry in _uplinks.Values.Where(e => e.Actor is not null))
            {
                entry.Actor!.Tell(m);
            }
        });
        Receive<Uplink.Report>(OnReport);
        Receive<LanService.Started>(_ => Sender.Tell(new LanService.SetUpstream(_upstreamDns ?? [], _upstreamInterface)));
        Receive<UplinkEvents.PppLinkUp>(m =>
        {
            var id = DeviceUplinkId(m.DeviceId, UplinkSource.Ppp);
            if (_uplinks.TryGetValue(id, out var existing) && !existing.Removed)
            {
                if (existing.Definition.Interface == m.Interface)
                {
                    existing.Definition = existing.Definition with { Dns = m.Dns };
                    existing.Actor?.Tell(new Uplink.PppChanged(m.Dns));
                    return;
                }

                Remove(existing, $"its PPP call moved to {m.Interface}");
            }

            _log.Info("{DeviceId}: PPP link up on {Interface} (local {LocalAddress}, peer {RemoteAddress}): a new uplink", m.DeviceId, m.Interface, m.LocalAddress, m.RemoteAddress);
            Add(new UplinkDefinition(id, m.Interface, UplinkSource.Ppp, UplinkMethod.Ppp, _settings.PriorityFor(m.DeviceId, UplinkSource.Ppp), 0,
                m.LocalAddress, 32, m.RemoteAddress, m.Dns, _settings.Health));
        });
        Receive<UplinkEvents.PppLinkDown>(m =>
        {
            if (_uplinks.TryGetValue(DeviceUplinkId(m.DeviceId, UplinkSource.Ppp), out var entry) && !entry.Removed)
            {
                Remove(entry, $"PPP link down: {m.Reason}");
            }
        });
        Receive<UplinkEvents.TetheringInterfaceAppeared>(m =>
        {
            if (_settings.StaticUplinks.FirstOrDefault(s => s.Interface == m.Interface) is { } declared)
            {
                _log.Info("{DeviceId}: tethering interface {Interface} ({Driver}) is the static uplink {StaticUplink}", m.DeviceId, m.Interface, m.Driver, declared.Id);
                return;
            }

            var id = DeviceUplinkId(m.DeviceId, UplinkSource.Tethering);
            if (_uplinks.TryGetValue(id, out var existing) && !existing.Removed)
            {
                if (existing.Definition.Interface == m.Interface)
                {
                    return;
                }

                Remove(existing, $"its interface is now {m.Interface}");
            }

            if (!InterfaceName.IsValid(m.Interface))
            {
                _log.Warning("{DeviceId}: tethering interface \"{Interface}\" has a name the gateway does not use; ignored", m.DeviceId, m.Interface);
                return;
            }

            _log.Info("{DeviceId}: tethering interface {Interface} ({Driver}): a new uplink (DHCP)", m.DeviceId, m.Interface, m.Driver);
            Add(new UplinkDefinition(id, m.Interface, UplinkSource.Tethering, UplinkMethod.Dhcp, _settings.PriorityFor(m.DeviceId, UplinkSource.Tethering), 0,
                null, 0, null, [], _settings.Health));
        });
        Receive<UplinkEvents.TetheringInterfaceGone>(m =>
        {
            if (_uplinks.TryGetValue(DeviceUplinkId(m.DeviceId, UplinkSource.Tethering), out var entry) && !entry.Removed)
            {
                Remove(entry, $"tethering interface {m.Interface} is gone");
            }
        });
        Receive<Terminated>(OnTerminated);
        Receive<Recreate>(m =>
        {
            if (_uplinks.TryGetValue(m.Id, out var entry) && !entry.Removed && entry.Actor is null)
            {
                Start(entry);
            }
        });
        Receive<FailbackDue>(_ => Apply(FailoverEvent.FailbackDue.Instance));
        Receive<UplinkManager.GetStatus>(_ => Sender.Tell(Status()));
        Receive<Liveness.Ping>(m => Sender.Tell(new Liveness.Pong(m.Sequence)));
        Receive<UplinkManager.Reload>(m => Reload(m.Settings));
    }

    private static UplinkDefinition Definition(StaticUplink s) =>
        new(s.Id, s.Interface, UplinkSource.Static, s.Method, s.Priority, 0, s.Address, s.PrefixLength, s.Gateway, s.Dns, s.Health);

    /// <summary>
    /// A reloaded configuration: static uplinks are diffed by id and only the changed, new and removed ones are touched.
    /// Failover and per-device priorities apply from now on; the LAN, NAT, DHCP and route settings need a restart of the
    /// gateway (the answer names them).
    /// </summary>
    private void Reload(UplinkSettings settings)
    {
        var diff = SettingsComparison.Diff(_settings.StaticUplinks, settings.StaticUplinks, u => u.Id);
        var needRestart = SettingsComparison.ChangedKeys(
            ("lan", _settings.Lan, settings.Lan),
            ("nat", _settings.Nat, settings.Nat),
            ("dhcp", _settings.Dhcp, settings.Dhcp),
            ("uplinks.metrics", _settings.Metrics, settings.Metrics),
            ("uplinks.route-protocol", _settings.Ip, settings.Ip));
        // The running children (NAT table, LAN service) keep the settings they started with; the rest applies now.
        _settings = settings with { Lan = _settings.Lan, Nat = _settings.Nat, Dhcp = _settings.Dhcp, Metrics = _settings.Metrics, Ip = _settings.Ip };
        foreach (var gone in diff.Removed.Concat(diff.Changed))
        {
            if (_uplinks.TryGetValue(gone.Id, out var entry) && !entry.Removed)
            {
                if (diff.Changed.Contains(gone))
                {
                    _replacements[gone.Id] = Definition(gone);
                    Remove(entry, "its settings changed; it starts again with the new ones");
                }
                else
                {
                    Remove(entry, "removed from the configuration");
                }
            }
        }

        foreach (var added in diff.Added)
        {
            if (_uplinks.TryGetValue(added.Id, out var existing) && existing.Removed)
            {
                _replacements[added.Id] = Definition(added); // the old one of that id is still being taken down
            }
            else if (!_uplinks.ContainsKey(added.Id))
            {
                Add(Definition(added));
            }
        }

        if (needRestart.Count > 0)
        {
            _log.Warning("Uplinks: {Keys} changed; that takes effect when the gateway restarts", string.Join(", ", needRestart));
        }

        Sender.Tell(new UplinkManager.Reloaded(
            [.. diff.Added.Select(u => u.Id)], [.. diff.Removed.Select(u => u.Id)], [.. diff.Changed.Select(u => u.Id)],
            [.. diff.Unchanged.Select(u => u.Id)], needRestart));
    }

    private void Add(UplinkDefinition definition)
    {
        var used = _uplinks.Values.Select(e => e.Definition.Index).ToHashSet();
        var index = Enumerable.Range(0, MaxUplinks).FirstOrDefault(i => !used.Contains(i), -1);
        if (index < 0)
        {
            _log.Error("{UplinkId}: more than {MaxUplinks} uplinks; ignored", definition.Id, MaxUplinks);
            return;
        }

        var entry = new Entry(definition with { Index = index }, new ExponentialBackoff(_settings.UplinkRestart.Min, _settings.UplinkRestart.Max));
        _uplinks[definition.Id] = entry;
        Apply(new FailoverEvent.UplinkAdded(definition.Id, definition.Priority));
        Start(entry);
        _log.Info("Uplink {UplinkId}: {Method} on {Interface}, priority {Priority}", definition.Id, definition.Method.ToString().ToLowerInvariant(), definition.Interface, definition.Priority);
    }

    private void Start(Entry entry)
    {
        var d = entry.Definition;
        entry.Status = null;
        entry.Actor = Context.Watch(Context.ActorOf(
            UplinkActor.Props(d, _settings, _deps, Self, _natTable, _links.GetValueOrDefault(d.Interface), _failover.Active == d.Id),
            $"uplink-{d.Id}-{++_generation}"));
    }

    private void Remove(Entry entry, string reason)
    {
        entry.Removed = true;
        entry.RemovedBecause = reason;
        if (entry.Actor is { } actor)
        {
            Context.Stop(actor);
        }
        else
        {
            Forget(entry);
        }
    }

    private void OnTerminated(Terminated m)
    {
        var entry = _uplinks.Values.FirstOrDefault(e => m.ActorRef.Equals(e.Actor));
        if (entry is null)
        {
            return;
        }

        entry.Actor = null;
        if (entry.Removed)
        {
            Forget(entry);
            return;
        }

        // It failed: its PostStop released what it held. Start it again after a backoff.
        var (delay, next) = entry.Restart.Next();
        entry.Restart = next;
        Context.System.EventStream.Publish(new UplinkManager.UplinkRestarted(entry.Definition.Id));
        Apply(new FailoverEvent.UplinkNotReady(entry.Definition.Id, $"its actor failed; starting it again in {delay.TotalSeconds:0.#} s"));
        Timers.StartSingleTimer($"recreate-{entry.Definition.Id}", new Recreate(entry.Definition.Id), delay);
    }

    private void Forget(Entry entry)
    {
        _uplinks.Remove(entry.Definition.Id);
        _log.Info("Uplink {UplinkId} removed: {Reason}", entry.Definition.Id, entry.RemovedBecause);
        Apply(new FailoverEvent.UplinkRemoved(entry.Definition.Id, entry.RemovedBecause ?? "removed"));
        if (_replacements.Remove(entry.Definition.Id, out var replacement))
        {
            Add(replacement);
        }
    }

    private void OnReport(Uplink.Report m)
    {
        if (!_uplinks.TryGetValue(m.Status.Id, out var entry) || !Sender.Equals(entry.Actor))
        {
            return; // a late report from an actor that is already stopped
        }

        var before = entry.Status;
        entry.Status = m.Status;
        if (!_failover.Candidates.TryGetValue(m.Status.Id, out var candidate))
        {
            return;
        }

        var ready = m.Status.State == UplinkState.Up;
        if (ready != candidate.Ready)
        {
            Apply(ready
                ? new FailoverEvent.UplinkReady(m.Status.Id)
                : new FailoverEvent.UplinkNotReady(m.Status.Id, m.Status.LastError ?? m.Status.Detail ?? "down"));
        }

        if (ready && _failover.Candidates.TryGetValue(m.Status.Id, out var now) && now.Health != m.Status.Health)
        {
            Apply(new FailoverEvent.HealthChanged(m.Status.Id, m.Status.Health, m.Status.HealthDetail ?? m.Status.Health.ToString()));
        }

        if (_failover.Active == m.Status.Id && before?.Dns.SequenceEqual(m.Status.Dns) != true)
        {
            UpdateUpstreamDns();
        }
    }

    private void Apply(FailoverEvent e)
    {
        var (state, actions) = Failover.Apply(_failover, e, _deps.Clock.GetUtcNow(), _settings.Failover);
        _failover = state;
        foreach (var action in actions)
        {
            switch (action)
            {
                case FailoverAction.Switch s:
                    Switch(s);
                    break;
                case FailoverAction.ScheduleFailback f:
                    _log.Info("Failback to {UplinkId} in {In:0.#} s if it stays healthy (hold time {HoldTime:0.#} s)",
                        BestWaiting() ?? "the preferred uplink", f.After.TotalSeconds, _settings.Failover.HoldTime.TotalSeconds);
                    Timers.StartSingleTimer(FailbackTimer, FailbackDue.Instance, f.After);
                    break;
                case FailoverAction.CancelFailback:
                    Timers.Cancel(FailbackTimer);
                    break;
            }
        }
    }

    private void Switch(FailoverAction.Switch s)
    {
        if (s.To is null)
        {
            _log.Warning("No uplink carries the traffic: {Reason}", s.Reason);
        }
        else if (s.From is null)
        {
            _log.Info("Uplink {To} carries the default route and the LAN's traffic: {Reason}", s.To, s.Reason);
        }
        else if (_failover.Candidates.TryGetValue(s.From, out var previous) && previous.Usable)
        {
            _log.Info("Switching from {From} to {To}: {Reason}", s.From, s.To, s.Reason); // a failback or a preferred uplink: nothing failed
        }
        else
        {
            _log.Warning("Failover from {From} to {To}: {Reason}", s.From, s.To, s.Reason);
        }

        Context.System.EventStream.Publish(new UplinkManager.Switched(s.From, s.To, s.Reason,
            IsFailover: s.From is { } f && !(_failover.Candidates.TryGetValue(f, out var was) && was.Usable)));

        // The old one first: once its low-metric route is gone, the new one's standby route already carries the
        // traffic, before its own move to the active metric completes.
        if (s.From is { } from && _uplinks.TryGetValue(from, out var old))
        {
            old.Actor?.Tell(new Uplink.SetRole(false));
        }

        if (s.To is { } to && _uplinks.TryGetValue(to, out var next))
        {
            next.Actor?.Tell(new Uplink.SetRole(true));
        }

        UpdateUpstreamDns();
    }

    /// <summary>The LAN's DNS follows the active uplink: dnsmasq forwards to its servers.</summary>
    private void UpdateUpstreamDns()
    {
        if (_lan is null || _settings.Lan is not { Dns: true })
        {
            return;
        }

        var active = _failover.Active is { } id && _uplinks.TryGetValue(id, out var e) ? e : null;
        var servers = active?.Status?.Dns.Select(IPAddress.Parse).ToList() ?? [];
        var ifname = servers.Count == 0 ? null : active?.Status?.Interface;
        if (_upstreamDns is not null && _upstreamDns.SequenceEqual(servers) && ifname == _upstreamInterface)
        {
            return; // two phones on the same subnet have the same servers: a switch still changes the interface
        }

        _upstreamDns = servers;
        _upstreamInterface = ifname;
        _lan.Tell(new LanService.SetUpstream(servers, ifname));
    }

    private string? BestWaiting() => _failover.Candidates.Values
        .Where(c => c.Usable && c.Id != _failover.Active)
        .OrderBy(c => c.Priority).ThenBy(c => c.Order)
        .FirstOrDefault()?.Id;

    private UplinksStatus Status()
    {
        var now = _deps.Clock.GetUtcNow();
        var uplinks = _uplinks.Values
            .Select(e => StatusOf(e, now) with { Active = _failover.Active == e.Definition.Id })
            .OrderBy(s => s.Priority).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        return new UplinksStatus(_failover.Active, _failover.Reason, _failover.ActiveSince, _sharing, _settings.Lan?.Interface, uplinks);
    }

    private static UplinkStatus StatusOf(Entry e, DateTimeOffset now) => e.Status ?? new UplinkStatus
    {
        Id = e.Definition.Id,
        Interface = e.Definition.Interface,
        Source = e.Definition.Source,
        Method = e.Definition.Method,
        Priority = e.Definition.Priority,
        Since = now,
        Detail = e.Actor is null ? "being started again" : "starting",
    };

    private string DeviceUplinkId(string deviceId, UplinkSource source) =>
        _settings.StaticUplinks.Any(s => s.Id == deviceId) ? $"{deviceId}-{source.ToString().ToLowerInvariant()}" : deviceId;

    private sealed class Entry(UplinkDefinition definition, ExponentialBackoff restart)
    {
        public UplinkDefinition Definition { get; set; } = definition;

        public ExponentialBackoff Restart { get; set; } = restart;

        public IActorRef? Actor { get; set; }

        public UplinkStatus? Status { get; set; }

        public bool Removed { get; set; }

        public string? RemovedBecause { get; set; }
    }

    private sealed record Flushed(string? Failure);

    private sealed record Recreate(string Id);

    private sealed record FailbackDue
    {
        public static readonly FailbackDue Instance = new();
    }
}

/// <summary>The public protocol of <see cref="UplinkManagerActor"/>.</summary>
public static class UplinkManager
{
    /// <summary>Ask for the network side's status; the answer is an <see cref="UplinksStatus"/>.</summary>
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }

    /// <summary>Apply a reloaded configuration (see <see cref="UplinkManagerActor"/>); the answer is <see cref="Reloaded"/>.</summary>
    public sealed record Reload(UplinkSettings Settings);

    /// <summary>What a reload did to the static uplinks, by id, and the keys that need a restart of the gateway.</summary>
    public sealed record Reloaded(
        IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Restarted, IReadOnlyList<string> Unchanged,
        IReadOnlyList<string> NeedRestart);

    /// <summary>
    /// Published on the event stream when the traffic moves to another uplink (or to none): <paramref name="IsFailover"/>
    /// when the one it left had failed, not for a failback or a better uplink arriving.
    /// </summary>
    public sealed record Switched(string? From, string? To, string Reason, bool IsFailover);

    /// <summary>Published on the event stream when an uplink's actor failed and is started again after a backoff.</summary>
    public sealed record UplinkRestarted(string UplinkId);
}
