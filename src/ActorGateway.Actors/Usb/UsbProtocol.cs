using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using Akka.Actor;

namespace ActorGateway.Actors.Usb;

/// <summary>What one USB device actor needs: settings, the USB and device adapters, and the gateway to add modems to.</summary>
public sealed record UsbRuntime(UsbSettings Settings, UsbDependencies Usb, DeviceDependencies Devices, IActorRef Gateway);

/// <summary>The private protocol between <see cref="UsbWatcherActor"/> and its <see cref="UsbDeviceActor"/>s.</summary>
internal static class UsbProtocol
{
    /// <summary>Watcher → device: a uevent for it or one of its interfaces, ttys or network interfaces.</summary>
    public sealed record Changed(Uevent Event);

    /// <summary>Device → watcher: what it found once settled (the watcher judges a pending mode switch by it).</summary>
    public sealed record Ready(UsbDevice Device, UsbClassification Classification);

    /// <summary>Device → watcher: please switch me; the watcher runs usb_modeswitch and watches for the come-back.</summary>
    public sealed record RequestModeSwitch(UsbDevice Device, ModeSwitchEntry Entry);

    /// <summary>Watcher → device: no switch now, and why (tries used up).</summary>
    public sealed record ModeSwitchRefused(string Reason);

    /// <summary>Watcher → device: the switch did not bring the device back in modem mode in time.</summary>
    public sealed record ModeSwitchTimedOut(string Reason);

    /// <summary>Mode-switch actor → watcher: what usb_modeswitch said.</summary>
    public sealed record ModeSwitchRan(string Name, ModeSwitchReport Report);

    /// <summary>Device → watcher: name this device (by rule, by remembered identity, or anew).</summary>
    public sealed record AssignId(string Name, UsbDevice Device, DeviceFacts Facts);

    /// <summary>Watcher → device: its id, and the rule that gave its profile (if any).</summary>
    public sealed record IdAssigned(string Id, DeviceRule? Rule);

    /// <summary>Device → watcher: the modem said its IMEI; remember it, so the device keeps its id after renumbering.</summary>
    public sealed record RememberIdentity(string Id, DeviceFacts Facts);

    /// <summary>Device → watcher: it stopped answering; may it be reset (ledger kept by <paramref name="Key"/>)?</summary>
    public sealed record RequestReset(string Key, string Reason);

    /// <summary>Watcher → device: reset now; this is attempt <paramref name="Attempt"/>.</summary>
    public sealed record ResetNow(int Attempt);

    /// <summary>Watcher → device: not before <paramref name="Delay"/> (the hold time since the last reset).</summary>
    public sealed record ResetLater(TimeSpan Delay);

    /// <summary>Watcher → device: no more resets; it is dead until replugged.</summary>
    public sealed record ResetRefused(string Reason);

    /// <summary>Device → watcher: its status changed.</summary>
    public sealed record StatusChanged(UsbDeviceStatus Status);
}
