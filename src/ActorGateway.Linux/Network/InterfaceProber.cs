using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorGateway.Core.Network;
using ActorGateway.Linux.Native;

namespace ActorGateway.Linux.Network;

/// <summary>
/// Probes bound to one interface with SO_BINDTODEVICE (socket(7)): the kernel routes the probe through that
/// interface's own default route and takes answers only from it, so a probe of the standby uplink never
/// leaks out of the active one, and a dead uplink never looks alive because another one answered.
/// ICMP uses an unprivileged datagram ICMP socket when net.ipv4.ping_group_range allows it (the kernel then
/// picks the identifier and hands each socket its own replies), else a raw one (root).
/// </summary>
public sealed class InterfaceProber : IUplinkProber
{
    // No payload: 28 bytes each way (IP and ICMP headers), because on a metered SIM every probe is paid for.
    private static readonly byte[] Payload = [];
    private int _sequence = Random.Shared.Next(ushort.MaxValue);
    private volatile bool _rawIcmp;

    /// <inheritdoc />
    public async Task<ProbeResult> ProbeAsync(string ifname, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        InterfaceName.Require(ifname);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            switch (target.Method)
            {
                case ProbeMethod.Icmp:
                    await IcmpAsync(ifname, target.Address, deadline.Token).ConfigureAwait(false);
                    break;
                case ProbeMethod.Tcp:
                    await TcpAsync(ifname, target, deadline.Token).ConfigureAwait(false);
                    break;
                default:
                    await DnsAsync(ifname, target, deadline.Token).ConfigureAwait(false);
                    break;
            }

            return new ProbeResult(true, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.TimedOut;
        }
        catch (SocketException e)
        {
            return new ProbeResult(false, clock.Elapsed, $"{e.SocketErrorCode}: {e.Message}");
        }
    }

    private async Task IcmpAsync(string ifname, IPAddress address, CancellationToken cancellationToken)
    {
        var sequence = (ushort)Interlocked.Increment(ref _sequence);
        var identifier = (ushort)Random.Shared.Next(1, ushort.MaxValue);
        using var socket = OpenIcmp();
        var raw = socket.SocketType == SocketType.Raw;
        NetNative.BindToDevice(socket, ifname);
        await socket.SendToAsync(IcmpEcho.Request(identifier, sequence, Payload), SocketFlags.None, new IPEndPoint(address, 0), cancellationToken)
            .ConfigureAwait(false);
        var buffer = new byte[1500];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (raw)
            {
                // A raw socket sees every ICMP message arriving on the interface, with its IP header.
                var icmp = IcmpEcho.WithoutIpHeader(buffer.AsSpan(0, n), out var source);
                if (address.Equals(source) && IcmpEcho.IsReplyTo(icmp, identifier, sequence))
                {
                    return;
                }
            }
            else if (IcmpEcho.IsReplyTo(buffer.AsSpan(0, n), null, sequence))
            {
                return;
            }
        }
    }

    private Socket OpenIcmp()
    {
        if (!_rawIcmp)
        {
            try
            {
                return new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Icmp);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AccessDenied or SocketError.ProtocolNotSupported or SocketError.SocketNotSupported)
            {
                _rawIcmp = true; // ping_group_range leaves us out ("1 0" by default in a new namespace)
            }
        }

        return new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
    }

    private static async Task TcpAsync(string ifname, ProbeTarget target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        NetNative.BindToDevice(socket, ifname);

        // Only an accepted connection counts. A refused one is a RST from the target, or just as well an ICMP port
        // unreachable from any router on the way (the kernel reports both as ECONNREFUSED): the dead carrier's own
        // gateway would make the uplink look healthy. Probe an open port.
        await socket.ConnectAsync(new IPEndPoint(target.Address, target.Port), cancellationToken).ConfigureAwait(false);
    }

    private static async Task DnsAsync(string ifname, ProbeTarget target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        NetNative.BindToDevice(socket, ifname);
        var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        var server = new IPEndPoint(target.Address, target.Port);
        socket.Connect(server); // only the server's datagrams are delivered
        await socket.SendAsync(DnsProbe.Query(id), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1500];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (DnsProbe.IsResponseTo(buffer.AsSpan(0, n), id))
            {
                return;
            }
        }
    }
}
