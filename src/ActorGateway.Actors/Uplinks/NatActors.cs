using ActorGateway.Core.Io;
using ActorGateway.Core.Network;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// Owns the gateway's nftables table (<c>table inet actorgateway</c>, <see cref="NftRuleset"/>) and IP
/// forwarding. It creates the table on start, adds and removes uplink interfaces in its set when the NAT
/// shares ask, one nft transaction at a time and in order, and removes the table in <see cref="PostStop"/>.
/// It never lists, flushes or touches any other table.
/// <para>
/// <c>net.ipv4.ip_forward</c> is set to 1 while it runs and put back on stop when the gateway changed it:
/// a box that stops sharing must not go on routing between its networks without the table's rules (an
/// open router), and a box that forwarded before (Docker, another router) keeps forwarding.
/// </para>
/// </summary>
public sealed class NatTableActor : ReceiveActor
{
    private const string ForwardKey = "net.ipv4.ip_forward";

    private readonly NatSettings _settings;
    private readonly NatTableSpec _spec;
    private readonly NetworkDependencies _deps;
    private readonly CommandQueue _nft;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SortedSet<string> _shared = new(StringComparer.Ordinal);
    private string? _forwardBefore;

    public NatTableActor(NatSettings settings, IReadOnlyList<string> lanInterfaces, NetworkDependencies deps)
    {
        _settings = settings;
        _spec = new NatTableSpec(settings.Table, lanInterfaces, settings.ClampMss);
        _deps = deps;
        _nft = new CommandQueue(deps.Commands);

        Receive<Applied>(m =>
        {
            if (m.Failure is { } failure)
            {
                if (m.MustSucceed)
                {
                    throw new NatTableException($"nft could not {m.What}: {failure}");
                }

                _log.Debug("nft could not {What}: {Failure}", m.What, failure);
                return;
            }

            if (m.What == "create the table")
            {
                _log.Info("nft table inet {Table} created: LAN {LanInterfaces} shared through the active uplinks (masquerade); new connections from an uplink, and into the LAN from anywhere else, are dropped",
                    _settings.Table, _spec.LanInterfaces.Count == 0 ? "(any interface)" : string.Join(", ", _spec.LanInterfaces));
                Context.Parent.Tell(NatTable.Created.Instance);
            }
            else
            {
                _log.Info("nft: {What}", m.What);
            }
        });
        Receive<NatTable.Share>(m =>
        {
            if (_shared.Add(m.Interface))
            {
                Run(NftRuleset.AddUplinks(_settings.Table, [m.Interface]), $"share the LAN through {m.Interface}", mustSucceed: true);
            }
        });
        Receive<NatTable.Unshare>(m =>
        {
            if (_shared.Remove(m.Interface))
            {
                Run(NftRuleset.RemoveUplink(_settings.Table, m.Interface), $"stop sharing through {m.Interface}", mustSucceed: false);
            }
        });
    }

    public static Props Props(NatSettings settings, IReadOnlyList<string> lanInterfaces, NetworkDependencies deps) =>
        Akka.Actor.Props.Create(() => new NatTableActor(settings, lanInterfaces, deps));

    protected override void PreStart()
    {
        if (_settings.IpForward)
        {
            var before = _deps.Sysctl.Read(ForwardKey);
            if (before != "1")
            {
                _deps.Sysctl.Write(ForwardKey, "1");
                _forwardBefore = before;
                _log.Info("{ForwardKey}: {Before} → 1 (put back when the gateway stops)", ForwardKey, before ?? "?");
            }
        }

        Run(NftRuleset.Create(_spec), "create the table", mustSucceed: true);
    }

    protected override void PostStop()
    {
        var table = _settings.Table;
        var log = _log;
        _deps.Releases.Track(_nft.Enqueue(Nft(NftRuleset.Delete(table))).ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully && t.Result.Succeeded)
                {
                    log.Info("nft table inet {Table} removed", table);
                }
                else
                {
                    log.Warning("nft table inet {Table} could not be removed: {Said}", table, Said(t));
                }
            },
            TaskScheduler.Default));

        if (_forwardBefore is { } before && _deps.Sysctl.Read(ForwardKey) == "1")
        {
            try
            {
                _deps.Sysctl.Write(ForwardKey, before);
                _log.Info("{ForwardKey}: put back to {Before}", ForwardKey, before);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning("{ForwardKey} could not be put back to {Before}: {Error}", ForwardKey, before, e.Message);
            }
        }
    }

    private void Run(string script, string what, bool mustSucceed) =>
        _nft.Enqueue(Nft(script)).ContinueWith(
            t => new Applied(what, mustSucceed, t.IsCompletedSuccessfully && t.Result.Succeeded ? null : Said(t)),
            TaskScheduler.Default).PipeTo(Self);

    private CommandSpec Nft(string script) => new(_settings.Nft, ["-f", "-"], script);

    private static string Said(Task<CommandResult> t) =>
        t.IsCompletedSuccessfully ? $"exit {t.Result.ExitCode}: {t.Result.Said}" : t.Exception?.GetBaseException().Message ?? "cancelled";

    private sealed record Applied(string What, bool MustSucceed, string? Failure);
}

/// <summary>
/// While it lives, its uplink's interface is in the NAT table's uplink set: it asks the table to add it on
/// start and to remove it in <see cref="PostStop"/>. When the table is recreated it asks again.
/// </summary>
public sealed class NatShareActor : ReceiveActor
{
    private readonly string _interface;
    private readonly IActorRef _table;

    public NatShareActor(string ifname, IActorRef table)
    {
        _interface = ifname;
        _table = table;
        Receive<NatTable.Created>(_ => _table.Tell(new NatTable.Share(_interface)));
    }

    public static Props Props(string ifname, IActorRef table) => Akka.Actor.Props.Create(() => new NatShareActor(ifname, table));

    protected override void PreStart() => _table.Tell(new NatTable.Share(_interface));

    protected override void PostStop() => _table.Tell(new NatTable.Unshare(_interface));
}

/// <summary>The protocol of <see cref="NatTableActor"/>.</summary>
public static class NatTable
{
    /// <summary>Add <paramref name="Interface"/> to the uplink set.</summary>
    public sealed record Share(string Interface);

    /// <summary>Remove <paramref name="Interface"/> from the uplink set.</summary>
    public sealed record Unshare(string Interface);

    /// <summary>To the parent (and from it to every NAT share): the table was (re)created, empty.</summary>
    public sealed record Created
    {
        public static readonly Created Instance = new();
    }
}
