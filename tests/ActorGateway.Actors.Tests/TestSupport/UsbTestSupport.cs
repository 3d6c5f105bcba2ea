using System.Collections.Concurrent;
using System.Threading.Channels;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using ActorGateway.Linux.Usb;
using ActorGateway.Simulation;
using ActorGateway.TestFixtures;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;
using GatewayProtocol = ActorGateway.Actors.Gateway.Gateway;
using SimProfile = ActorGateway.Simulation.ModemProfile;
using UsbId = ActorGateway.Core.Usb.UsbId;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>Uevents a spec pushes, as a NETLINK_KOBJECT_UEVENT socket would deliver them.</summary>
public sealed class ChannelUeventSource : IUeventSource
{
    private Channel<object> _channel = Channel.CreateUnbounded<object>();

    public int Opens { get; private set; }

    /// <summary>When set, Open fails with it (a kernel without the netlink family, a sandbox).</summary>
    public string? FailOpen { get; set; }

    public IUeventStream Open()
    {
        if (FailOpen is { } why)
        {
            throw new UeventSourceException(why);
        }

        Opens++;
        _channel = Channel.CreateUnbounded<object>();
        return new Stream(_channel.Reader);
    }

    /// <summary>The kernel sends these, in this order.</summary>
    public void Push(IEnumerable<Uevent> events)
    {
        foreach (var e in events)
        {
            _channel.Writer.TryWrite(e with { ReceivedAt = System.Diagnostics.Stopwatch.GetTimestamp() });
        }
    }

    /// <summary>The socket overflowed: some events are lost (ENOBUFS).</summary>
    public void Overflow() => _channel.Writer.TryWrite(new UeventsLostException("the kernel dropped uevents (socket buffer full)"));

    private sealed class Stream(ChannelReader<object> reader) : IUeventStream
    {
        public async ValueTask<Uevent> ReceiveAsync(CancellationToken cancellationToken) =>
            await reader.ReadAsync(cancellationToken) switch
            {
                Uevent e => e,
                Exception x => throw x,
                var other => throw new InvalidOperationException($"unexpected {other}"),
            };

        public void Dispose()
        {
        }
    }
}

/// <summary>A driver binder that records what it was asked and does what the spec says (e.g. make ttys appear).</summary>
public sealed class FakeDriverBinder : IUsbDriverBinder
{
    public ConcurrentQueue<UsbId> Bound { get; } = new();

    public Func<UsbDevice, string> OnBind { get; set; } = _ => "option";

    public Task<string> BindAsync(UsbDevice device, CancellationToken cancellationToken)
    {
        Bound.Enqueue(device.Id);
        return Task.FromResult(OnBind(device));
    }
}

/// <summary>A USB resetter that records resets and does what the spec says.</summary>
public sealed class FakeResetter : IUsbResetter
{
    public ConcurrentQueue<string> Resets { get; } = new();

    public Action<UsbDevice> OnReset { get; set; } = _ => { };

    public Task<string> ResetAsync(UsbDevice device, CancellationToken cancellationToken)
    {
        Resets.Enqueue(device.Name);
        OnReset(device);
        return Task.FromResult($"USBDEVFS_RESET on /dev/{device.DeviceNode}");
    }
}

/// <summary>
/// A spec of USB discovery on virtual time: a copy of a fixture sysfs tree read by the real reader, uevents pushed by
/// the spec, simulated modems on in-memory ports under <c>/dev</c>, the real usb_modeswitch runner on fake processes,
/// a real <see cref="GatewaySupervisor"/> with a fake pppd, and a probe that hears every USB and uplink event.
/// </summary>
public abstract class UsbSpec : VirtualTimeSpec
{
    private readonly List<ModemSimulator> _modems = [];
    private readonly List<object> _seen = [];

    protected UsbSpec(ITestOutputHelper output, string scenario)
        : base(output)
    {
        Sysfs = SysfsFixture.CopyOf(scenario);
        Modems = new SimulatedModems(Clock);
        Events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(Events.Ref, typeof(UsbEvents.IUsbEvent));
        Sys.EventStream.Subscribe(Events.Ref, typeof(UplinkEvents.IUplinkEvent));
    }

    protected SysfsFixture Sysfs { get; }

    protected SimulatedModems Modems { get; }

    protected ChannelUeventSource Uevents { get; } = new();

    /// <summary>Runs for usb_modeswitch (and modprobe) through the real runner: the spec decides what they print.</summary>
    protected FakeProcessRunner ModeSwitchProcesses { get; } = new() { Setup = p => { p.Say("Look for default devices ..."); p.Exit(0); } };

    protected FakeDriverBinder Binder { get; } = new();

    protected FakeResetter Resetter { get; } = new();

    protected TestProbe Events { get; }

    protected IActorRef Gateway { get; private set; } = ActorRefs.Nobody;

    protected IActorRef Watcher { get; private set; } = ActorRefs.Nobody;

    protected UsbSettings Settings { get; private set; } = null!;

    /// <summary>A modem of <paramref name="profile"/> whose ttys are <c>/dev/&lt;name&gt;</c>; its network answers at once.</summary>
    protected ModemSimulator AddModem(SimProfile profile, SimCard? sim = null)
    {
        var instant = profile with { RegistrationDelay = TimeSpan.Zero, ConnectDelay = TimeSpan.Zero, BootDelay = TimeSpan.Zero };
        var modem = new ModemSimulator(instant, sim, timeProvider: Clock);
        _modems.Add(modem);
        Modems.Ports.Add(modem, "/dev");
        return modem;
    }

    /// <summary>
    /// Starts the gateway and USB discovery with <paramref name="hocon"/> over the spec's defaults; with
    /// <paramref name="gateway"/>, discovery talks to it instead of a real gateway supervisor.
    /// </summary>
    protected void Start(string hocon = "", ModeSwitchDatabase? database = null, IActorRef? gateway = null)
    {
        var settings = GatewaySettings.Parse($$"""
            actorgateway {
              usb {
                sysfs-root = "{{Sysfs.Root}}"
                dev-directory = "/dev"
                mode-switch.delay = 0s
              }
              defaults { apn = "internet" }
            }
            {{hocon}}
            """, "spec");
        Settings = UsbSettings.Create(settings);
        var usb = new UsbDependencies(
            new SysfsUsbReader(Sysfs.Root),
            Uevents,
            database ?? ModeSwitchDatabase.Load(ModeSwitchDatabase.DefaultArchive, overridesDirectory: null),
            new UsbModeSwitchRunner(ModeSwitchProcesses, Settings.ModeSwitch.Program),
            Binder,
            Resetter);
        Gateway = gateway ?? Sys.ActorOf(GatewaySupervisor.Props(settings, Modems.Dependencies), "gateway");
        Watcher = Sys.ActorOf(UsbWatcherActor.Props(Settings, usb, Modems.Dependencies, Gateway), "usb");

        // Once it answers, it has read sysfs: a spec that changes the tree next does so after the enumeration, as a
        // plug-in after boot would.
        UsbStatus();
    }

    /// <summary>
    /// The next event of type <typeparamref name="T"/> that satisfies <paramref name="where"/>, moving virtual time on by
    /// <paramref name="step"/> (default 100 ms) while waiting; other events are skipped.
    /// </summary>
    protected T Await<T>(Func<T, bool>? where = null, TimeSpan? step = null, int maxSteps = 300)
        where T : class
    {
        bool Fits(object? m) => m is T t && (where is null || where(t));
        for (var i = 0; i < maxSteps; i++)
        {
            // Events seen earlier while waiting for another kind are kept: the order of events of different devices
            // (or of the watcher and a device) is not the spec's business.
            var seen = _seen.FindIndex(m => Fits(m));
            if (seen >= 0)
            {
                var found = (T)_seen[seen];
                _seen.RemoveAt(seen);
                return found;
            }

            while (Events.HasMessages)
            {
                var m = Events.ReceiveOne(TimeSpan.Zero);
                if (Fits(m))
                {
                    return (T)m!;
                }

                _seen.Add(m!);
            }

            var late = Events.ReceiveOne(TimeSpan.FromMilliseconds(20));
            if (Fits(late))
            {
                return (T)late!;
            }

            if (late is not null)
            {
                _seen.Add(late);
                continue;
            }

            Advance(step ?? TimeSpan.FromMilliseconds(100));
        }

        throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} within {maxSteps} steps; seen: {string.Join(", ", _seen.Select(m => m.GetType().Name))}");
    }

    /// <summary>Moves virtual time in steps until <paramref name="condition"/> holds.</summary>
    protected void AdvanceUntil(Func<bool> condition, TimeSpan? step = null, string? message = null) =>
        AwaitCondition(() =>
        {
            if (condition())
            {
                return true;
            }

            Advance(step ?? TimeSpan.FromMilliseconds(100));
            return false;
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(10), message);

    protected GatewayProtocol.Status GatewayStatus() =>
        Gateway.Ask<GatewayProtocol.Status>(GatewayProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    protected UsbDiscovery.Status UsbStatus() =>
        Watcher.Ask<UsbDiscovery.Status>(UsbDiscovery.GetStatus.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    protected DeviceStatus AwaitDevice(Func<DeviceStatus, bool> condition, string what)
    {
        DeviceStatus? last = null;
        AdvanceUntil(() => (last = GatewayStatus().Devices.FirstOrDefault(condition)) is not null, message: $"no device {what}");
        return last!;
    }

    /// <summary>Lets the next pppd take the data port, and moves time by one hold poll until the device is online.</summary>
    protected async Task<FakeProcess> PppdTakesTheLine()
    {
        var pppd = await Modems.NextPppdHoldingTheLineAsync();
        await pppd.Followed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        return pppd;
    }

    protected override void AfterAll()
    {
        foreach (var modem in _modems)
        {
            modem.Dispose();
        }

        Modems.Dispose();
        Sysfs.Dispose();
        base.AfterAll();
    }
}
