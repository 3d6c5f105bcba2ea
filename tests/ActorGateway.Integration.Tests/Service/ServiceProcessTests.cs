using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorGateway.Integration.Tests.Linux;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;

namespace ActorGateway.Integration.Tests.Service;

/// <summary>
/// The real <c>actorgateway run</c> process as systemd runs it (<c>Type=notify</c>, <c>WatchdogSec=</c>): the test is the
/// service manager, with a datagram socket in <c>$NOTIFY_SOCKET</c> and <c>$WATCHDOG_USEC</c> set; it also reloads the
/// gateway through <c>actorgateway reload</c>, scrapes its metrics endpoint and stops it with SIGTERM.
/// </summary>
public sealed class ServiceProcessTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Config(string modemPath, string apn, int metricsPort, string extra = "") => $$"""
        actorgateway {
          control-socket = "{{_dir.File("control.sock")}}"
          state-directory = "{{_dir.File("state")}}"
          runtime-directory = "{{_dir.File("run")}}"
          usb.enabled = off
          uplinks.enabled = off
          metrics { enabled = on, listen = "127.0.0.1:{{metricsPort}}", interval = 200ms }
          defaults {
            modem-control-lines = off
            timeouts { probe = 300ms, probe-tries = 2, boot = 1s, registration-poll = 200ms }
          }
          static-devices = [ { id = "phone", port = "{{modemPath}}", profile = "nokia-c2-01", apn = "{{apn}}" } ]
          {{extra}}
        }
        """;

    private static ProcessStartInfo Program(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "actorgateway.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Program(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Notifications as they arrive, until one matches <paramref name="until"/> (or the deadline passes).</summary>
    private static List<string> ReadUntil(Socket manager, Func<string, bool> until, List<string> all)
    {
        var deadline = DateTime.UtcNow + Within;
        var buffer = new byte[4096];
        while (DateTime.UtcNow < deadline)
        {
            int n;
            try
            {
                n = manager.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
                continue;
            }

            var message = Encoding.UTF8.GetString(buffer, 0, n);
            all.Add(message);
            if (until(message))
            {
                return all;
            }
        }

        throw new Xunit.Sdk.XunitException($"not seen within {Within}; notifications so far:\n{string.Join("\n--\n", all)}");
    }

    private static async Task<string> ScrapeUntilAsync(string url, Func<string, bool> until)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + Within;
        var text = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                text = await http.GetStringAsync(url);
                if (until(text))
                {
                    return text;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"{url} never showed what was expected; last scrape:\n{text}");
    }

    [Fact]
    public async Task Run_should_notify_ready_pet_the_watchdog_reload_serve_metrics_and_say_stopping_on_SIGTERM()
    {
        using var nokia = new ModemSimulator(NokiaC2_01.Profile, SimCard.ForProfile(NokiaC2_01.Profile),
            new ModemFaults { Registration = RegistrationOutcome.NeverRegisters }, TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        var modem = ptys.PathOf(nokia.AtPort);
        var port = FreePort();
        var config = _dir.File("gateway.conf");
        await File.WriteAllTextAsync(config, Config(modem, "internet", port));
        var notifySocket = _dir.File("notify");
        using var manager = SystemdNotifierTests.Listen(notifySocket);
        manager.ReceiveTimeout = 500;

        var info = Program("run", "--config", config, "--log-format", "console");
        info.Environment["NOTIFY_SOCKET"] = notifySocket;
        info.Environment["WATCHDOG_USEC"] = "2000000"; // WatchdogSec=2: pets about every half second
        info.Environment.Remove("WATCHDOG_PID");
        using var gateway = Process.Start(info)!;
        var stderr = gateway.StandardError.ReadToEndAsync();
        var stdout = gateway.StandardOutput.ReadToEndAsync();
        var seen = new List<string>();
        try
        {
            // READY once the actor system is up, then the watchdog's pets keep coming.
            ReadUntil(manager, m => m.StartsWith("READY=1\nSTATUS=running: 1 configured device(s)", StringComparison.Ordinal), seen);
            var ready = seen.Count - 1;
            ReadUntil(manager, m => m == "WATCHDOG=1", seen);
            ReadUntil(manager, m => m == "WATCHDOG=1", seen);

            // Metrics in Prometheus text: the device's gauges and counters under OpenTelemetry's naming.
            var metrics = await ScrapeUntilAsync($"http://127.0.0.1:{port}/metrics",
                t => t.Contains("actorgateway_device_state{", StringComparison.Ordinal) && t.Contains("state=\"registering\"", StringComparison.Ordinal));
            Assert.Contains("# TYPE actorgateway_device_connects_total counter", metrics, StringComparison.Ordinal);
            Assert.Matches(@"actorgateway_device_connects_total\{[^}]*device_id=""phone""[^}]*\} 0", metrics);
            Assert.Matches(@"actorgateway_device_state\{[^}]*device_id=""phone""[^}]*state=""registering""[^}]*\} 1", metrics);
            Assert.Contains("# TYPE actorgateway_device_state gauge", metrics, StringComparison.Ordinal);
            Assert.DoesNotContain("actorgateway_power_", metrics, StringComparison.Ordinal); // not a Pi: nothing about power

            // A bad file is refused, naming the key, and the gateway keeps its configuration.
            await File.WriteAllTextAsync(config, Config(modem, "internet", port, "static-devicez = []"));
            var refused = await RunAsync("reload", "--socket", _dir.File("control.sock"));
            Assert.True(refused.Code == 2, $"exit {refused.Code}: {refused.Err}");
            Assert.Contains($"{config}: actorgateway.static-devicez: unknown key", refused.Err, StringComparison.Ordinal);
            Assert.Contains("keeps running with its previous configuration", refused.Err, StringComparison.Ordinal);
            ReadUntil(manager, m => m.StartsWith("RELOADING=1\nMONOTONIC_USEC=", StringComparison.Ordinal), seen);
            ReadUntil(manager, m => m.StartsWith("READY=1\nSTATUS=reload refused", StringComparison.Ordinal), seen);

            // A good one restarts the changed device only.
            await File.WriteAllTextAsync(config, Config(modem, "web.example", port));
            var reloaded = await RunAsync("reload", "--socket", _dir.File("control.sock"));
            Assert.Equal(0, reloaded.Code);
            Assert.Contains("restarted: device phone", reloaded.Out, StringComparison.Ordinal);
            ReadUntil(manager, m => m.StartsWith("READY=1\nSTATUS=reloaded: 1 restarted", StringComparison.Ordinal), seen);
            ReadUntil(manager, m => m == "WATCHDOG=1", seen);

            // SIGHUP (systemctl reload) reloads too; nothing changed this time, and the gateway runs on.
            await SignalAsync(gateway, "HUP");
            ReadUntil(manager, m => m.StartsWith("RELOADING=1\nMONOTONIC_USEC=", StringComparison.Ordinal), seen);
            ReadUntil(manager, m => m.StartsWith("READY=1\nSTATUS=reloaded: 0 restarted, 0 added, 0 removed", StringComparison.Ordinal), seen);
            ReadUntil(manager, m => m == "WATCHDOG=1", seen);
            Assert.False(gateway.HasExited);

            // SIGTERM: STOPPING, then a clean exit.
            await SignalAsync(gateway, "TERM");
            ReadUntil(manager, m => m.StartsWith("STOPPING=1", StringComparison.Ordinal), seen);
            using var timeout = new CancellationTokenSource(Within);
            await gateway.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, gateway.ExitCode);
            Assert.DoesNotContain(seen.Take(ready), m => m.StartsWith("STOPPING", StringComparison.Ordinal));
        }
        catch (Exception) when (!gateway.HasExited)
        {
            gateway.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill(entireProcessTree: true);
            }

            await gateway.WaitForExitAsync();
        }

        var log = await stderr + await stdout;
        Assert.Contains("Watchdog: systemd expects a ping every 2 s", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_should_stay_silent_towards_systemd_without_a_notify_socket()
    {
        var port = FreePort();
        var config = _dir.File("gateway.conf");
        await File.WriteAllTextAsync(config, Config("/dev/ttyNOPE0", "internet", port).Replace(
            "static-devices = [ { id = \"phone\", port = \"/dev/ttyNOPE0\", profile = \"nokia-c2-01\", apn = \"internet\" } ]", "static-devices = []", StringComparison.Ordinal));
        var info = Program("run", "--config", config, "--log-format", "console");
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment["WATCHDOG_USEC"] = "2000000";
        using var gateway = Process.Start(info)!;
        var stderr = gateway.StandardError.ReadToEndAsync();
        try
        {
            // Started once the control socket listens (the host handles SIGTERM by then); metrics answer too.
            var deadline = DateTime.UtcNow + Within;
            while (!File.Exists(_dir.File("control.sock")) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            await ScrapeUntilAsync($"http://127.0.0.1:{port}/metrics", t => t.Contains("target_info", StringComparison.Ordinal));
        }
        finally
        {
            await SignalAsync(gateway, "TERM");
            using var timeout = new CancellationTokenSource(Within);
            await gateway.WaitForExitAsync(timeout.Token);
        }

        Assert.Equal(0, gateway.ExitCode);
        Assert.DoesNotContain("Watchdog:", await stderr, StringComparison.Ordinal); // nobody to pet: no watchdog actor
    }
}
