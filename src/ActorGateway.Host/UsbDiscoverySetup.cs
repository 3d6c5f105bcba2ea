using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Io;
using ActorGateway.Core.Usb.ModeSwitch;
using ActorGateway.Linux.Usb;

namespace ActorGateway.Host;

/// <summary>USB discovery for a host: its settings and the Linux adapters behind it.</summary>
public sealed record UsbDiscoverySetup(UsbSettings Settings, UsbDependencies Dependencies)
{
    /// <summary>
    /// The real adapters: sysfs at <see cref="UsbSettings.SysfsRoot"/>, the kernel's uevent socket, usb-modeswitch-data
    /// (with the local overrides), usb_modeswitch and modprobe through <paramref name="processes"/>, USB resets.
    /// </summary>
    public static UsbDiscoverySetup ForLinux(UsbSettings settings, IProcessRunner processes) => new(settings, new UsbDependencies(
        new SysfsUsbReader(settings.SysfsRoot),
        new NetlinkUeventSource(),
        LoadDatabase(settings),
        new UsbModeSwitchRunner(processes, settings.ModeSwitch.Program),
        new UsbDriverBinder(settings.SysfsRoot, processes, settings.BindDriver.Modprobe),
        new UsbResetter(settings.SysfsRoot, settings.DevDirectory)));

    /// <summary>The usb_modeswitch database the settings name; empty when switching is off or nothing is installed.</summary>
    public static ModeSwitchDatabase LoadDatabase(UsbSettings settings) =>
        settings.ModeSwitch.Enabled ? ModeSwitchDatabase.Load(settings.ModeSwitch.Database, settings.ModeSwitch.Overrides) : ModeSwitchDatabase.Empty;
}
