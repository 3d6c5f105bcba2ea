using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using ActorGateway.Linux.Processes;
using ActorGateway.Linux.Serial;
using ActorGateway.Linux.Usb;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;
using ActorGateway.TestFixtures;
using Akka.Actor;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// dotnet run -c Release --project tools/ActorGateway.UsbBenchmarks [-- --runs N]
var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
Console.WriteLine($"ActorGateway USB benchmarks, {runs} runs each, {Environment.ProcessorCount} CPUs, {Environment.OSVersion}");
Console.WriteLine();
await Benchmarks.KernelToSocketAsync(runs);
await Benchmarks.UeventToDeviceActorAsync(runs);
await Benchmarks.ProbeAsync(runs);

/// <summary>The measurements.</summary>
internal static class Benchmarks
{
    /// <summary>
    /// The kernel's half: a synthetic uevent (writing "add" to a device's uevent file makes the kernel broadcast one,
    /// Documentation/ABI/testing/sysfs-uevent) until the netlink socket hands it to the gateway.
    /// </summary>
    public static async Task KernelToSocketAsync(int runs)
    {
        var trigger = "/sys/class/net/lo/uevent";
        IUeventStream stream;
        try
        {
            stream = new NetlinkUeventSource().Open();
            File.WriteAllText(trigger, "change"); // warm up
        }
        catch (Exception e) when (e is UeventSourceException or IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"kernel → socket: not measured ({e.Message}; needs root)");
            return;
        }

        using (stream)
        {
            using var warm = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await stream.ReceiveAsync(warm.Token);
            var samples = new List<TimeSpan>();
            for (var i = 0; i < runs; i++)
            {
                var before = Stopwatch.GetTimestamp();
                File.WriteAllText(trigger, "change");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                Uevent e;
                do
                {
                    e = await stream.ReceiveAsync(timeout.Token);
                }
                while (e.DevPath != "/devices/virtual/net/lo");

                samples.Add(Stopwatch.GetElapsedTime(before, e.ReceivedAt));
            }

            Print("kernel uevent → netlink socket (real kernel, /sys/class/net/lo/uevent)", samples);
        }
    }

    /// <summary>
    /// The gateway's half: the seed's devices' uevents (as the kernel sends them, from the fixture sysfs trees) handed to
    /// the watcher the moment they are read, until the device's actor has started; and until it has been classified
    /// (which includes the deliberate 500 ms settle for its interfaces and ttys).
    /// </summary>
    public static async Task UeventToDeviceActorAsync(int runs)
    {
        using var sysfs = SysfsFixture.CopyOf("rpi1b-bare");
        var gateway = GatewaySettings.Parse($$"""
            actorgateway.usb { sysfs-root = "{{sysfs.Root}}", dev-directory = "/nonexistent", mode-switch.enabled = off, bind-driver.enabled = off, reset.enabled = off }
            """, "benchmark");
        var usb = UsbSettings.Create(gateway);
        var uevents = new InjectedUevents();
        var deps = new DeviceDependencies(new SystemSerialPortOpener(), new LinuxProcessRunner(), new NoVerdicts(), TimeProvider.System, "/tmp");
        // Its devices are not probed for real here (no ttys behind the trees): their complaints are not the point.
        using var system = ActorSystem.Create("usb-benchmark", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        var events = Channel.CreateUnbounded<UsbEvents.IUsbEvent>();
        var listener = system.ActorOf(Props.Create(() => new Listener(events.Writer)));
        system.EventStream.Subscribe(listener, typeof(UsbEvents.IUsbEvent));
        var watcher = system.ActorOf(UsbWatcherActor.Props(usb, new UsbDependencies(
            new SysfsUsbReader(sysfs.Root), uevents, ModeSwitchDatabase.Empty, new NoSwitcher(), new NoBinder(), new NoResetter()), deps, ActorRefs.Nobody), "usb");

        foreach (var (label, scenario) in new[] { ("Nokia C2-01 (0421:054b)", "rpi1b-nokia-c2-01"), ("LG P500 (1004:61da)", "rpi1b-lg-p500"), ("Huawei E367 (12d1:1506)", "rpi1b-huawei-e367-modem") })
        {
            var attached = new List<TimeSpan>();
            var classified = new List<TimeSpan>();
            for (var i = 0; i < runs + 1; i++)
            {
                sysfs.Replace(scenario);
                var add = sysfs.AddEvents(sysfs.DevPathOf("1-1.2"));
                var t0 = uevents.Inject(add);
                var a = await Next<UsbEvents.DeviceAttached>(events.Reader, e => e.Name == "1-1.2");
                await Next<UsbEvents.DeviceClassified>(events.Reader, e => e.Name == "1-1.2");
                var t1 = Stopwatch.GetTimestamp();
                if (i > 0)
                {
                    attached.Add(Stopwatch.GetElapsedTime(a.DetectedAt, a.StartedAt));
                    classified.Add(Stopwatch.GetElapsedTime(t0, t1));
                }

                var remove = sysfs.RemoveEvents(sysfs.DevPathOf("1-1.2"));
                sysfs.Replace("rpi1b-bare");
                uevents.Inject(remove);
                await Next<UsbEvents.DeviceDetached>(events.Reader, e => e.Name == "1-1.2");
            }

            Print($"uevent → device actor started, {label}", attached);
            Print($"uevent → classified (settle 500 ms), {label}", classified);
        }

        await system.Terminate();
        _ = watcher;
    }

    /// <summary>
    /// Probe time per device: all ttys asked AT at once over real ptys (System.IO.Ports, UUCP locks), from the first open
    /// to the decision. 250 ms × 3 tries per port.
    /// </summary>
    public static async Task ProbeAsync(int runs)
    {
        var devices = new (string Label, ActorGateway.Simulation.ModemProfile Profile, string Scenario, bool UseMap)[]
        {
            ("Nokia C2-01: ttyACM0", NokiaC2_01.Profile, "rpi1b-nokia-c2-01", true),
            ("Huawei E367 switched: PCUI ttyUSB2 + modem ttyUSB0 by the port map", HuaweiE367.NewMode, "rpi1b-huawei-e367-modem", true),
            ("Huawei E367, AT on ttyUSB0, DIAG and silent after it, no map", HuaweiE367.Create(0), "rpi1b-huawei-e367-modem", false),
            ("Huawei E367, AT on ttyUSB2 behind DIAG and silent, no map (worst case)", HuaweiE367.Create(2), "rpi1b-huawei-e367-modem", false),
        };
        var directory = Directory.CreateTempSubdirectory("ag-usb-bench-").FullName;
        try
        {
            using var system = ActorSystem.Create("probe-benchmark", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
            foreach (var (label, profile, scenario, useMap) in devices)
            {
                using var modem = new ModemSimulator(profile, timeProvider: TimeProvider.System);
                await using var ptys = await PtyModemHost.StartAsync(modem, Path.Combine(directory, "dev") + "/");
                var root = SysfsFixture.Scenario(scenario);
                var device = new SysfsUsbReader(root).Read(SysfsFixture.DevPathOf(root, "1-1.2"))!;
                var order = UsbClassifier.Classify(device, ModeSwitchDatabase.Empty).ProbeOrder;
                if (!useMap)
                {
                    order = [.. order.Select(p => p with { Hint = PortRoleHint.Unknown }).OrderBy(p => p.Interface.Number)];
                }

                var opener = new LockingSerialPortOpener(new SystemSerialPortOpener(), Directory.CreateDirectory(Path.Combine(directory, "lock")).FullName);
                var samples = new List<TimeSpan>();
                string? verdicts = null;
                for (var i = 0; i < runs + 1; i++)
                {
                    var done = new TaskCompletionSource<ProbeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                    system.ActorOf(Props.Create(() => new Collector(
                        UsbProbeActor.Props(order, Path.Combine(directory, "dev"), opener, TimeSpan.FromMilliseconds(250), 3, 115200), done)));
                    var outcome = await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
                    if (i > 0)
                    {
                        samples.Add(outcome.Took);
                    }

                    verdicts = $"AT {outcome.AtPort?.Tty}{(outcome.DataPort is { } d ? $", data {d.Tty}" : string.Empty)}: {outcome.Describe()}";
                    await WaitClosed(modem);
                }

                Print($"probe, {label}", samples);
                Console.WriteLine($"    {verdicts}");
            }

            await system.Terminate();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        Console.WriteLine("  (ModemManager gives a silent port 3 s × 6 tries = 18 s, port by port.)");
    }

    private static async Task WaitClosed(ModemSimulator modem)
    {
        var clock = Stopwatch.StartNew();
        while (modem.Ports.Any(p => p.IsOpen) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }
    }

    private static async Task<T> Next<T>(ChannelReader<UsbEvents.IUsbEvent> reader, Func<T, bool> where)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await reader.ReadAsync(timeout.Token) is T t && where(t))
            {
                return t;
            }
        }
    }

    private static void Print(string what, List<TimeSpan> samples)
    {
        var ms = samples.Select(s => s.TotalMilliseconds).Order().ToList();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}\n    min {ms[0],8:0.000} ms   median {P(0.5),8:0.000} ms   p95 {P(0.95),8:0.000} ms   max {ms[^1],8:0.000} ms   (n = {ms.Count})"));
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(ChannelWriter<UsbEvents.IUsbEvent> writer) => Receive<UsbEvents.IUsbEvent>(e => writer.TryWrite(e));
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(Props probe, TaskCompletionSource<ProbeOutcome> result)
        {
            Context.ActorOf(probe, "probe");
            Receive<ProbeOutcome>(o =>
            {
                result.TrySetResult(o);
                Context.Stop(Self);
            });
        }
    }

    /// <summary>Uevents handed over as the kernel's socket would, stamped when handed over.</summary>
    private sealed class InjectedUevents : IUeventSource
    {
        private readonly Channel<Uevent> _channel = Channel.CreateUnbounded<Uevent>();

        public long Inject(IEnumerable<Uevent> events)
        {
            var stamp = Stopwatch.GetTimestamp();
            foreach (var e in events)
            {
                _channel.Writer.TryWrite(e with { ReceivedAt = stamp });
            }

            return stamp;
        }

        public IUeventStream Open() => new Stream(_channel.Reader);

        private sealed class Stream(ChannelReader<Uevent> reader) : IUeventStream
        {
            public ValueTask<Uevent> ReceiveAsync(CancellationToken cancellationToken) => reader.ReadAsync(cancellationToken);

            public void Dispose()
            {
            }
        }
    }

    private sealed class NoVerdicts : IPinVerdictStore
    {
        public Task<PinVerdict?> FindAsync(string simKey, CancellationToken cancellationToken) => Task.FromResult<PinVerdict?>(null);

        public Task SaveAsync(string simKey, PinVerdict verdict, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoSwitcher : IUsbModeSwitcher
    {
        public Task<ModeSwitchReport> SwitchAsync(UsbDevice device, ModeSwitchEntry entry, CancellationToken cancellationToken) =>
            Task.FromResult(new ModeSwitchReport(0, []));
    }

    private sealed class NoBinder : IUsbDriverBinder
    {
        public Task<string> BindAsync(UsbDevice device, CancellationToken cancellationToken) => Task.FromResult("none");
    }

    private sealed class NoResetter : IUsbResetter
    {
        public Task<string> ResetAsync(UsbDevice device, CancellationToken cancellationToken) => Task.FromResult("none");
    }
}
