using System.CommandLine;
using System.Text.Json;
using ActorGateway.Actors.Settings;
using ActorGateway.Host.Control;
using ActorGateway.Linux.Usb;

namespace ActorGateway.Host;

/// <summary>
/// <c>actorgateway scan</c>: every USB device and what the gateway would do with it — read from sysfs, without opening a
/// port, running usb_modeswitch or binding a driver.
/// </summary>
public static class ScanCommand
{
    /// <summary>The <c>scan</c> command.</summary>
    public static Command Build(Option<FileInfo?> config)
    {
        var sysfsRoot = new Option<DirectoryInfo?>("--sysfs-root")
        {
            Description = "where sysfs is (default: actorgateway.usb.sysfs-root, /sys); a fixture tree works too",
        };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command("scan", "Show the USB devices and what the gateway would do with each (the lsusb step, with the decision). Changes nothing.")
        {
            sysfsRoot, json, config,
        };
        command.SetAction(parse =>
        {
            var loaded = Cli.LoadSettings(parse.GetValue(config), Console.Error);
            if (loaded is not { } l)
            {
                return 2;
            }

            var usb = UsbSettings.Create(l.Settings); // checked by LoadSettings

            if (parse.GetValue(sysfsRoot) is { } root)
            {
                usb = usb with { SysfsRoot = root.FullName };
            }

            var report = UsbScan.Build(new SysfsUsbReader(usb.SysfsRoot), usb.SysfsRoot, UsbDiscoverySetup.LoadDatabase(usb), usb);
            Console.Write(parse.GetValue(json) ? JsonSerializer.Serialize(report, ControlJson.Indented) + "\n" : UsbScan.Render(report));
            return 0;
        });
        return command;
    }
}
