using System.Globalization;
using System.Net;
using ActorGateway.Actors.Settings;

namespace ActorGateway.Actors.Metrics;

/// <summary>The metrics endpoint (<c>actorgateway.metrics</c>): off by default, on the loopback address when on.</summary>
/// <param name="Enabled">Serve metrics.</param>
/// <param name="Address">The address to listen on.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="Path">The scrape path.</param>
/// <param name="Interval">How often the devices', uplinks' and supply's state is sampled.</param>
public sealed record MetricsSettings(bool Enabled, IPAddress Address, int Port, string Path, TimeSpan Interval)
{
    /// <summary>Reads <c>actorgateway.metrics</c>.</summary>
    public static MetricsSettings Create(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var root = new ConfigReader(settings.Root, settings.Source, GatewaySettings.Section);
        var defaults = new MetricsSettings(false, IPAddress.Loopback, 9464, "/metrics", TimeSpan.FromSeconds(5));
        if (root.Object("metrics") is not { } r)
        {
            return defaults;
        }

        r.RejectUnknown(["enabled", "listen", "path", "interval"]);
        var listen = r.String("listen", "127.0.0.1:9464");
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(listen[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(listen[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw r.Error("listen", $"\"{listen}\" is not ADDRESS:PORT, e.g. 127.0.0.1:9464 (an IP address, not a name)");
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            // The exporter's HttpListener takes a host name and refuses the wildcard ("The request is not supported").
            throw r.Error("listen", $"\"{listen}\": the metrics endpoint cannot listen on every address; name one address of this machine, e.g. the LAN's");
        }

        var path = r.String("path", defaults.Path);
        if (!path.StartsWith('/') || path.Any(char.IsWhiteSpace))
        {
            throw r.Error("path", $"must start with / and hold no blanks, got \"{path}\"");
        }

        return new MetricsSettings(r.Bool("enabled", defaults.Enabled), address, port, path, r.Duration("interval", defaults.Interval));
    }

    /// <summary>The address as a URL's host: <c>127.0.0.1</c>, <c>[::1]</c>.</summary>
    public string HostText => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();

    /// <summary>The HTTP prefix the listener takes, e.g. <c>http://127.0.0.1:9464/</c>.</summary>
    public string UriPrefix => $"http://{HostText}:{Port.ToString(CultureInfo.InvariantCulture)}/";
}
