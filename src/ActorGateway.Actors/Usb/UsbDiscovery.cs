using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Actors.Usb;

/// <summary>Where a USB device stands with the gateway.</summary>
public enum UsbDeviceState
{
    /// <summary>Waiting for its interfaces, drivers and ttys to appear.</summary>
    Settling,

    /// <summary>Its ttys are being asked AT.</summary>
    Probing,

    /// <summary>
    /// None of its ttys answered yet: another program holds them (the detail says who), or it is still booting. It is
    /// asked again later, and never reset for that.
    /// </summary>
    Waiting,

    /// <summary>A modem: its device runs under the gateway.</summary>
    Modem,

    /// <summary>A phone or modem whose network interface went to the tethering path.</summary>
    Tethering,

    /// <summary>usb_modeswitch is switching it.</summary>
    Switching,

    /// <summary>A serial driver is being given to it.</summary>
    BindingDriver,

    /// <summary>Being reset at USB level.</summary>
    Resetting,

    /// <summary>Nothing for the gateway (the detail says why).</summary>
    Ignored,

    /// <summary>It could not be used (the detail says why); nothing more is tried until it changes or is replugged.</summary>
    Failed,

    /// <summary>It stopped answering and resets did not help; nothing more is tried until it is replugged.</summary>
    Dead,
}

/// <summary>One USB device as discovery sees it.</summary>
public sealed record UsbDeviceStatus(string Name, UsbId Id, string Description, UsbDeviceState State, string Detail, string? DeviceId);

/// <summary>The public protocol of USB discovery (<see cref="UsbWatcherActor"/>).</summary>
public static class UsbDiscovery
{
    /// <summary>Ask what discovery sees; the answer is a <see cref="Status"/>.</summary>
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }

    /// <summary>Every USB device discovery knows, by name.</summary>
    public sealed record Status(IReadOnlyList<UsbDeviceStatus> Devices);
}

/// <summary>
/// What USB discovery tells the rest of the gateway (and benchmarks and specs) on the event stream. Tethering interfaces
/// are published as <see cref="Uplinks.UplinkEvents"/>, not here.
/// </summary>
public static class UsbEvents
{
    /// <summary>A marker for every USB event.</summary>
    public interface IUsbEvent
    {
        /// <summary>The device's kernel name (port path), e.g. <c>1-1.2</c>.</summary>
        string Name { get; }
    }

    /// <summary>
    /// A device actor started for a device; <paramref name="DetectedAt"/> is when its uevent was read (or the enumeration
    /// ran) and <paramref name="StartedAt"/> when the actor started, both <see cref="System.Diagnostics.Stopwatch"/> timestamps.
    /// </summary>
    public sealed record DeviceAttached(string Name, UsbId? Id, long DetectedAt, long StartedAt) : IUsbEvent;

    /// <summary>The device's actor decided what it is.</summary>
    public sealed record DeviceClassified(string Name, UsbDevice Device, UsbClassification Classification) : IUsbEvent;

    /// <summary>Its ttys were probed: which answered AT, which is for data, and how long it took.</summary>
    public sealed record DeviceProbed(string Name, ProbeOutcome Outcome) : IUsbEvent;

    /// <summary>A mode switch worked: the device came back as <paramref name="To"/> after <paramref name="Took"/>.</summary>
    public sealed record ModeSwitched(string Name, UsbId From, UsbId To, TimeSpan Took, ModeSwitchReport? Report) : IUsbEvent;

    /// <summary>A mode switch did not work, and why.</summary>
    public sealed record ModeSwitchFailed(string Name, UsbId From, string Reason) : IUsbEvent;

    /// <summary>A modem found on USB runs as a gateway device.</summary>
    public sealed record ModemAdded(string Name, string DeviceId, string AtPort, string? DataPort) : IUsbEvent;

    /// <summary>The device was reset at USB level.</summary>
    public sealed record DeviceReset(string Name, string DeviceId, int Attempt, string How) : IUsbEvent;

    /// <summary>The device is dead until replugged.</summary>
    public sealed record DeviceDead(string Name, string DeviceId, string Reason) : IUsbEvent;

    /// <summary>The device left (unplugged, browned out, switched).</summary>
    public sealed record DeviceDetached(string Name) : IUsbEvent;
}

/// <summary>What one tty did when asked AT.</summary>
public enum PortVerdictKind
{
    /// <summary>It answered.</summary>
    Answers,

    /// <summary>It sent NULs or binary.</summary>
    Garbage,

    /// <summary>It said nothing in all tries.</summary>
    Silent,

    /// <summary>It could not be opened (held by another program, gone), with the reason.</summary>
    Unavailable,

    /// <summary>Not judged: the ports were chosen before it answered anything (its probe was stopped, the port closed).</summary>
    NotNeeded,
}

/// <summary>One tty's verdict, with the IMEI it gave when it answered <c>AT+CGSN</c>.</summary>
public sealed record PortVerdict(string Tty, PortVerdictKind Kind, string Detail, string? Imei = null, TimeSpan Took = default);

/// <summary>
/// The result of probing a device: the port for the AT conversation, the port for the call (null: the same), the IMEI,
/// each port's verdict, and the time it all took.
/// </summary>
public sealed record ProbeOutcome(UsbSerialPort? AtPort, UsbSerialPort? DataPort, string? Imei, IReadOnlyList<PortVerdict> Verdicts, TimeSpan Took)
{
    /// <summary><c>ttyUSB0 answers (12 ms); ttyUSB1 garbage; ttyUSB2 silent</c></summary>
    public string Describe() => string.Join("; ", Verdicts.Select(v =>
        $"{v.Tty} {(v.Kind == PortVerdictKind.NotNeeded ? "not needed" : v.Kind.ToString().ToLowerInvariant())}{(v.Detail.Length > 0 ? $" ({v.Detail})" : string.Empty)}"));
}
