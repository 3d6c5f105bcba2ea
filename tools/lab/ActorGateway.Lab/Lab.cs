using System.Diagnostics;
using System.Globalization;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Socket;

namespace ActorGateway.Lab;

/// <summary>
/// One booted lab: the VM, its two simulated modems (m0 on the USB bus from boot, m1 not), the two ISPs and the
/// gateway running in the guest. Scenarios run one after the other on it and share its helpers.
/// </summary>
public sealed class Lab : IAsyncDisposable
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(3);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private StreamWriter? _scenarioLog;

    private Lab(LabPaths paths, IReadOnlyList<LabModem> modems)
    {
        Paths = paths;
        Modems = modems;
        Guest = new GuestAgent(paths.Share);
    }

    public LabPaths Paths { get; }

    public IReadOnlyList<LabModem> Modems { get; }

    public LabModem M0 => Modems[0];

    public LabModem M1 => Modems[1];

    public GuestAgent Guest { get; }

    public Vm Vm { get; private set; } = null!;

    /// <summary>When the gateway was started in the guest (lab clock).</summary>
    public TimeSpan GatewayStartedAt { get; private set; }

    /// <summary>Seconds since the lab started, for log lines.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>The published gateway's entry assembly.</summary>
    public string GatewayDll => Path.Combine(Paths.Gateway, "actorgateway.dll");

    /// <summary>Boots the VM, connects the modems and ISPs, and starts the gateway in the guest.</summary>
    public static async Task<Lab> StartAsync(LabPaths paths, CancellationToken cancellationToken)
    {
        foreach (var dir in new[] { paths.Share, paths.Logs, paths.Sockets })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
        }

        // Two different models with different IMEIs: a 3GPP LTE module and the seed guide's Nokia phone.
        var modems = new[]
        {
            new LabModem("m0", Generic3gppModem.Profile, paths.Sockets, new IspLine("isp0", "10.64.64.1", "10.64.64.2")),
            new LabModem("m1", NokiaC2_01.Profile, paths.Sockets, new IspLine("isp1", "10.64.65.1", "10.64.65.2")),
        };
        var lab = new Lab(paths, modems);
        try
        {
            await lab.BootAsync(cancellationToken).ConfigureAwait(false);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task BootAsync(CancellationToken cancellationToken)
    {
        Say($"booting {File.ReadAllText(Path.Combine(Paths.Boot, "kernel-version")).Trim()} under qemu (TCG); m0 on the USB bus, m1 not yet");
        Vm = await Vm.StartAsync(Paths, Modems, [M0], cancellationToken).ConfigureAwait(false);
        foreach (var modem in Modems)
        {
            // qemu attaches a usb-serial device only while a client is connected to its chardev: connect now.
            var simulator = new ModemSimulator(modem.Profile, timeProvider: TimeProvider.System);
            modem.Link = await ChardevModemLink.ConnectAsync(simulator, modem.SocketPath, modem.IspSocketPath, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        await WaitAsync("the guest to boot", BootTimeout, () => Task.FromResult(Guest.IsReady), cancellationToken).ConfigureAwait(false);
        Say($"guest up after {Now.TotalSeconds:0.0} s");

        await StepAsync("isp-setup", cancellationToken).ConfigureAwait(false);
        var ttys = (await StepAsync("isp-ttys", cancellationToken).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ttys.Length < Modems.Count)
        {
            throw new InvalidOperationException($"expected {Modems.Count} PCI serial ports for the ISPs, found: {string.Join(' ', ttys)}");
        }

        for (var i = 0; i < Modems.Count; i++)
        {
            var isp = Modems[i].Isp;
            await StepAsync($"isp-start {isp.Name} {ttys[i]} {isp.Local} {isp.Remote}", cancellationToken).ConfigureAwait(false);
            Say($"{isp.Name}: pppd on {ttys[i]} ({isp.Local}:{isp.Remote}, ms-dns {isp.Dns}) for {Modems[i].Id}'s calls");
        }

        GatewayStartedAt = Now;
        await StepAsync($"gateway-start {Paths.Dotnet} {GatewayDll} {Paths.GatewayConfig}", cancellationToken).ConfigureAwait(false);
        Say($"gateway started in the guest with {Paths.GatewayConfig}");
    }

    /// <summary>Runs a guest/lab step; throws when it fails.</summary>
    public async Task<string> StepAsync(string step, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var result = await Guest.RunAsync($"{Path.Combine(Paths.GuestScripts, "lab")} {step}", timeout ?? TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (!result.Ok)
        {
            throw new InvalidOperationException($"guest step `{step}` failed ({result.ExitCode}): {result.Output}");
        }

        return result.Output;
    }

    /// <summary>The gateway's view of its devices, or null while its control socket does not answer.</summary>
    public async Task<IReadOnlyList<DeviceView>?> StatusAsync(CancellationToken cancellationToken)
    {
        var result = await Guest.RunAsync($"{Path.Combine(Paths.GuestScripts, "lab")} status", TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (!result.Ok || !result.Output.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return DeviceView.Parse(result.Output);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The gateway's device for <paramref name="modem"/>: found by the IMEI the modem told it (so a device the gateway
    /// discovered by itself, with an id of its own, is found too), else by the id guest/gateway.conf gives it.
    /// </summary>
    public async Task<DeviceView?> DeviceAsync(LabModem modem, CancellationToken cancellationToken)
    {
        var devices = await StatusAsync(cancellationToken).ConfigureAwait(false) ?? [];
        return devices.FirstOrDefault(d => d.Imei == modem.Profile.Imei) ?? devices.FirstOrDefault(d => d.Id == modem.Id);
    }

    /// <summary>Polls the status until <paramref name="modem"/>'s device satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<DeviceView> WaitForDeviceAsync(LabModem modem, string what, Func<DeviceView, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DeviceView? last = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            last = await DeviceAsync(modem, cancellationToken).ConfigureAwait(false);
            if (last is not null && condition(last))
            {
                return last;
            }

            if (last is null && !(await Guest.RunAsync("kill -0 \"$(cat /run/lab-gateway.pid)\"", TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false)).Ok)
            {
                throw new InvalidOperationException($"the gateway is not running in the guest (see {GatewayLog})");
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{modem.Id} not {what} within {timeout.TotalSeconds:0} s; last status: {last?.ToString() ?? "no answer from the control socket"}");
    }

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    public async Task WaitAsync(string what, TimeSpan timeout, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            }

            if (Vm is { IsRunning: false })
            {
                throw new InvalidOperationException($"qemu exited while waiting for {what} (see {Path.Combine(Paths.Logs, "qemu.log")})");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The tty udev's by-id link of <paramref name="modem"/> points at, or null while it has none.</summary>
    public async Task<string?> TtyOfAsync(LabModem modem, CancellationToken cancellationToken)
    {
        var tty = await StepAsync($"tty-of {modem.UsbSerial}", cancellationToken).ConfigureAwait(false);
        return tty.Length == 0 ? null : tty;
    }

    /// <summary>Pings the ISPs' "internet" (10.99.0.1, inside the VM) through <paramref name="ifname"/>, or by the routing table when null.</summary>
    public async Task<GuestResult> PingAsync(string? ifname, CancellationToken cancellationToken)
    {
        var via = ifname is null ? "" : $"-I {ifname} ";
        return await Guest.RunAsync($"ip route get 10.99.0.1; ping -n -c 3 -W 3 {via}10.99.0.1", TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The modem leaves the bus: the simulator loses power, then QMP device_del, until qemu reports it gone.</summary>
    public async Task UnplugAsync(LabModem modem, CancellationToken cancellationToken)
    {
        modem.Link!.Unplug();
        await Vm.DeviceDelAsync(modem, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The modem comes back: a fresh power-on of the simulator, then QMP device_add.</summary>
    public async Task PlugAsync(LabModem modem, CancellationToken cancellationToken)
    {
        modem.Link!.Plug();
        await Vm.DeviceAddAsync(modem, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A line to the console and to the current scenario's log.</summary>
    public void Say(string line)
    {
        var stamped = $"[{Now.TotalSeconds,7:0.0}s] {line}";
        Console.WriteLine(stamped);
        _scenarioLog?.WriteLine(stamped);
    }

    /// <summary>A line only for the scenario's log (details).</summary>
    public void Detail(string line) => _scenarioLog?.WriteLine($"[{Now.TotalSeconds,7:0.0}s]   {line}");

    /// <summary>Starts a scenario's log file; returns where the guest's logs stood, for the excerpt at the end.</summary>
    public (string Path, long GatewayLogOffset) BeginScenarioLog(string name)
    {
        var path = System.IO.Path.Combine(Paths.Logs, $"{name}.log");
        _scenarioLog = new StreamWriter(path) { AutoFlush = true };
        return (path, LengthOf(GatewayLog));
    }

    /// <summary>Ends the scenario's log with what the gateway logged meanwhile.</summary>
    public void EndScenarioLog(long gatewayLogOffset)
    {
        if (_scenarioLog is null)
        {
            return;
        }

        _scenarioLog.WriteLine();
        _scenarioLog.WriteLine("---- gateway log during this scenario (/lab/logs/gateway.log) ----");
        _scenarioLog.Write(Excerpt(GatewayLog, gatewayLogOffset));
        _scenarioLog.Dispose();
        _scenarioLog = null;
    }

    public string GatewayLog => System.IO.Path.Combine(Paths.Share, "logs", "gateway.log");

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public async ValueTask DisposeAsync()
    {
        foreach (var modem in Modems)
        {
            if (modem.Link is { } link)
            {
                await link.DisposeAsync().ConfigureAwait(false);
                link.Simulator.Dispose();
            }
        }

        if (Vm is not null)
        {
            await Vm.DisposeAsync().ConfigureAwait(false);
        }

        _scenarioLog?.Dispose();
        try
        {
            Directory.Delete(Paths.Sockets, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's tmp cleaning.
        }
    }

    private static long LengthOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static string Excerpt(string path, long from)
    {
        if (!File.Exists(path))
        {
            return "(no log)\n";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
