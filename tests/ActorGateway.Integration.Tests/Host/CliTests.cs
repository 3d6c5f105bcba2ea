using System.Diagnostics;
using System.Text.Json;
using ActorGateway.Actors.Devices;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;

namespace ActorGateway.Integration.Tests.Host;

/// <summary>The <c>actorgateway</c> program itself, started as a separate process.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "actorgateway.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(program);
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

    private string WriteConfig(string text)
    {
        var path = _dir.File("gateway.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Run_should_exit_2_naming_file_and_key_for_a_misspelled_key()
    {
        var path = WriteConfig("""
            actorgateway.control-socket = "/tmp/ag-never-created.sock"
            actorgateway.static-devices = [ { id = "dongle", port = "/dev/ttyUSB0", pinn = "1234" } ]
            """);

        var (code, _, err) = await RunAsync("run", "--config", path);

        Assert.Equal(2, code);
        Assert.Contains(path, err, StringComparison.Ordinal);
        Assert.Contains("actorgateway.static-devices[0].pinn", err, StringComparison.Ordinal);
        Assert.Contains("unknown key", err, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/ag-never-created.sock"));
    }

    [Theory]
    [InlineData("actorgateway.static-devices = [ { id = \"d\", port = \"/dev/ttyUSB0\", baud = fast } ]", "actorgateway.static-devices[0].baud", "whole number")]
    [InlineData("actorgateway.static-devices = [ { id = \"d\", port = \"ttyUSB0\" } ]", "actorgateway.static-devices[0].port", "absolute path")]
    [InlineData("actorgateway.defaults.flow-control = sideways", "actorgateway.defaults.flow-control", "none, rts-cts, xon-xoff, both")]
    [InlineData("actorgateway.defaults.timeouts.dial = soon", "actorgateway.defaults.timeouts.dial", "duration")]
    [InlineData("actorgateway { static-devices = [ ", "(syntax)", "'[' is never closed")]
    [InlineData("actorgateway.defaults.apn = \"internet\nactorgateway.defaults.pin = 1", "(syntax)", "line 1, column 29: a string is not closed on its line")]
    [InlineData("actorgateway.defaults { apn = }", "(syntax)", "a key has no value")]
    public async Task Run_should_exit_2_with_what_was_wrong(string config, string key, string problem)
    {
        var path = WriteConfig(config);

        var (code, _, err) = await RunAsync("run", "--config", path);

        Assert.Equal(2, code);
        Assert.Contains($"{path}: {key}", err, StringComparison.Ordinal);
        Assert.Contains(problem, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_not_repeat_a_malformed_PIN_in_its_error()
    {
        var path = WriteConfig("actorgateway.static-devices = [ { id = \"d\", port = \"/dev/ttyUSB0\", pin = \"12a4\" } ]");

        var (code, _, err) = await RunAsync("run", "--config", path);

        Assert.Equal(2, code);
        Assert.Contains("actorgateway.static-devices[0].pin", err, StringComparison.Ordinal);
        Assert.DoesNotContain("12a4", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_exit_2_for_a_missing_config_file()
    {
        var (code, _, err) = await RunAsync("run", "--config", _dir.File("nope.conf"));

        Assert.Equal(2, code);
        Assert.Contains("nope.conf", err, StringComparison.Ordinal);
        Assert.Contains("cannot read", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_exit_2_when_the_state_directory_is_not_writable()
    {
        var path = WriteConfig("""
            actorgateway.state-directory = "/proc/actorgateway-state"
            """);

        var (code, _, err) = await RunAsync("run", "--config", path);

        Assert.Equal(2, code);
        Assert.Contains("actorgateway.state-directory: /proc/actorgateway-state is not writable", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_refuse_to_start_beside_a_running_gateway()
    {
        var run = _dir.File("run");
        var path = WriteConfig($$"""
            actorgateway {
              control-socket = "{{_dir.File("control.sock")}}"
              state-directory = "{{_dir.File("state")}}"
              runtime-directory = "{{run}}"
              usb.enabled = off
            }
            """);
        Directory.CreateDirectory(run);
        // What the first gateway holds while it runs (an exclusive flock, as .NET takes for FileShare.None).
        using var first = new FileStream(Path.Combine(run, "actorgateway.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var (code, _, err) = await RunAsync("run", "--config", path);

        Assert.Equal(1, code);
        Assert.Contains("another gateway is running", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_should_say_when_no_gateway_runs()
    {
        var (code, _, err) = await RunAsync("status", "--socket", _dir.File("none.sock"));

        Assert.Equal(1, code);
        Assert.Contains("no gateway is running", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_and_at_should_talk_to_a_running_gateway()
    {
        using var nokia = new ModemSimulator(NokiaC2_01.Profile, SimCard.ForProfile(NokiaC2_01.Profile),
            new ModemFaults { Registration = RegistrationOutcome.NeverRegisters }, TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        var socket = _dir.File("control.sock");
        await using var gateway = await RunningGateway.StartAsync($$"""
            actorgateway {
              control-socket = "{{socket}}"
              state-directory = "{{_dir.File("state")}}"
              runtime-directory = "{{_dir.File("run")}}"
              static-devices = [ { id = "nokia", port = "{{ptys.PathOf(nokia.AtPort)}}", profile = "nokia-c2-01", modem-control-lines = off } ]
            }
            """);
        await gateway.WaitForAsync("nokia", s => s.State == DeviceState.Registering, TimeSpan.FromSeconds(30), "registering");

        var (code, stdout, err) = await RunAsync("at", "nokia", "AT+CSQ", "--socket", socket);
        Assert.True(code == 0, err);
        Assert.StartsWith("+CSQ: ", stdout, StringComparison.Ordinal);
        Assert.EndsWith("OK", stdout.TrimEnd(), StringComparison.Ordinal);
        // It went through the gateway's own AT channel: the simulator saw it on the one open port.
        Assert.Contains(nokia.CommandLog, e => e.Line == "AT+CSQ");

        (code, stdout, err) = await RunAsync("at", "nokia", "AT+NOSUCH", "--socket", socket);
        Assert.Equal(1, code);
        Assert.Contains("ERROR", stdout, StringComparison.Ordinal);

        (code, _, err) = await RunAsync("at", "nokia", "ATD*99#", "--socket", socket);
        Assert.Equal(1, code);
        Assert.Contains("the gateway dials by itself", err, StringComparison.Ordinal);
        Assert.DoesNotContain(nokia.CommandLog, e => e.Line.StartsWith("ATD", StringComparison.Ordinal));

        (code, stdout, err) = await RunAsync("at", "phone", "AT", "--socket", socket);
        Assert.Equal(1, code);
        Assert.Contains("no device \"phone\"", err + stdout, StringComparison.Ordinal);

        (code, stdout, err) = await RunAsync("status", "--json", "--socket", socket);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(stdout);
        var device = json.RootElement.GetProperty("devices")[0];
        Assert.Equal("nokia", device.GetProperty("id").GetString());
        Assert.Equal("registering", device.GetProperty("state").GetString());
        Assert.Equal("Nokia C2-01", device.GetProperty("model").GetString());

        (code, stdout, err) = await RunAsync("status", "--socket", socket);
        Assert.True(code == 0, err);
        Assert.Contains("DEVICE", stdout, StringComparison.Ordinal);
        Assert.Contains("nokia", stdout, StringComparison.Ordinal);
        Assert.Contains("registering", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_should_bring_both_simulated_devices_to_CONNECT_and_hand_over()
    {
        var (code, _, err) = await RunAsync("demo", "--dir", _dir.File("demo"), "--exit-after", "12");

        Assert.True(code == 0, err);
        Assert.Contains("huawei: PIN accepted", err, StringComparison.Ordinal);
        Assert.Contains("huawei: CONNECT", err, StringComparison.Ordinal);
        Assert.Contains("nokia: CONNECT", err, StringComparison.Ordinal);
        Assert.Contains("huawei: starting /usr/sbin/pppd", err, StringComparison.Ordinal);
        Assert.Contains("nokia: starting /usr/sbin/pppd", err, StringComparison.Ordinal);
        Assert.DoesNotContain("CPIN=\"1234\"", err, StringComparison.Ordinal);
        Assert.Contains("AT+CPIN=****", err, StringComparison.Ordinal);
        if (!File.Exists("/dev/ppp"))
        {
            Assert.Contains("This kernel has no PPP support", err, StringComparison.Ordinal);
        }
    }
}
