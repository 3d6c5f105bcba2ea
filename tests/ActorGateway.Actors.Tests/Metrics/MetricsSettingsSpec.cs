using System.Net;
using ActorGateway.Actors.Metrics;
using ActorGateway.Actors.Settings;

namespace ActorGateway.Actors.Tests.Metrics;

public sealed class MetricsSettingsSpec
{
    private static MetricsSettings Read(string hocon) => MetricsSettings.Create(GatewaySettings.Parse(hocon, "my.conf"));

    [Fact]
    public void Metrics_should_be_off_and_on_loopback_by_default()
    {
        var s = Read("");
        Assert.False(s.Enabled);
        Assert.Equal((IPAddress.Loopback, 9464, "/metrics"), (s.Address, s.Port, s.Path));
        Assert.Equal("http://127.0.0.1:9464/", s.UriPrefix);
    }

    [Fact]
    public void A_named_address_should_be_taken()
    {
        var s = Read("""actorgateway.metrics { enabled = on, listen = "192.168.50.1:9100" }""");
        Assert.Equal((true, IPAddress.Parse("192.168.50.1"), 9100), (s.Enabled, s.Address, s.Port));
    }

    [Theory]
    [InlineData("0.0.0.0:9464", "cannot listen on every address")]
    [InlineData("[::]:9464", "cannot listen on every address")]
    [InlineData("localhost:9464", "not ADDRESS:PORT")]
    [InlineData("127.0.0.1:99999", "not ADDRESS:PORT")]
    public void A_listen_address_the_listener_cannot_take_should_be_refused_naming_the_key(string listen, string why)
    {
        var e = Assert.Throws<GatewayConfigException>(() => Read($$"""actorgateway.metrics { enabled = on, listen = "{{listen}}" }"""));
        Assert.Contains("actorgateway.metrics.listen", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
