using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Linux.Processes;
using Microsoft.Extensions.Hosting;

namespace ActorGateway.Host.Service;

/// <summary>Says at start, once, when ModemManager or NetworkManager holds a device the gateway is configured to use (<see cref="Neighbours"/>).</summary>
public sealed class NeighbourCheck(GatewaySettings settings, UplinkSettings uplinks, Serilog.ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var warning in Neighbours.ModemManagerWarnings(settings))
        {
            logger.Warning("{Warning}", warning);
        }

        foreach (var warning in await Neighbours.NetworkManagerWarningsAsync(uplinks, new LinuxCommandRunner()).ConfigureAwait(false))
        {
            logger.Warning("{Warning}", warning);
        }
    }
}
