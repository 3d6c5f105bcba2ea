using System.Net;
using System.Net.Sockets;
using ActorGateway.Core.Network;
using ActorGateway.Linux.Network;

namespace ActorGateway.Integration.Tests.Linux;

/// <summary>The interface-bound probes on the loopback interface (binding to a device needs root).</summary>
public sealed class InterfaceProberTests
{
    [RootFact]
    public async Task A_TCP_probe_should_count_an_accepted_connection_and_not_a_refused_one()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;
        int closed;
        using (var spare = new TcpListener(IPAddress.Loopback, 0))
        {
            spare.Start();
            closed = ((IPEndPoint)spare.LocalEndpoint).Port;
        }

        var prober = new InterfaceProber();
        var accepted = await prober.ProbeAsync("lo", ProbeTarget.Parse($"tcp:127.0.0.1:{open}"), TimeSpan.FromSeconds(2), CancellationToken.None);
        var refused = await prober.ProbeAsync("lo", ProbeTarget.Parse($"tcp:127.0.0.1:{closed}"), TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.True(accepted.Answered, accepted.Problem);
        Assert.False(refused.Answered, "a refusal may be an ICMP port unreachable from any router on the way: it proves nothing");
        Assert.Contains("ConnectionRefused", refused.Problem, StringComparison.Ordinal);
    }
}
