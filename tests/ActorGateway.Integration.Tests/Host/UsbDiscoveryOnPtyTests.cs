using System.Diagnostics;
using System.Threading.Channels;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using ActorGateway.Host;
using ActorGateway.Host.Control;
using ActorGateway.Linux.Processes;
using ActorGateway.Linux.Serial;
using ActorGateway.Linux.State;
using ActorGateway.Linux.Usb;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;
using ActorGateway.TestFixtures;
using Akka.Actor;
using Serilog;
using Serilog.Events;
using Xunit.Abstractions;

namespace ActorGateway.Integration.Tests.Host;

/// <summary>
/// USB discovery with real ttys: the probe over ptys (System.IO.Ports, UUCP locks), and the whole gateway host finding the
/// seed's Huawei on a fixture sysfs tree, switching it, and dialling on its modem port while AT stays on its PCUI.
/// </summary>
public sealed class UsbDiscoveryOnPtyTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Probe_should_find_the_AT_tty_among_a_silent_and_a_garbage_one_on_real_ptys()
    {
        // AT on the last tty; the first sends DIAG frames, the second never answers.
        using var huawei = new ModemSimulator(HuaweiE367.Create(atPortIndex: 2), timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(huawei, _dir.File("dev/"));
        var locks = Directory.CreateDirectory(_dir.File("lock")).FullName;
        var opener = new LockingSerialPortOpener(new SystemSerialPortOpener(), locks);
        var order = new[] { "ttyUSB0", "ttyUSB1", "ttyUSB2" }
            .Select((t, i) => new UsbSerialPort(t, new UsbInterface($"1-1.2:1.{i}", i, 0xff, 0xff, 0xff, "option", null, [t], []), PortRoleHint.Unknown, null))
            .ToList();
        using var system = ActorSystem.Create("probe", "akka.loglevel = WARNING");
        var result = new TaskCompletionSource<ProbeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);

        var clock = Stopwatch.StartNew();
        system.ActorOf(Props.Create(() => new Collector(
            UsbProbeActor.Props(order, _dir.File("dev"), opener, TimeSpan.FromMilliseconds(250), 3, 115200), result)));
        var outcome = await result.Task.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"probed in {clock.ElapsedMilliseconds} ms: {outcome.Describe()}");

        Assert.Equal("ttyUSB2", outcome.AtPort!.Tty);
        Assert.Equal(HuaweiE367.Profile.Imei, outcome.Imei);
        Assert.Equal([PortVerdictKind.Garbage, PortVerdictKind.Silent, PortVerdictKind.Answers], outcome.Verdicts.Select(v => v.Kind));
        Assert.True(outcome.Took < TimeSpan.FromSeconds(3), $"probing took {outcome.Took}"); // about 0.8 s: 3 × 250 ms for the silent one
        await WaitUntil(() => Directory.GetFiles(locks).Length == 0 && huawei.Ports.All(p => !p.IsOpen)); // every port closed and unlocked
    }

    [Fact]
    public async Task Gateway_should_switch_the_seeds_Huawei_and_dial_on_its_modem_port_over_real_ptys()
    {
        using var sysfs = SysfsFixture.CopyOf("rpi1b-huawei-e367-storage");
        var instant = HuaweiE367.NewMode with { BootDelay = TimeSpan.Zero, RegistrationDelay = TimeSpan.Zero, ConnectDelay = TimeSpan.Zero };
        using var huawei = new ModemSimulator(instant, SimCard.ForProfile(instant, pin: "4711", pinEnabled: true), timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(huawei, _dir.File("dev/"));
        var uevents = new ReplayUevents();
        var switcher = new SwitchingFixture(sysfs, uevents, "rpi1b-huawei-e367-modem");
        var fakePppd = _dir.File("pppd");
        await File.WriteAllTextAsync(fakePppd, """
            #!/bin/sh
            exec 3<>"$1"
            echo "Using interface ppp0" >&2
            echo "local  IP address 10.64.64.2" >&2
            echo "remote IP address 10.64.64.1" >&2
            exec sleep 60
            """);
        File.SetUnixFileMode(fakePppd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var settings = GatewaySettings.Parse($$"""
            actorgateway {
              control-socket = "{{_dir.File("control.sock")}}"
              state-directory = "{{_dir.File("state")}}"
              runtime-directory = "{{_dir.File("run")}}"
              defaults { modem-control-lines = off, ppp { program = "{{fakePppd}}" } }
              usb {
                sysfs-root = "{{sysfs.Root}}"
                dev-directory = "{{_dir.File("dev")}}"
                lock-directory = "{{Directory.CreateDirectory(_dir.File("lock")).FullName}}"
                mode-switch.delay = 0s
              }
              devices = [ { match = { usb-id = "12d1:1506" }, id = "e367", apn = "internet", pin = "4711" } ]
            }
            """, "test");
        var usb = UsbSettings.Create(settings);
        var deps = new DeviceDependencies(
            new LockingSerialPortOpener(new SystemSerialPortOpener(), usb.LockDirectory),
            new LinuxProcessRunner(),
            new FilePinVerdictStore(settings.StateDirectory),
            TimeProvider.System,
            settings.RuntimeDirectory);
        var discovery = new UsbDiscoverySetup(usb, new UsbDependencies(
            new SysfsUsbReader(sysfs.Root),
            uevents,
            ModeSwitchDatabase.Load(ModeSwitchDatabase.DefaultArchive, overridesDirectory: null),
            switcher,
            new UsbDriverBinder(sysfs.Root, new LinuxProcessRunner()),
            new UsbResetter(sysfs.Root, _dir.File("dev"))));
        var sink = new CollectingSink();
        var logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        using var host = GatewayHost.Build(settings, deps, logger, LogEventLevel.Debug, discovery);
        await host.StartAsync();
        try
        {
            var online = await WaitForDevice(settings, "e367", d => d.State == DeviceState.Online, sink);

            Assert.Equal(1, switcher.Runs);
            Assert.Equal(ptys.PathOf("ttyUSB2"), online.Port);
            Assert.Equal(ptys.PathOf("ttyUSB0"), online.DataPort);
            Assert.Equal("ppp0", online.Interface);
            Assert.Equal(CallState.Connected, huawei.CallState);
            Assert.Contains(huawei.CommandLog, c => c is { Port: "ttyUSB0", Line: "ATD*99#" });
            Assert.Contains(sink.Messages, m => m.Contains("mode switch worked: 12d1:1446 came back as 12d1:1506", StringComparison.Ordinal));
            Assert.DoesNotContain(sink.Messages, m => m.Contains("4711", StringComparison.Ordinal)); // the PIN never reaches the log
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<DeviceStatus> WaitForDevice(GatewaySettings settings, string id, Func<DeviceStatus, bool> condition, CollectingSink log)
    {
        var clock = Stopwatch.StartNew();
        DeviceStatus? last = null;
        while (clock.Elapsed < Within)
        {
            if (File.Exists(settings.ControlSocket))
            {
                try
                {
                    var json = await ControlClient.RequestAsync(settings.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(5), CancellationToken.None);
                    last = System.Text.Json.JsonSerializer.Deserialize<Actors.Gateway.Gateway.Status>(json, ControlJson.Options)!.Devices.FirstOrDefault(d => d.Id == id);
                    if (last is not null && condition(last))
                    {
                        return last;
                    }
                }
                catch (IOException)
                {
                }
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"{id} never got there; last {last}\n{string.Join('\n', log.Messages.TakeLast(40))}");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the condition never held");
            await Task.Delay(20);
        }
    }

    /// <summary>Parent of the probe: passes its outcome on.</summary>
    private sealed class Collector : ReceiveActor
    {
        public Collector(Props probe, TaskCompletionSource<ProbeOutcome> result)
        {
            Context.ActorOf(probe, "probe");
            Receive<ProbeOutcome>(result.SetResult);
        }
    }

    /// <summary>Uevents the test sends, as the kernel's socket would.</summary>
    private sealed class ReplayUevents : IUeventSource
    {
        private readonly Channel<Uevent> _channel = Channel.CreateUnbounded<Uevent>();

        public void Push(IEnumerable<Uevent> events)
        {
            foreach (var e in events)
            {
                _channel.Writer.TryWrite(e with { ReceivedAt = Stopwatch.GetTimestamp() });
            }
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

    /// <summary>usb_modeswitch where there is no USB: the fixture tree becomes the modem's, and the kernel says so.</summary>
    private sealed class SwitchingFixture(SysfsFixture sysfs, ReplayUevents uevents, string into) : IUsbModeSwitcher
    {
        public int Runs { get; private set; }

        public Task<ModeSwitchReport> SwitchAsync(UsbDevice device, ModeSwitchEntry entry, CancellationToken cancellationToken)
        {
            Runs++;
            var removed = sysfs.RemoveEvents(device.DevPath);
            sysfs.Replace(into);
            uevents.Push(removed);
            uevents.Push(sysfs.AddEvents(sysfs.DevPathOf(device.Name)));
            return Task.FromResult(new ModeSwitchReport(0, ["Mode switch has failed. Bye!"]));
        }
    }
}
