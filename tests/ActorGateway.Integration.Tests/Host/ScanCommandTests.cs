using System.Diagnostics;
using System.Text.Json;
using ActorGateway.Host;
using ActorGateway.Host.Control;
using ActorGateway.TestFixtures;

namespace ActorGateway.Integration.Tests.Host;

/// <summary><c>actorgateway scan</c>, started as a separate process, on the fixture trees of the seed guide's devices.</summary>
public sealed class ScanCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "actorgateway.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Scan_should_show_each_seed_device_and_what_the_gateway_would_do_with_it()
    {
        var (code, text, err) = await RunAsync("scan", "--sysfs-root", SysfsFixture.Scenario("rpi1b-seed"));

        Assert.True(code == 0, err);
        Assert.Contains("Bus 001 Device 004: ID 0421:054b Nokia Nokia C2-01  [1-1.2]", text, StringComparison.Ordinal);
        Assert.Contains("AT first:   /dev/ttyACM0", text, StringComparison.Ordinal);
        Assert.Contains("Bus 001 Device 007: ID 1004:61da LGE LG-P500  [1-1.3]", text, StringComparison.Ordinal);
        Assert.Contains("would:      hand usb0 (rndis_host) to the tethering path", text, StringComparison.Ordinal);
        Assert.Contains("ignored: a network adapter (eth0 on smsc95xx)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_should_show_the_modeswitch_entry_and_command_for_the_storage_stick()
    {
        var (code, text, _) = await RunAsync("scan", "--sysfs-root", SysfsFixture.Scenario("rpi1b-huawei-e367-storage"));

        Assert.Equal(0, code);
        Assert.Contains("modeswitch: 12d1:1446 (configPack.tar.gz): HuaweiNewMode", text, StringComparison.Ordinal);
        Assert.Contains("command:    /usr/sbin/usb_modeswitch -W -D -b 1 -g 4 -v 12d1 -p 1446 -f '# Huawei", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_should_give_JSON_with_the_AT_port_first_and_the_data_port_of_the_switched_stick()
    {
        var config = _dir.File("gateway.conf");
        File.WriteAllText(config, """
            actorgateway.devices = [ { match = { usb-id = "12d1:1506" }, id = "dongle", apn = "internet" } ]
            actorgateway.usb.dev-directory = "/dev/serial"
            """);

        var (code, json, err) = await RunAsync("scan", "--json", "--config", config, "--sysfs-root", SysfsFixture.Scenario("rpi1b-huawei-e367-modem"));

        Assert.True(code == 0, err);
        var report = JsonSerializer.Deserialize<UsbScanReport>(json, ControlJson.Options)!;
        Assert.True(report.UsbBus);
        var huawei = report.Devices.Single(d => d.Id == "12d1:1506");
        Assert.Equal("modem", huawei.Role);
        Assert.Equal("/dev/serial/ttyUSB2", huawei.AtPortFirst);
        Assert.Equal("/dev/serial/ttyUSB0", huawei.DataPort);
        Assert.Equal(["ff/02/01", "ff/02/03", "ff/02/02"], huawei.Interfaces.Select(i => i.Class));
        Assert.StartsWith("actorgateway.devices[0]", huawei.DeviceRule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_should_say_when_the_machine_has_no_USB_bus()
    {
        var (code, text, _) = await RunAsync("scan", "--sysfs-root", _dir.Path);

        Assert.Equal(0, code);
        Assert.Contains("no USB bus", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_should_exit_2_naming_file_and_key_for_a_bad_usb_key()
    {
        var config = _dir.File("gateway.conf");
        File.WriteAllText(config, "actorgateway.usb.probe.tires = 3");

        var (code, _, err) = await RunAsync("scan", "--config", config);

        Assert.Equal(2, code);
        Assert.Contains($"{config}: actorgateway.usb.probe.tires: unknown key", err, StringComparison.Ordinal);
    }
}
