using ActorGateway.Actors.Settings;
using ActorGateway.Host.Service;

namespace ActorGateway.Integration.Tests.Host;

/// <summary>
/// The start-time check for ModemManager beside the gateway. Under the unit's bounded capabilities the gateway cannot read
/// ModemManager's <c>/proc/PID/fd</c>, so it reads udev's record of the port instead (udev's database is readable by
/// everyone): fixture sysfs and udev trees here, in the layout udevd writes (<c>/run/udev/data/c188:0</c>, <c>E:</c> lines).
/// </summary>
public sealed class NeighboursTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Sys => _dir.File("sys");

    private string Udev => _dir.File("udev");

    /// <summary>A tty ttyUSB0 (188:0), reached through a by-id link as users configure it, with udev's record.</summary>
    private string Port(string? udevRecord)
    {
        var node = _dir.File("dev/ttyUSB0");
        Directory.CreateDirectory(Path.GetDirectoryName(node)!);
        File.WriteAllText(node, string.Empty);
        var link = _dir.File("dev/serial/by-id/usb-HUAWEI_Mobile-if00-port0");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, node);
        Directory.CreateDirectory(Path.Combine(Sys, "class/tty/ttyUSB0"));
        File.WriteAllText(Path.Combine(Sys, "class/tty/ttyUSB0/dev"), "188:0\n");
        Directory.CreateDirectory(Udev);
        if (udevRecord is not null)
        {
            File.WriteAllText(Path.Combine(Udev, "c188:0"), udevRecord);
        }

        return link;
    }

    private List<string> Warnings(string port, bool modemManagerRuns = true, string? rule = null) =>
        [.. Neighbours.ModemManagerWarnings(
            GatewaySettings.Parse($$"""actorgateway.static-devices = [ { id = "dongle", port = "{{port}}", apn = "internet" } ]""", "my.conf"),
            rule ?? _dir.File("no-such-rule"), Sys, Udev, _ => modemManagerRuns)];

    [Fact]
    public void A_port_udev_marks_for_ModemManager_to_ignore_should_need_no_warning()
    {
        var port = Port("I:123456\nE:ID_VENDOR_ID=12d1\nE:ID_MM_DEVICE_IGNORE=1\nG:systemd\n");
        var rule = _dir.File("78-actorgateway.rules");
        File.WriteAllText(rule, string.Empty);

        Assert.True(Neighbours.IgnoredByModemManager(port, Sys, Udev));
        Assert.Empty(Warnings(port, rule: rule));
    }

    [Fact]
    public void A_port_ModemManager_may_take_should_be_named_with_the_fix()
    {
        var port = Port("I:123456\nE:ID_VENDOR_ID=12d1\nE:ID_MM_CANDIDATE=1\n");

        Assert.False(Neighbours.IgnoredByModemManager(port, Sys, Udev));
        var warning = Assert.Single(Warnings(port));
        Assert.Contains($"does not tell it to leave {port} alone", warning, StringComparison.Ordinal);
        Assert.Contains("ID_MM_DEVICE_IGNORE", warning, StringComparison.Ordinal);
        Assert.Contains("tools/install.sh", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_udev_record_the_missing_rule_should_be_the_warning()
    {
        var port = Port(udevRecord: null);

        Assert.Null(Neighbours.IgnoredByModemManager(port, Sys, Udev));
        var warning = Assert.Single(Warnings(port));
        Assert.Contains("no-such-rule is missing", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_should_be_said_when_ModemManager_does_not_run()
    {
        var port = Port("E:ID_MM_CANDIDATE=1\n");

        Assert.Empty(Warnings(port, modemManagerRuns: false));
    }
}
