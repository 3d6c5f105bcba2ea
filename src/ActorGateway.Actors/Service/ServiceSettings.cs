using ActorGateway.Actors.Settings;

namespace ActorGateway.Actors.Service;

/// <summary>Running as a systemd service (<c>actorgateway.service</c>): how the watchdog judges the actor system.</summary>
/// <param name="LivenessTimeout">
/// How long the gateway supervisor and the uplink manager have to answer the watchdog's question; it is capped at half
/// the unit's <c>WatchdogSec=</c>, so that a missed answer always costs a ping.
/// </param>
public sealed record ServiceSettings(TimeSpan LivenessTimeout)
{
    /// <summary>Reads <c>actorgateway.service</c>.</summary>
    public static ServiceSettings Create(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var root = new ConfigReader(settings.Root, settings.Source, GatewaySettings.Section);
        if (root.Object("service") is not { } r)
        {
            return new ServiceSettings(TimeSpan.FromSeconds(5));
        }

        r.RejectUnknown(["liveness-timeout"]);
        return new ServiceSettings(r.Duration("liveness-timeout", TimeSpan.FromSeconds(5)));
    }
}
