using System.Diagnostics;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;
using ActorGateway.Host;

namespace ActorGateway.Integration.Tests.Host;

/// <summary>The network side of the <c>actorgateway</c> program: its configuration errors and its status table.</summary>
public sealed class UplinkCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("actorgateway.static-uplinks = [ { id = \"phone\", interface = \"usb0\", methd = \"dhcp\" } ]", "actorgateway.static-uplinks[0].methd", "unknown key")]
    [InlineData("actorgateway.health.targets = [\"one.one.one.one\"]", "actorgateway.health.targets", "not a probe target")]
    [InlineData("actorgateway.lan { interface = \"eth0\" }", "actorgateway.lan.dhcp", "needs lan.address")]
    public async Task Run_should_exit_2_naming_the_network_key_before_it_opens_anything(string config, string key, string problem)
    {
        var path = _dir.File("gateway.conf");
        await File.WriteAllTextAsync(path, $"actorgateway.control-socket = \"{_dir.File("never.sock")}\"\n{config}\n");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "actorgateway.dll"), "run", "--config", path })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"{path}: {key}: ", await stderr, StringComparison.Ordinal);
        Assert.Contains(problem, await stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("never.sock")));
    }

    [Fact]
    public void UplinkTable_should_say_which_uplink_is_active_why_and_since_when()
    {
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var status = new UplinksStatus("backup", "phone is down: carrier lost on usb0; backup carries the traffic", at.AddSeconds(-75), true, "eth0",
        [
            new UplinkStatus
            {
                Id = "phone", Interface = "usb0", Priority = 10, State = UplinkState.Waiting, Since = at.AddSeconds(-75),
                Detail = "no carrier on usb0", LastError = "carrier lost on usb0", LastErrorAt = at.AddSeconds(-75),
            },
            new UplinkStatus
            {
                Id = "backup", Interface = "usb1", Priority = 20, State = UplinkState.Up, Since = at.AddMinutes(-10), Active = true,
                Health = UplinkHealth.Up, HealthDetail = "3 probes answered in a row", Address = "192.168.43.50/24", Gateway = "192.168.43.1",
                Dns = ["192.168.43.1"], Metric = 101, Detail = "DHCP lease from 192.168.43.1", LastProbe = "icmp:1.1.1.1 answered in 23 ms",
            },
        ]);

        var text = UplinkTable.Render(status, at);

        Assert.Contains("UPLINK    INTERFACE  PRIO  STATE    SINCE   HEALTH  ADDRESS", text, StringComparison.Ordinal);
        Assert.Contains("backup *  usb1       20    up       10m00s  up      192.168.43.50/24  192.168.43.1  192.168.43.1  101", text, StringComparison.Ordinal);
        Assert.Contains("phone     usb0       10    waiting  1m15s   -       -", text, StringComparison.Ordinal);
        Assert.Contains("Active uplink: backup, for 1m15s: phone is down: carrier lost on usb0; backup carries the traffic", text, StringComparison.Ordinal);
        Assert.Contains("LAN eth0 is shared through NAT.", text, StringComparison.Ordinal);
        Assert.Contains("backup: last probe: icmp:1.1.1.1 answered in 23 ms", text, StringComparison.Ordinal);
        Assert.Contains("phone: last error (1m15s ago): carrier lost on usb0", text, StringComparison.Ordinal);
    }
}
