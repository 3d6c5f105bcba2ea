using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using Akka.Actor;

namespace ActorGateway.Actors.Usb;

/// <summary>
/// Runs usb_modeswitch once for one device, after a delay (the system's own udev rule goes first; an entry's
/// <c>WaitBefore</c>), and tells its parent what usb_modeswitch said. The verdict is not its to give: the watcher judges
/// the switch by what comes back on the bus. Stopping it cancels the run, which ends usb_modeswitch.
/// </summary>
public sealed class ModeSwitchActor : ReceiveActor, IWithTimers
{
    private readonly string _name;
    private readonly UsbDevice _device;
    private readonly ModeSwitchEntry _entry;
    private readonly IUsbModeSwitcher _switcher;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();

    public ModeSwitchActor(string name, UsbDevice device, ModeSwitchEntry entry, IUsbModeSwitcher switcher, TimeSpan delay)
    {
        _name = name;
        _device = device;
        _entry = entry;
        _switcher = switcher;
        _delay = delay;
        Receive<Run>(_ => Start());
        Receive<Ran>(m =>
        {
            Context.Parent.Tell(new UsbProtocol.ModeSwitchRan(_name, m.Report));
            Context.Stop(Self);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string name, UsbDevice device, ModeSwitchEntry entry, IUsbModeSwitcher switcher, TimeSpan delay) =>
        Akka.Actor.Props.Create(() => new ModeSwitchActor(name, device, entry, switcher, delay));

    protected override void PreStart()
    {
        if (_delay > TimeSpan.Zero)
        {
            Timers.StartSingleTimer("delay", Run.Instance, _delay);
        }
        else
        {
            Start();
        }
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private void Start()
    {
        Task<ModeSwitchReport> run;
        try
        {
            run = _switcher.SwitchAsync(_device, _entry, _stop.Token);
        }
        catch (Exception e)
        {
            run = Task.FromException<ModeSwitchReport>(e);
        }

        run.ContinueWith(
            t => new Ran(t.IsCompletedSuccessfully
                ? t.Result
                : new ModeSwitchReport(-1, [$"fail: {t.Exception?.GetBaseException().Message ?? "cancelled"}"])),
            TaskScheduler.Default).PipeTo(Self);
    }

    private sealed record Run
    {
        public static readonly Run Instance = new();
    }

    private sealed record Ran(ModeSwitchReport Report);
}
