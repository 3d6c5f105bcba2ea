using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Actors.Usb;

/// <summary>
/// The outside world USB discovery needs, behind interfaces: sysfs, the kernel's uevents, the usb_modeswitch database
/// and program, driver binding and USB resets. The host gives the Linux ones; specs give fixture trees and fakes.
/// Serial ports and the clock come from the devices' <see cref="Devices.DeviceDependencies"/>.
/// </summary>
public sealed record UsbDependencies(
    IUsbSysfs Sysfs,
    IUeventSource Uevents,
    ModeSwitchDatabase Database,
    IUsbModeSwitcher Switcher,
    IUsbDriverBinder Binder,
    IUsbResetter Resetter);
