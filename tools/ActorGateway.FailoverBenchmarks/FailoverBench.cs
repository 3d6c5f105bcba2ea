using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;
using ActorGateway.Host.Control;
using ActorGateway.Simulation.Network;

namespace ActorGateway.FailoverBenchmarks;

/// <summary>What to measure with: runs, the gateway's health settings, the hold time and the LAN's ping pace.</summary>
public sealed record BenchOptions(int Runs, string Interval, string Timeout, int Down, int Up, string Hold, TimeSpan StreamInterval, bool Verbose);

/// <summary>
/// Measures failover as a LAN host sees it. In network namespaces (<see cref="TetheringLab"/>): two simulated
/// phones (the preferred "phone" on usb0, the "backup" on usb1), the real <c>actorgateway run</c> in the gateway's
/// namespace, and a LAN host pinging the internet address every 10 ms through the gateway's NAT. Each run fails
/// the phone three ways — its link goes down (carrier lost), it is unplugged (its namespace deleted), and it fails
/// silently (its upstream drops everything while the link stays up) — and brings it back; the figure is the
/// longest time the LAN's stream went without a reply, from the failure until the stream flows through the backup,
/// and again around the failback.
/// </summary>
public static class FailoverBench
{
    private const string Phone = "phone";
    private const string Backup = "backup";

    public static async Task<int> RunAsync(BenchOptions o, TextWriter output, CancellationToken cancellationToken)
    {
        if (!NetworkLab.CanRun)
        {
            output.WriteLine("This benchmark builds network namespaces: run it as root (sudo).");
            return 2;
        }

        if (new[] { "/usr/sbin/nft", "/usr/sbin/dnsmasq", "/usr/sbin/udhcpc", "/usr/bin/ping" }.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            output.WriteLine($"{missing} is missing: apt-get install nftables dnsmasq udhcpc iputils-ping");
            return 2;
        }

        output.WriteLine($"ActorGateway failover benchmark — {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} CPUs, {RuntimeInformation.FrameworkDescription}");
        output.WriteLine($"Gateway health: interval {o.Interval}, timeout {o.Timeout}, down {o.Down}, up {o.Up}; failback hold time {o.Hold}; " +
            $"LAN stream: one ping every {o.StreamInterval.TotalMilliseconds:0} ms to {TetheringLab.InternetAddress}; {o.Runs} runs");
        output.WriteLine();

        var directory = Directory.CreateTempSubdirectory("ag-failover-bench-").FullName;
        try
        {
            await using var lab = await TetheringLab.CreateAsync([new PhoneSpec(Phone, "usb0"), new PhoneSpec(Backup, "usb1")]);
            var socket = Path.Combine(directory, "control.sock");
            var config = Path.Combine(directory, "gateway.conf");
            await File.WriteAllTextAsync(config, $$"""
                actorgateway {
                  control-socket = "{{socket}}"
                  state-directory = "{{directory}}/state"
                  runtime-directory = "{{directory}}/run"
                  static-uplinks = [
                    { id = "{{Phone}}", interface = "usb0", method = "dhcp", priority = 10 }
                    { id = "{{Backup}}", interface = "usb1", method = "dhcp", priority = 20 }
                  ]
                  lan { interface = "{{lab.LanInterface}}", address = "{{TetheringLab.LanGatewayAddress}}/{{TetheringLab.LanPrefix}}", dhcp.enabled = off, dns = off }
                  health { targets = ["{{TetheringLab.InternetAddress}}"], interval = {{o.Interval}}, timeout = {{o.Timeout}}, down = {{o.Down}}, up = {{o.Up}} }
                  failover.hold-time = {{o.Hold}}
                }
                """, cancellationToken);
            var dll = Path.Combine(AppContext.BaseDirectory, "actorgateway.dll");
            var gateway = lab.Lab.Start(lab.GatewayNamespace, "dotnet", [dll, "run", "--config", config], line =>
            {
                if (o.Verbose)
                {
                    output.WriteLine($"  | {line}");
                }
            });

            var bench = new Bench(socket, output);
            await bench.WaitAsync(s => Steady(s), TimeSpan.FromSeconds(60), "both phones up and healthy, the phone active");
            await using var stream = lab.StartLanPingStream(o.StreamInterval);
            bench.Stream = stream;
            if (!await stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(5)))
            {
                output.WriteLine("The LAN host gets no answer through the gateway; stopping.");
                return 1;
            }

            var figures = new Dictionary<string, List<TimeSpan>>(StringComparer.Ordinal);
            void Add(string what, TimeSpan gap) => (figures.TryGetValue(what, out var list) ? list : figures[what] = []).Add(gap);
            for (var run = 1; run <= o.Runs; run++)
            {
                var phone = lab.Phone(Phone);
                Add("baseline: a quiet second of the stream, no failure", await bench.BaselineAsync());
                Add("hard: the phone's link goes down (carrier lost)", await bench.FailoverAsync(phone.CarrierOffAsync));
                Add("failback after the hold time", await bench.FailbackAsync(phone.CarrierOnAsync));
                Add("hard: the phone is unplugged (namespace deleted)", await bench.FailoverAsync(phone.UnplugAsync));
                Add("failback after the hold time", await bench.FailbackAsync(async () => await lab.ReplugAsync(Phone)));
                phone = lab.Phone(Phone);
                Add("silent: the phone's upstream drops everything", await bench.FailoverAsync(phone.DropUpstreamAsync));
                Add("failback after the hold time", await bench.FailbackAsync(phone.RestoreUpstreamAsync));
                output.WriteLine($"run {run}: done");
            }

            output.WriteLine();
            output.WriteLine("The longest time the LAN's ping stream went unanswered:");
            output.WriteLine($"{"",-52}{"median",10}{"max",10}{"min",10}  target");
            foreach (var (what, gaps) in figures)
            {
                var sorted = gaps.Order().ToList();
                var target = what.StartsWith("hard", StringComparison.Ordinal) ? "≤ 1 s" : what.StartsWith("silent", StringComparison.Ordinal) ? "≤ 3 s" : "  -  ";
                output.WriteLine($"{what,-52}{Ms(sorted[sorted.Count / 2]),10}{Ms(sorted[^1]),10}{Ms(sorted[0]),10}  {target}   ({sorted.Count} runs)");
            }

            output.WriteLine();
            output.WriteLine("Anchor: OpenWrt mwan3's defaults (interval 10 s, down 5, timeout 4 s) take about 50–70 s to declare an uplink dead.");

            NetworkLab.Signal(gateway, 15);
            await gateway.WaitForExitAsync(cancellationToken);
            var (_, tables) = await NetworkLab.TryRunAsync(NetworkLab.Ip, ["netns", "exec", lab.GatewayNamespace, "/usr/sbin/nft", "list", "tables"], cancellationToken);
            var (_, routes) = await NetworkLab.TryRunAsync(NetworkLab.Ip, ["-n", lab.GatewayNamespace, "-4", "route", "show", "default"], cancellationToken);
            output.WriteLine($"After the gateway stopped (exit {gateway.ExitCode}): nft table {(tables.Contains("actorgateway", StringComparison.Ordinal) ? "STILL THERE" : "gone")}, " +
                $"default routes {(routes.Trim().Length == 0 ? "gone" : "STILL THERE: " + routes.Trim())}.");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool Steady(UplinksStatus s) =>
        s.Active == Phone && s.Uplinks.Count == 2 && s.Uplinks.All(u => u.State == UplinkState.Up && u.Health == UplinkHealth.Up);

    private static string Ms(TimeSpan t) => t.TotalSeconds >= 1
        ? $"{t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s"
        : $"{t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

    private sealed class Bench(string socket, TextWriter output)
    {
        public PingStream Stream { get; set; } = null!;

        /// <summary>Fails the phone with <paramref name="failure"/> and returns the longest gap until the stream flows through the backup.</summary>
        public async Task<TimeSpan> FailoverAsync(Func<Task> failure)
        {
            await WaitAsync(Steady, TimeSpan.FromSeconds(60), "steady (phone active, both healthy)");
            await Task.Delay(300); // a stretch of the stream before the failure
            var failed = PingStream.Now;
            await failure();
            await WaitAsync(s => s.Active == Backup, TimeSpan.FromSeconds(30), "failover to the backup");
            return await GapSinceAsync(failed);
        }

        /// <summary>
        /// Brings the phone back with <paramref name="recovery"/> and returns the longest gap around the failback itself:
        /// from a second before the switch was seen (the phone has been healthy for the hold time by then, so nothing
        /// else moves) until the stream flows through it.
        /// </summary>
        public async Task<TimeSpan> FailbackAsync(Func<Task> recovery)
        {
            await recovery();
            await WaitAsync(s => s.Active == Phone, TimeSpan.FromSeconds(90), "failback to the phone");
            return await GapSinceAsync(PingStream.Now - 1.0);
        }

        /// <summary>The longest gap in a second of the stream with nothing happening: the floor under every other figure.</summary>
        public async Task<TimeSpan> BaselineAsync()
        {
            await WaitAsync(Steady, TimeSpan.FromSeconds(60), "steady (phone active, both healthy)");
            var from = PingStream.Now;
            await Task.Delay(1000);
            return Stream.LongestGap(from, PingStream.Now) ?? TimeSpan.Zero;
        }

        public async Task WaitAsync(Func<UplinksStatus, bool> condition, TimeSpan within, string what)
        {
            var clock = Stopwatch.StartNew();
            UplinksStatus? last = null;
            while (clock.Elapsed < within)
            {
                try
                {
                    var json = await ControlClient.RequestAsync(socket, new ControlRequest("status"), TimeSpan.FromSeconds(5), CancellationToken.None);
                    last = JsonSerializer.Deserialize<StatusReply>(json, ControlJson.Options)?.Uplinks;
                    if (last is not null && condition(last))
                    {
                        return;
                    }
                }
                catch (IOException)
                {
                    // Not listening yet.
                }

                await Task.Delay(10);
            }

            output.WriteLine($"the gateway did not reach \"{what}\" within {within}: active {last?.Active}, {last?.Reason}");
            throw new TimeoutException(what);
        }

        private async Task<TimeSpan> GapSinceAsync(double since)
        {
            if (!await Stream.WaitForReplyAfterAsync(PingStream.Now, TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("the LAN's stream did not flow again");
            }

            await Task.Delay(300); // replies still on their way
            return Stream.LongestGap(since, PingStream.Now) ?? TimeSpan.Zero;
        }
    }
}
