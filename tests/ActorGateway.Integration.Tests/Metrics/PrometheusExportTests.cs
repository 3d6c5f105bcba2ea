using System.Net;
using System.Net.Sockets;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Metrics;
using ActorGateway.Core.Io;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ActorGateway.Integration.Tests.Metrics;

/// <summary>
/// The gateway's instruments through the same OpenTelemetry Prometheus exporter the host uses, scraped over HTTP: names
/// and suffixes as Prometheus shows them, and gauges that follow the device as it changes state.
/// </summary>
public sealed class PrometheusExportTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Counters : IInterfaceCounters
    {
        public InterfaceBytes? Read(string interfaceName) => interfaceName == "ppp0" ? new InterfaceBytes(1000, 200) : null;
    }

    [Fact]
    public async Task Metrics_should_scrape_with_prometheus_names_and_follow_a_state_change()
    {
        var port = FreePort();
        using var metrics = new GatewayMetrics(new Counters(), "test");
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(GatewayMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
                o.ScrapeEndpointPath = "/metrics";
            })
            .Build();
        using var http = new HttpClient();
        var device = new DeviceStatus { Id = "dongle", Port = "/dev/ttyUSB0", State = DeviceState.Online, SignalDbm = -71 };
        var uplink = new Actors.Uplinks.UplinkStatus { Id = "ppp-dongle", Interface = "ppp0", Active = true };
        metrics.Update(new MetricsSample([device], [uplink], null));
        metrics.Connected("dongle");
        metrics.FailedOver("ppp-dongle", "backup");
        metrics.Restarted("device", "dongle");

        var first = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        Assert.Matches(@"actorgateway_device_state\{[^}]*device_id=""dongle""[^}]*state=""online""[^}]*\} 1", first);
        Assert.Matches(@"actorgateway_device_signal_dbm\{[^}]*device_id=""dongle""[^}]*\} -71", first);
        Assert.Matches(@"actorgateway_device_connects_total\{[^}]*device_id=""dongle""[^}]*\} 1", first);
        Assert.Matches(@"actorgateway_uplink_failovers_total\{[^}]*from=""ppp-dongle""[^}]*to=""backup""[^}]*\} 1", first);
        Assert.Matches(@"actorgateway_supervisor_restarts_total\{[^}]*id=""dongle""[^}]*kind=""device""[^}]*\} 1", first);
        Assert.Matches(@"actorgateway_uplink_traffic_bytes_total\{[^}]*direction=""rx""[^}]*\} 1000", first);
        Assert.Matches(@"actorgateway_uplink_active\{[^}]*uplink_id=""ppp-dongle""[^}]*\} 1", first);

        // The device falls back to retrying: the scrape shows that state, not both.
        metrics.Update(new MetricsSample([device with { State = DeviceState.Retrying }], [uplink], null));
        var second = string.Empty;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline && !second.Contains("retrying", StringComparison.Ordinal);)
        {
            await Task.Delay(100); // past the exporter's own response cache
            second = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        }

        Assert.Matches(@"actorgateway_device_state\{[^}]*state=""retrying""[^}]*\} 1", second);
        Assert.DoesNotMatch(@"actorgateway_device_state\{[^}]*state=""online""[^}]*\} 1", second);
    }
}
