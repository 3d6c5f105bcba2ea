using System.Net;
using ActorGateway.Core.Network;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// The LAN service: the LAN interface's address (when the configuration gives one) and dnsmasq answering
/// DHCP and DNS on it, forwarding DNS to the active uplink's servers, which the uplink manager sends
/// (<see cref="LanService.SetUpstream"/>); dnsmasq is restarted with the new servers when they change (its
/// leases stay in its lease file). dnsmasq's exit is a <see cref="LanServiceException"/>; the backoff
/// supervisor above starts the service again. <see cref="PostStop"/> ends dnsmasq and removes the address it
/// added.
/// </summary>
public sealed class LanServiceActor : ReceiveActor
{
    private const int KeptLines = 10;
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(3);

    private readonly LanSettings _lan;
    private readonly UplinkSettings _settings;
    private readonly NetworkDependencies _deps;
    private readonly IActorRef _manager;
    private readonly CommandQueue _ip;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<string> _lastLines = new();
    private IReadOnlyList<IPAddress> _upstream = [];
    private string? _upstreamInterface;
    private OwnedProcess? _dnsmasq;
    private bool _ready;
    private bool _restarting;
    private bool _addressAdded;

    public LanServiceActor(UplinkSettings settings, NetworkDependencies deps, IActorRef manager)
    {
        _settings = settings;
        _lan = settings.Lan ?? throw new ArgumentException("no LAN is declared", nameof(settings));
        _deps = deps;
        _manager = manager;
        _ip = new CommandQueue(deps.Commands);

        Receive<AddressApplied>(m =>
        {
            if (m.Failure is { } failure)
            {
                throw new LanServiceException($"the LAN address {_lan.Address}/{_lan.PrefixLength} could not be set on {_lan.Interface}: {failure}", []);
            }

            _addressAdded = true;
            _log.Info("LAN {Interface}: address {Address}/{PrefixLength}", _lan.Interface, _lan.Address, _lan.PrefixLength);
            Ready();
        });
        Receive<LanService.SetUpstream>(m =>
        {
            if (m.Servers.SequenceEqual(_upstream) && m.Interface == _upstreamInterface)
            {
                return;
            }

            _upstream = m.Servers;
            _upstreamInterface = m.Interface;
            if (_lan.Dns && _dnsmasq is not null && !_restarting)
            {
                // dnsmasq cannot be told its servers while it runs (short of D-Bus): restart it; leases are on disk.
                _log.Info("LAN {Interface}: DNS now forwarded to {Servers} through {Uplink}; restarting dnsmasq", _lan.Interface, Servers(_upstream), _upstreamInterface ?? "no uplink");
                _restarting = true;
                var old = _dnsmasq;
                _dnsmasq = null;
                old.StopAsync(KillAfter).ContinueWith(_ => DnsmasqStopped.Instance, TaskScheduler.Default).PipeTo(Self);
            }
        });
        Receive<DnsmasqStopped>(_ =>
        {
            _restarting = false;
            StartDnsmasq();
        });
        Receive<OwnedProcess.Started>(m => _log.Info("LAN {Interface}: dnsmasq started (pid {Pid}): {Arguments}", _lan.Interface, m.Pid, Describe()));
        Receive<OwnedProcess.StartFailed>(m => throw new LanServiceException($"cannot start {_lan.Dnsmasq}: {m.Cause.Message}", [], m.Cause));
        Receive<OwnedProcess.Line>(m =>
        {
            _lastLines.Enqueue(m.Text);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }

            if (m.Text.Contains("DHCPACK", StringComparison.Ordinal))
            {
                _log.Info("LAN {Interface}: {Text}", _lan.Interface, m.Text);
            }
            else
            {
                _log.Debug("LAN {Interface}: {Text}", _lan.Interface, m.Text);
            }
        });
        Receive<OwnedProcess.Exited>(m => throw new LanServiceException($"dnsmasq exited with status {m.Code}", [.. _lastLines]));
    }

    public static Props Props(UplinkSettings settings, NetworkDependencies deps, IActorRef manager) =>
        Akka.Actor.Props.Create(() => new LanServiceActor(settings, deps, manager));

    protected override void PreStart()
    {
        _deps.Files.CreateDirectory(_settings.StateDirectory); // dnsmasq keeps its leases there
        if (_lan.Address is not { } address)
        {
            Ready();
            return;
        }

        var ip = _settings.Ip;
        _ip.Enqueue(ip.LinkUp(_lan.Interface));
        _ip.Enqueue(ip.ReplaceAddress(_lan.Interface, address, _lan.PrefixLength, null)).ContinueWith(
            t => new AddressApplied(t.IsCompletedSuccessfully && t.Result.Succeeded
                ? null
                : t.IsCompletedSuccessfully ? t.Result.Said : t.Exception?.GetBaseException().Message),
            TaskScheduler.Default).PipeTo(Self);
    }

    protected override void PostStop()
    {
        if (_dnsmasq is not null)
        {
            _deps.Releases.Track(_dnsmasq.StopAsync(KillAfter));
        }

        if (_addressAdded && _lan.Address is { } address)
        {
            _deps.Releases.Track(_ip.Enqueue(_settings.Ip.DeleteAddress(_lan.Interface, address, _lan.PrefixLength)));
        }
    }

    /// <summary>The address is in place: ask the manager for the upstream servers, and serve the LAN meanwhile.</summary>
    private void Ready()
    {
        _ready = true;
        _manager.Tell(LanService.Started.Instance);
        StartDnsmasq();
    }

    private void StartDnsmasq()
    {
        if (!_lan.RunsDnsmasq || !_ready)
        {
            return;
        }

        var spec = Dnsmasq.Command(new LanServiceSpec(
            _lan.Dnsmasq,
            _lan.Interface,
            _lan.DhcpRange,
            _lan.LeaseTime,
            _lan.PingCheck,
            _lan.Dns,
            _upstream,
            Path.Combine(_settings.StateDirectory, $"dnsmasq-{_lan.Interface}.leases"),
            _upstreamInterface));
        _dnsmasq = new OwnedProcess(_deps.Processes, spec, _deps.Clock);
        _dnsmasq.Start(Self);
    }

    private string Describe()
    {
        var parts = new List<string>();
        if (_lan.DhcpRange is { } r)
        {
            parts.Add($"DHCP {r.First}–{r.Last}");
        }

        if (_lan.Dns)
        {
            parts.Add($"DNS forwarded to {Servers(_upstream)}");
        }

        return string.Join(", ", parts);
    }

    private static string Servers(IReadOnlyList<IPAddress> servers) => servers.Count == 0 ? "nobody yet (no uplink)" : string.Join(' ', servers);

    private sealed record AddressApplied(string? Failure);

    private sealed record DnsmasqStopped
    {
        public static readonly DnsmasqStopped Instance = new();
    }
}

/// <summary>The protocol of <see cref="LanServiceActor"/>.</summary>
public static class LanService
{
    /// <summary>From the uplink manager: the active uplink's DNS servers and its interface (null: no active uplink).</summary>
    public sealed record SetUpstream(IReadOnlyList<IPAddress> Servers, string? Interface);

    /// <summary>To the uplink manager: the LAN service (re)started and wants the current servers.</summary>
    public sealed record Started
    {
        public static readonly Started Instance = new();
    }
}

/// <summary>
/// Reads the kernel's link events (<see cref="ILinkMonitor"/>) in a loop outside the actor and hands each to
/// the parent as a message. A failure of the event source is a <see cref="LinkMonitorException"/>; the
/// restarted monitor begins with the state of every interface again, so nothing is missed for good.
/// </summary>
public sealed class LinkMonitorActor : ReceiveActor
{
    private readonly ILinkMonitor _links;
    private readonly IActorRef _listener;
    private readonly CancellationTokenSource _stop = new();

    public LinkMonitorActor(ILinkMonitor links, IActorRef listener)
    {
        _links = links;
        _listener = listener;
        Receive<Failed>(m => throw new LinkMonitorException($"link events stopped: {m.Cause.Message}", m.Cause));
    }

    public static Props Props(ILinkMonitor links, IActorRef listener) => Akka.Actor.Props.Create(() => new LinkMonitorActor(links, listener));

    protected override void PreStart()
    {
        var self = Self;
        var listener = _listener;
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var link in _links.WatchAsync(token).ConfigureAwait(false))
                {
                    listener.Tell(link);
                }

                if (!token.IsCancellationRequested)
                {
                    self.Tell(new Failed(new IOException("the event source ended")));
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                self.Tell(new Failed(e));
            }
        }, CancellationToken.None);
    }

    protected override void PostStop() => _stop.Cancel();

    private sealed record Failed(Exception Cause);
}
