using System.Globalization;
using System.Net;
using ActorGateway.Core.Io;
using ActorGateway.Core.Network;
using ActorGateway.Core.Supervision;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Uplinks;

/// <summary>An uplink as the manager creates it: who it is, its interface, how it gets an address, and its slot.</summary>
/// <param name="Id">Its id in status and logs.</param>
/// <param name="Interface">The network interface.</param>
/// <param name="Source">Declared, or brought by a device.</param>
/// <param name="Method">DHCP, static or PPP.</param>
/// <param name="Priority">Lower wins.</param>
/// <param name="Index">Its slot (0–99), unique among live uplinks: it makes its route metrics unique.</param>
/// <param name="Address">A static or PPP uplink's address.</param>
/// <param name="PrefixLength">Its prefix length.</param>
/// <param name="Gateway">A static uplink's router, or a PPP uplink's peer (for status; a PPP route needs no router).</param>
/// <param name="Dns">DNS servers known in advance (static, PPP).</param>
/// <param name="Health">How it is probed.</param>
public sealed record UplinkDefinition(
    string Id,
    string Interface,
    UplinkSource Source,
    UplinkMethod Method,
    int Priority,
    int Index,
    IPAddress? Address,
    int PrefixLength,
    IPAddress? Gateway,
    IReadOnlyList<IPAddress> Dns,
    HealthSettings Health);

/// <summary>
/// One uplink. It follows its interface (present, up, carrier) through the link events; when the interface is
/// usable it obtains the address (udhcpc for a tethering interface, the configuration for a static one, pppd
/// for a PPP call) and applies it: address with the lease time as lifetime, default route with the metric of
/// its role (active or standby, from the manager), probes, and the NAT share. Losing the carrier, the
/// interface or the lease is a hard signal: everything is taken down at once and the manager is told in the
/// same message. Children: <c>dhcp</c> (<see cref="DhcpClientActor"/>), <c>health</c>
/// (<see cref="HealthProbeActor"/>), <c>nat</c> (<see cref="NatShareActor"/>). <see cref="PostStop"/>
/// removes its route and address.
/// </summary>
public sealed class UplinkActor : ReceiveActor, IWithTimers
{
    private const string DhcpRestartTimer = "dhcp-restart";

    private readonly UplinkDefinition _def;
    private readonly UplinkSettings _settings;
    private readonly NetworkDependencies _deps;
    private readonly IActorRef _manager;
    private readonly IActorRef? _natTable;
    private readonly CommandQueue _ip;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LinkEvent? _link;
    private int _broughtUp = -1;
    private bool _active;
    private UplinkStatus _status;
    private IActorRef? _dhcp;
    private IActorRef? _health;
    private IActorRef? _nat;
    private int _session;
    private int _generation; // each GoUp's children get new names: stopped ones keep theirs until they are gone
    private DhcpLease? _lease;
    private IPAddress? _lastLeased;
    private (IPAddress Address, int Prefix)? _address;
    private IPAddress? _gateway;
    private (int Metric, IPAddress? Gateway)? _route;
    private bool _routeStale;
    private readonly HashSet<int> _metricsInTheWay = [];
    private ExponentialBackoff _dhcpRestart = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    private bool _rpFilterChecked;

    public UplinkActor(
        UplinkDefinition definition,
        UplinkSettings settings,
        NetworkDependencies deps,
        IActorRef manager,
        IActorRef? natTable,
        LinkEvent? link,
        bool active)
    {
        _def = definition;
        _settings = settings;
        _deps = deps;
        _manager = manager;
        _natTable = natTable;
        _link = link;
        _active = active;
        _ip = new CommandQueue(deps.Commands);
        _status = new UplinkStatus
        {
            Id = definition.Id,
            Interface = definition.Interface,
            Source = definition.Source,
            Method = definition.Method,
            Priority = definition.Priority,
            Since = deps.Clock.GetUtcNow(),
            Detail = $"waiting for {definition.Interface}",
        };

        Receive<LinkEvent>(OnLink);
        Receive<Uplink.SetRole>(m =>
        {
            if (m.Active == _active)
            {
                return;
            }

            _active = m.Active;
            _status = _status with { Active = m.Active };
            ApplyRoute();
            _health?.Tell(new HealthProbe.SetPace(m.Active));
            Report();
        });
        Receive<Uplink.PppChanged>(m =>
        {
            _status = _status with { Dns = [.. m.Dns.Select(d => d.ToString())] };
            Report();
        });
        Receive<DhcpClient.Reported>(m =>
        {
            if (Sender.Equals(_dhcp))
            {
                OnDhcp(m.Event);
            }
        });
        Receive<HealthProbe.Changed>(m =>
        {
            if (Sender.Equals(_health))
            {
                _status = _status with { Health = m.Change.To, HealthDetail = m.Change.Reason };
                Report();
            }
        });
        Receive<HealthProbe.Probed>(m =>
        {
            if (Sender.Equals(_health))
            {
                _status = _status with
                {
                    LastProbe = m.Result.Answered
                        ? $"{m.Target} answered in {m.Result.RoundTrip.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms"
                        : $"{m.Target}: {m.Result.Problem}",
                };
                Report();
            }
        });
        Receive<NatTable.Created>(m => _nat?.Forward(m));
        Receive<CommandFailed>(m =>
        {
            if (_link is { Usable: true } && m.Session == _session)
            {
                throw new NetworkCommandException(m.Command, m.Said) { UplinkId = _def.Id };
            }

            _log.Debug("{UplinkId}: `{Command}` failed after the link changed: {Said}", _def.Id, m.Command, m.Said);
        });
        Receive<MetricInTheWay>(m =>
        {
            if (m.Session != _session || _route?.Metric != m.Metric)
            {
                return;
            }

            // Never take or delete a route that is not ours: use the next metric.
            _log.Warning("{UplinkId}: another default route holds metric {Metric}, so {Interface} uses the next free one; a route of someone else's " +
                "with a lower metric wins over the gateway's: raise its metric or lower uplinks.metrics (default routes: {Routes})",
                _def.Id, m.Metric, _def.Interface, m.DefaultRoutes.Length == 0 ? "none left" : m.DefaultRoutes.ReplaceLineEndings(" | "));
            _metricsInTheWay.Add(m.Metric);
            _route = null;
            ApplyRoute();
            Report();
        });
        Receive<Terminated>(m =>
        {
            if (!m.ActorRef.Equals(_dhcp))
            {
                return;
            }

            _dhcp = null;
            var (delay, next) = _dhcpRestart.Next();
            _dhcpRestart = next;
            if (_status.State == UplinkState.Up)
            {
                Drop("udhcpc stopped");
            }

            SetState(UplinkState.Connecting, $"udhcpc stopped; starting it again in {delay.TotalSeconds:0.#} s");
            Timers.StartSingleTimer(DhcpRestartTimer, RestartDhcp.Instance, delay);
            Report();
        });
        Receive<RestartDhcp>(_ =>
        {
            if (_link is { Usable: true } && _dhcp is null && _def.Method == UplinkMethod.Dhcp)
            {
                StartDhcp();
                Report();
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        UplinkDefinition definition, UplinkSettings settings, NetworkDependencies deps, IActorRef manager, IActorRef? natTable, LinkEvent? link, bool active) =>
        Akka.Actor.Props.Create(() => new UplinkActor(definition, settings, deps, manager, natTable, link, active));

    protected override void PreStart()
    {
        _status = _status with { Active = _active };
        var link = _link;
        _link = null;
        OnLink(link ?? new LinkEvent(_def.Interface, 0, false, false, false));
    }

    protected override void PostStop()
    {
        if (_route is { } route)
        {
            _deps.Releases.Track(_ip.Enqueue(_settings.Ip.DeleteDefaultRoute(_def.Interface, route.Metric)));
        }

        if (_address is { } a)
        {
            _deps.Releases.Track(_ip.Enqueue(_settings.Ip.DeleteAddress(_def.Interface, a.Address, a.Prefix)));
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decide, false);

    /// <summary>The one decider for this uplink's children.</summary>
    private Directive Decide(Exception e)
    {
        Failed(e.Message);
        switch (e)
        {
            case DhcpClientException dhcp:
                var lines = dhcp.LastLines.Count == 0 ? string.Empty : $" (udhcpc said: {string.Join(" / ", dhcp.LastLines.TakeLast(3))})";
                _log.Warning("{UplinkId}: {Error}{Lines}; the lease counts as lost and udhcpc is started again", _def.Id, e.Message, lines);
                return Directive.Stop;
            default:
                _log.Error(e, "{UplinkId}: unexpected failure of a child; it is stopped", _def.Id);
                return Directive.Stop;
        }
    }

    private void OnLink(LinkEvent link)
    {
        var before = _link;
        _link = link;
        if (before == link)
        {
            return;
        }

        if (!link.Exists)
        {
            Disconnect($"{_def.Interface} is gone", $"waiting for {_def.Interface} to appear");
        }
        else if (!link.AdminUp)
        {
            if (_broughtUp != link.Index && _def.Method != UplinkMethod.Ppp)
            {
                // A new interface (a phone plugged in) comes up down: bring it up, once. If someone sets it down
                // later, that is theirs to decide and a hard signal for us.
                _broughtUp = link.Index;
                _log.Info("{UplinkId}: bringing {Interface} up", _def.Id, _def.Interface);
                Run(_settings.Ip.LinkUp(_def.Interface));
                SetState(UplinkState.Waiting, $"bringing {_def.Interface} up");
                Report();
            }
            else
            {
                Disconnect($"{_def.Interface} was set down", $"waiting for {_def.Interface} to be set up");
            }
        }
        else if (!link.Carrier)
        {
            Disconnect($"carrier lost on {_def.Interface}", $"no carrier on {_def.Interface}");
        }
        else if (_status.State == UplinkState.Waiting)
        {
            _broughtUp = link.Index;
            Connect();
        }
    }

    private void Connect()
    {
        _session++;
        switch (_def.Method)
        {
            case UplinkMethod.Dhcp:
                _dhcpRestart = _dhcpRestart.Reset();
                StartDhcp();
                break;
            case UplinkMethod.Static:
                ApplyAddress(_def.Address!, _def.PrefixLength, null);
                GoUp(_def.Gateway, _def.Dns, $"static address {_def.Address}/{_def.PrefixLength}");
                break;
            default:
                _status = _status with { Address = _def.Address is null ? null : $"{_def.Address}/{_def.PrefixLength}" };
                GoUp(null, _def.Dns, $"PPP link (peer {_def.Gateway})");
                _status = _status with { Gateway = _def.Gateway?.ToString() };
                break;
        }

        Report();
    }

    private void StartDhcp()
    {
        var hook = Path.Combine(_settings.RuntimeDirectory, $"udhcpc-{_def.Id}-{_session}.hook");
        var spec = Udhcpc.Command(_settings.Dhcp, _def.Interface, hook, _lastLeased);
        _dhcp = Context.Watch(Context.ActorOf(DhcpClientActor.Props(_def.Id, spec, _deps), $"dhcp-{_session}-{_dhcpRestart.Attempt}"));
        SetState(UplinkState.Connecting, $"asking for an address on {_def.Interface} (DHCP)");
    }

    private void OnDhcp(DhcpHookEvent e)
    {
        switch (e)
        {
            case DhcpHookEvent.Bound { Lease: var lease }:
                ApplyLease(lease, "bound");
                break;
            case DhcpHookEvent.Renewed { Lease: var lease }:
                ApplyLease(lease, "renewed");
                break;
            case DhcpHookEvent.Deconfig when _lease is not null:
                LoseLease("udhcpc gave the lease up (deconfig)");
                break;
            case DhcpHookEvent.Nak when _lease is not null:
                LoseLease("the DHCP server refused the lease (NAK)");
                break;
            case DhcpHookEvent.LeaseFailed:
                SetState(UplinkState.Connecting, $"no DHCP offer on {_def.Interface} yet; udhcpc keeps asking");
                Report();
                break;
        }
    }

    private void ApplyLease(DhcpLease lease, string how)
    {
        var now = _deps.Clock.GetUtcNow();
        var previous = _address;
        var changed = !lease.SameAs(_lease);
        _lease = lease;
        _lastLeased = lease.Address;
        _dhcpRestart = _dhcpRestart.Reset();
        ApplyAddress(lease.Address, lease.PrefixLength, lease.LeaseTime);
        if (previous is { } a && (!a.Address.Equals(lease.Address) || a.Prefix != lease.PrefixLength))
        {
            // Make before break: the new address first, then the old one goes (IPv4 tells addresses apart by prefix
            // too). Deleting a primary address takes the secondaries of its subnet with it unless promote_secondaries
            // is set, and the last address takes every route through the interface with it (fib_frontend.c,
            // fib_disable_ip): so the new address is put back, a no-op if it survived, and the route applied again.
            Run(_settings.Ip.DeleteAddress(_def.Interface, a.Address, a.Prefix), mustSucceed: false);
            Run(_settings.Ip.ReplaceAddress(_def.Interface, lease.Address, lease.PrefixLength, lease.LeaseTime));
            _routeStale = true;
        }
        _status = _status with { LeaseExpires = lease.LeaseTime is { } t ? now + t : null };
        if (changed)
        {
            var what = $"{lease.Cidr}, router {lease.Router?.ToString() ?? "none"}, DNS {(lease.Dns.Count == 0 ? "none" : string.Join(' ', lease.Dns))}, " +
                $"lease time {(lease.LeaseTime is { } l ? $"{l.TotalSeconds:0} s" : "infinite")}";
            _log.Info("{UplinkId}: DHCP lease {How} on {Interface}: {What}", _def.Id, how, _def.Interface, what);
        }

        if (_status.State == UplinkState.Up)
        {
            _gateway = lease.Router;
            _status = _status with { Gateway = lease.Router?.ToString(), Dns = [.. lease.Dns.Select(d => d.ToString())] };
            ApplyRoute();
            Report();
        }
        else
        {
            GoUp(lease.Router, lease.Dns, $"DHCP lease from {lease.Server?.ToString() ?? "?"}");
            Report();
        }
    }

    private void LoseLease(string reason)
    {
        _log.Warning("{UplinkId}: lease lost on {Interface}: {Reason}", _def.Id, _def.Interface, reason);
        _lease = null;
        Drop(reason);
        SetState(UplinkState.Connecting, $"{reason}; asking again");
        Report();
    }

    private void GoUp(IPAddress? gateway, IReadOnlyList<IPAddress> dns, string detail)
    {
        _gateway = gateway;
        _status = _status with
        {
            Gateway = gateway?.ToString(),
            Dns = [.. dns.Select(d => d.ToString())],
            Address = _address is { } a ? $"{a.Address}/{a.Prefix}" : _status.Address,
            Health = UplinkHealth.Unknown,
            HealthDetail = null,
        };
        SetState(UplinkState.Up, detail);
        ApplyRoute();

        // A lease lost and bound again within one session (udhcpc keeps asking) comes up again while the children
        // of the last Up are still stopping, and their names are taken until they are gone.
        _generation++;
        _health = Context.ActorOf(HealthProbeActor.Props(_def.Id, _def.Interface, _def.Health, _deps.Prober, _active), $"health-{_generation}");
        if (_natTable is not null)
        {
            _nat = Context.ActorOf(NatShareActor.Props(_def.Interface, _natTable), $"nat-{_generation}");
        }

        CheckRpFilter();
        _log.Info("{UplinkId}: up on {Interface} ({Detail})", _def.Id, _def.Interface, detail);
    }

    /// <summary>The default route with the metric of the uplink's role: make before break, through this uplink's own queue.</summary>
    private void ApplyRoute()
    {
        if (_status.State != UplinkState.Up)
        {
            return;
        }

        var metric = Failover.Metric(_settings.Metrics, _active, _def.Priority, _def.Index);
        while (_metricsInTheWay.Contains(metric))
        {
            metric++;
        }

        var gateway = _def.Method == UplinkMethod.Ppp ? null : _gateway;
        if (gateway is null && _def.Method != UplinkMethod.Ppp)
        {
            // No router (a static uplink without gateway, a lease without option 3): no default route through it, as
            // gateway.conf says; an on-link default would send every destination to ARP on the segment.
            if (_route is { } stale)
            {
                Run(_settings.Ip.DeleteDefaultRoute(_def.Interface, stale.Metric), mustSucceed: false);
                _route = null;
            }

            _routeStale = false;
            _status = _status with { Metric = null };
            return;
        }

        if (_route is { } current && current.Metric == metric && Equals(current.Gateway, gateway) && !_routeStale)
        {
            return;
        }

        var onlink = gateway is not null && _address is { } a && !Dnsmasq.InSubnet(gateway, a.Address, a.Prefix);
        if (_route is { } own && own.Metric == metric)
        {
            // Its own route: a new router, or put back after an address change (the kernel may have flushed it).
            Run(_settings.Ip.ReplaceDefaultRoute(_def.Interface, gateway, metric, onlink));
        }
        else
        {
            AddRoute(metric, _settings.Ip.AddDefaultRoute(_def.Interface, gateway, metric, onlink));
        }

        if (_route is { } old && old.Metric != metric)
        {
            Run(_settings.Ip.DeleteDefaultRoute(_def.Interface, old.Metric), mustSucceed: false);
        }

        _route = (metric, gateway);
        _routeStale = false;
        _status = _status with { Metric = metric };
    }

    private void ApplyAddress(IPAddress address, int prefix, TimeSpan? lifetime)
    {
        _address = (address, prefix);
        _status = _status with { Address = $"{address}/{prefix}" };
        Run(_settings.Ip.ReplaceAddress(_def.Interface, address, prefix, lifetime));
    }

    /// <summary>Leaves Up: probes and NAT share stop, the route and the address go.</summary>
    private void Drop(string reason)
    {
        if (_status.State == UplinkState.Up)
        {
            _log.Warning("{UplinkId}: down: {Reason}", _def.Id, reason);
        }

        Stop(ref _health);
        Stop(ref _nat);
        if (_route is { } route)
        {
            Run(_settings.Ip.DeleteDefaultRoute(_def.Interface, route.Metric), mustSucceed: false);
            _route = null;
        }

        _routeStale = false;
        _metricsInTheWay.Clear(); // a new connection tries its own metric again

        if (_address is { } a && _def.Method != UplinkMethod.Ppp)
        {
            Run(_settings.Ip.DeleteAddress(_def.Interface, a.Address, a.Prefix), mustSucceed: false);
        }

        _address = null;
        _gateway = null;
        _status = _status with
        {
            Address = null,
            Gateway = null,
            Dns = _def.Method == UplinkMethod.Ppp ? _status.Dns : [],
            Metric = null,
            Health = UplinkHealth.Unknown,
            HealthDetail = null,
            LeaseExpires = null,
        };
        Failed(reason);
    }

    private void Disconnect(string reason, string detail)
    {
        if (_status.State != UplinkState.Waiting || _dhcp is not null)
        {
            Drop(reason);
            if (_dhcp is not null)
            {
                Context.Unwatch(_dhcp);
                Stop(ref _dhcp);
            }

            Timers.Cancel(DhcpRestartTimer);
            _lease = null;
        }

        SetState(UplinkState.Waiting, detail);
        Report();
    }

    private void CheckRpFilter()
    {
        if (_rpFilterChecked)
        {
            return;
        }

        _rpFilterChecked = true;
        var name = _def.Interface.Contains('.', StringComparison.Ordinal)
            ? $"net/ipv4/conf/{_def.Interface}/rp_filter"
            : $"net.ipv4.conf.{_def.Interface}.rp_filter";
        var all = _deps.Sysctl.Read("net.ipv4.conf.all.rp_filter");
        var own = _deps.Sysctl.Read(name);
        if (all == "1" || (own == "1" && all is not "2"))
        {
            // The kernel uses the larger of the two (ip-sysctl.rst, rp_filter). Strict mode drops the answers to a
            // probe of a standby uplink, whose source is best reached through the active one.
            _log.Warning("{UplinkId}: strict reverse-path filtering is on for {Interface} (rp_filter = 1): probes of this uplink fail while it is on standby. " +
                "Set net.ipv4.conf.all.rp_filter = 2 (loose), as Debian's systemd does by default", _def.Id, _def.Interface);
        }
    }

    /// <summary>Adds the route at a new metric; "File exists" means another default route holds it (<see cref="MetricInTheWay"/>).</summary>
    private void AddRoute(int metric, CommandSpec command)
    {
        var session = _session;
        var commands = _deps.Commands;
        var show = _settings.Ip.ShowDefaultRoutes();
        _ip.Enqueue(command).ContinueWith(
            async t =>
            {
                if (t.IsCompletedSuccessfully && t.Result.Succeeded)
                {
                    return (object)Done.Instance;
                }

                if (t.IsCompletedSuccessfully && t.Result.Said.Contains("File exists", StringComparison.Ordinal))
                {
                    var routes = await commands.RunAsync(show, CancellationToken.None).ConfigureAwait(false);
                    return (object)new MetricInTheWay(metric, session, routes.Output.Trim());
                }

                return (object)new CommandFailed(command, session, t.IsCompletedSuccessfully ? $"exit {t.Result.ExitCode}: {t.Result.Said}" : t.Exception?.GetBaseException().Message ?? "cancelled");
            },
            TaskScheduler.Default).Unwrap().PipeTo(Self);
    }

    private void Run(CommandSpec command, bool mustSucceed = true)
    {
        var session = _session;
        var task = _ip.Enqueue(command);
        if (!mustSucceed)
        {
            _ = task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            return;
        }

        task.ContinueWith(
            t => t.IsCompletedSuccessfully && t.Result.Succeeded
                ? null
                : new CommandFailed(command, session, t.IsCompletedSuccessfully ? $"exit {t.Result.ExitCode}: {t.Result.Said}" : t.Exception?.GetBaseException().Message ?? "cancelled"),
            TaskScheduler.Default).PipeTo(Self, success: m => m ?? (object)Done.Instance);
    }

    private void SetState(UplinkState state, string detail) =>
        _status = _status with
        {
            State = state,
            Detail = detail,
            Since = state == _status.State ? _status.Since : _deps.Clock.GetUtcNow(),
        };

    private void Failed(string reason) => _status = _status with { LastError = reason, LastErrorAt = _deps.Clock.GetUtcNow() };

    private void Report() => _manager.Tell(new Uplink.Report(_status));

    private static void Stop(ref IActorRef? child)
    {
        if (child is not null)
        {
            Context.Stop(child);
            child = null;
        }
    }

    private sealed record CommandFailed(CommandSpec Command, int Session, string Said);

    /// <summary>Adding the default route at <paramref name="Metric"/> failed: a route of someone else's holds it.</summary>
    private sealed record MetricInTheWay(int Metric, int Session, string DefaultRoutes);

    private sealed record Done
    {
        public static readonly Done Instance = new();
    }

    private sealed record RestartDhcp
    {
        public static readonly RestartDhcp Instance = new();
    }
}

/// <summary>The protocol between the uplink manager and an <see cref="UplinkActor"/>.</summary>
public static class Uplink
{
    /// <summary>From the manager: carry the traffic (lowest metric) or stand by.</summary>
    public sealed record SetRole(bool Active);

    /// <summary>From the manager: a PPP uplink's DNS servers became known.</summary>
    public sealed record PppChanged(IReadOnlyList<IPAddress> Dns);

    /// <summary>To the manager: the uplink's status after a change (state, health, address).</summary>
    public sealed record Report(UplinkStatus Status);
}
