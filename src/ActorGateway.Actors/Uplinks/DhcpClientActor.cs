using ActorGateway.Core.Io;
using ActorGateway.Core.Network;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// Owns one udhcpc on a tethering interface. udhcpc keeps the lease (renewing it at T1, rebinding at T2,
/// RFC 2131 §4.4.5); its hook script reports each event as one line, which this actor parses and hands to
/// its parent, the uplink, which applies it. udhcpc's exit is a <see cref="DhcpClientException"/>: the lease
/// counts as lost. <see cref="PostStop"/> ends udhcpc (SIGTERM: with <c>-R</c> it sends DHCPRELEASE first).
/// </summary>
public sealed class DhcpClientActor : ReceiveActor
{
    private const int KeptLines = 10;
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(3);

    private readonly string _uplinkId;
    private readonly ProcessSpec _spec;
    private readonly NetworkDependencies _deps;
    private readonly OwnedProcess _process;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<string> _lastLines = new();

    public DhcpClientActor(string uplinkId, ProcessSpec spec, NetworkDependencies deps)
    {
        _uplinkId = uplinkId;
        _spec = spec;
        _deps = deps;
        _process = new OwnedProcess(deps.Processes, spec, deps.Clock);

        Receive<OwnedProcess.Started>(m => _log.Info("{UplinkId}: udhcpc started (pid {Pid}): {Spec}", _uplinkId, m.Pid, _spec));
        Receive<OwnedProcess.StartFailed>(m =>
            throw new DhcpClientException($"cannot start {_spec.Program}: {m.Cause.Message}", [], m.Cause));
        Receive<OwnedProcess.Line>(m =>
        {
            _lastLines.Enqueue(m.Text);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }

            switch (Udhcpc.ParseLine(m.Text))
            {
                case null:
                    _log.Debug("{UplinkId}: udhcpc: {Text}", _uplinkId, m.Text);
                    break;
                case DhcpHookEvent.Malformed bad:
                    // From the DHCP server, so never applied; the lease stays as it was.
                    _log.Warning("{UplinkId}: udhcpc reported a lease the gateway cannot use: {Problem}", _uplinkId, bad.Problem);
                    break;
                case var e:
                    Context.Parent.Tell(new DhcpClient.Reported(e));
                    break;
            }
        });
        Receive<OwnedProcess.Exited>(m =>
            throw new DhcpClientException($"udhcpc exited with status {m.Code}", [.. _lastLines]));
    }

    public static Props Props(string uplinkId, ProcessSpec spec, NetworkDependencies deps) =>
        Akka.Actor.Props.Create(() => new DhcpClientActor(uplinkId, spec, deps));

    protected override void PreStart() => _process.Start(Self);

    protected override void PostStop() => _deps.Releases.Track(_process.StopAsync(KillAfter));
}

/// <summary>The protocol of <see cref="DhcpClientActor"/>.</summary>
public static class DhcpClient
{
    /// <summary>To the parent: udhcpc's hook reported <paramref name="Event"/>.</summary>
    public sealed record Reported(DhcpHookEvent Event);
}
