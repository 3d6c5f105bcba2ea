using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;

namespace ActorGateway.Actors.Tests.Settings;

/// <summary>What a reload compares: settings by value all the way down (their records hold lists), entries matched by id.</summary>
public sealed class SettingsDiffSpec
{
    private const string Devices = """
        actorgateway.static-devices = [
          { id = "dongle", port = "/dev/ttyUSB0", profile = "huawei-e367", apn = "internet" }
          { id = "phone", port = "/dev/ttyACM0", profile = "nokia-c2-01", apn = "internet" }
        ]
        """;

    [Fact]
    public void Diff_should_find_nothing_changed_between_two_reads_of_the_same_file()
    {
        var a = GatewaySettings.Parse(Devices, "a").StaticDevices;
        var b = GatewaySettings.Parse(Devices, "b").StaticDevices;

        var diff = SettingsComparison.Diff(a, b, d => d.Id);

        Assert.True(diff.IsEmpty);
        Assert.Equal(["dongle", "phone"], diff.Unchanged.Select(d => d.Id));
        Assert.Same(a[0], diff.Unchanged[0]); // the running one is kept
    }

    [Fact]
    public void Diff_should_tell_added_removed_and_changed_apart()
    {
        var before = GatewaySettings.Parse(Devices, "a").StaticDevices;
        var after = GatewaySettings.Parse("""
            actorgateway.static-devices = [
              { id = "dongle", port = "/dev/ttyUSB0", profile = "huawei-e367", apn = "internet", init = ["AT+CMEE=2"] }
              { id = "stick", port = "/dev/ttyUSB3", apn = "internet" }
            ]
            """, "b").StaticDevices;

        var diff = SettingsComparison.Diff(before, after, d => d.Id);

        Assert.Equal(["stick"], diff.Added.Select(d => d.Id));
        Assert.Equal(["phone"], diff.Removed.Select(d => d.Id));
        var changed = Assert.Single(diff.Changed);
        Assert.Same(after[0], changed); // the new version, to start
        Assert.Empty(diff.Unchanged);
    }

    [Fact]
    public void Same_should_compare_lists_and_nested_records_by_value()
    {
        var a = UplinkSettings.Create(GatewaySettings.Parse("""actorgateway.health.targets = ["198.51.100.1", "198.51.100.2"]""", "a"));
        var b = UplinkSettings.Create(GatewaySettings.Parse("""actorgateway.health.targets = ["198.51.100.1", "198.51.100.2"]""", "b"));
        var c = UplinkSettings.Create(GatewaySettings.Parse("""actorgateway.health.targets = ["198.51.100.2", "198.51.100.1"]""", "c"));

        Assert.True(SettingsComparison.Same(a.Health, b.Health));
        Assert.False(SettingsComparison.Same(a.Health, c.Health)); // order is part of the meaning: targets are probed in turn
        Assert.True(SettingsComparison.Same(new[] { 1, 2 }, new List<int> { 1, 2 }.ToArray()));
        Assert.False(SettingsComparison.Same(null, Array.Empty<int>()));
        Assert.True(SettingsComparison.Same(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1000)));
    }
}
