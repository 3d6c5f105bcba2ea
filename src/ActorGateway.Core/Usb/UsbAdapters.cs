using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Core.Usb;

/// <summary>Reads USB devices from sysfs (<c>/sys/bus/usb/devices</c>); the root is configurable so tests read fixture trees.</summary>
public interface IUsbSysfs
{
    /// <summary>True when the machine has a USB bus at all (<c>bus/usb/devices</c> exists).</summary>
    bool HasUsbBus { get; }

    /// <summary>Every USB device present now (not interfaces), root hubs included, in name order.</summary>
    IReadOnlyList<UsbDevice> Enumerate();

    /// <summary>The device at <paramref name="devPath"/> (a uevent DEVPATH), or null when it is gone.</summary>
    UsbDevice? Read(string devPath);

    /// <summary>The SCSI strings of the device's storage interface, for usb_modeswitch entries that ask for them.</summary>
    ScsiIdentity? ReadScsi(UsbDevice device);
}

/// <summary>Kernel uevents, one at a time, from a NETLINK_KOBJECT_UEVENT socket or a test's channel.</summary>
public interface IUeventSource
{
    /// <summary>Starts listening; events before this call are not seen. Throws <see cref="UeventSourceException"/> when it cannot.</summary>
    IUeventStream Open();
}

/// <summary>An open stream of uevents; disposing it stops listening.</summary>
public interface IUeventStream : IDisposable
{
    /// <summary>
    /// The next uevent. Throws <see cref="UeventsLostException"/> when the kernel dropped some (the socket's buffer
    /// overflowed): the reader must then read sysfs again, because adds or removes may be among them.
    /// </summary>
    ValueTask<Uevent> ReceiveAsync(CancellationToken cancellationToken);
}

/// <summary>The uevent source could not be opened or read.</summary>
public class UeventSourceException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>Events were lost (ENOBUFS): what sysfs says now is the truth.</summary>
public sealed class UeventsLostException(string message) : UeventSourceException(message);

/// <summary>Runs usb_modeswitch for one device and reports what it said.</summary>
public interface IUsbModeSwitcher
{
    /// <summary>Runs it to the end and reports what it said; a program that cannot start is reported as an error, not thrown.</summary>
    Task<ModeSwitchReport> SwitchAsync(UsbDevice device, ModeSwitchEntry entry, CancellationToken cancellationToken);
}

/// <summary>Makes a serial driver take a device no driver claimed (the seed's <c>modprobe usbserial vendor= product=</c>).</summary>
public interface IUsbDriverBinder
{
    /// <summary>
    /// Loads the driver if needed and adds the id to it (<c>new_id</c>), so the kernel binds its vendor-specific
    /// interfaces. Returns the driver that took it, or throws <see cref="UsbAdapterException"/> saying why none did.
    /// </summary>
    Task<string> BindAsync(UsbDevice device, CancellationToken cancellationToken);
}

/// <summary>Resets a USB device (the electrical reset a replug would do, without unplugging it).</summary>
public interface IUsbResetter
{
    /// <summary>Resets it; returns how (ioctl or de/re-authorisation), or throws <see cref="UsbAdapterException"/>.</summary>
    Task<string> ResetAsync(UsbDevice device, CancellationToken cancellationToken);
}

/// <summary>A USB adapter (driver binding, reset) failed; the message says what and why.</summary>
public sealed class UsbAdapterException(string message, Exception? inner = null) : IOException(message, inner);
