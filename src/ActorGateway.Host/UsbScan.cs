using System.Globalization;
using System.Text;
using ActorGateway.Actors.Settings;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Host;

/// <summary>One interface as <c>scan</c> shows it.</summary>
public sealed record ScannedInterface(int Number, string Class, string? Driver, IReadOnlyList<string> Ttys, IReadOnlyList<string> Net);

/// <summary>One device as <c>scan</c> shows it: what it is, and what the gateway would do with it.</summary>
public sealed record ScannedDevice(
    string Name,
    string Id,
    string? Manufacturer,
    string? Product,
    string? Serial,
    int Bus,
    int Device,
    IReadOnlyList<ScannedInterface> Interfaces,
    string Role,
    string Reason,
    string Action,
    IReadOnlyList<string> ProbeOrder,
    string? AtPortFirst,
    string? DataPort,
    string? ModeSwitchEntry,
    IReadOnlyList<string>? ModeSwitchWarnings,
    IReadOnlyList<string>? ModeSwitchCommand,
    string? DeviceRule);

/// <summary>What <c>actorgateway scan</c> found.</summary>
public sealed record UsbScanReport(string SysfsRoot, bool UsbBus, int ModeSwitchEntries, IReadOnlyList<string> ModeSwitchSources, IReadOnlyList<ScannedDevice> Devices);

/// <summary>
/// <c>actorgateway scan</c>: the seed guide's <c>lsusb</c> step with the decision — every USB device, its class, drivers
/// and ports, and what the gateway would do with it (the AT port it would ask first, the usb_modeswitch entry and
/// command, the tethering interface), read from sysfs without opening or changing anything.
/// </summary>
public static class UsbScan
{
    /// <summary>Reads sysfs and decides, as discovery would, for every device present.</summary>
    public static UsbScanReport Build(IUsbSysfs sysfs, string sysfsRoot, ModeSwitchDatabase database, UsbSettings settings)
    {
        if (!sysfs.HasUsbBus)
        {
            return new UsbScanReport(sysfsRoot, false, database.Entries.Count, database.Sources, []);
        }

        var devices = new List<ScannedDevice>();
        foreach (var device in sysfs.Enumerate().OrderBy(d => d.BusNumber).ThenBy(d => d.DeviceNumber))
        {
            var scsi = device.Interfaces.Any(i => i.Class == 0x08) ? sysfs.ReadScsi(device) : null;
            var c = UsbClassifier.Classify(device, database, scsi);
            var order = c.ProbeOrder;
            var first = order.FirstOrDefault();
            var data = first is { Hint: PortRoleHint.AtPrimary } ? order.FirstOrDefault(p => p.Hint == PortRoleHint.AtPpp && p.Tty != first.Tty) : null;
            var rule = settings.Devices.Find(new DeviceFacts(device.Id, device.Serial));
            var ignored = settings.Ignore.Contains(device.Id);
            var action = ignored ? "leave it alone (actorgateway.usb.ignore)" : c.Role switch
            {
                UsbDeviceRole.Modem => $"ask {string.Join(", ", order.Select(p => p.Tty))} AT at once, {first?.Tty} first; then AT+PPP",
                UsbDeviceRole.Tethering => $"hand {string.Join(", ", c.NetPorts.Select(n => $"{n.Interface} ({n.Driver})"))} to the tethering path",
                UsbDeviceRole.ModeSwitch => settings.ModeSwitch.Enabled ? "switch it to modem mode with usb_modeswitch, then wait for it to come back" : "nothing: mode switching is off",
                UsbDeviceRole.NeedsDriver => settings.BindDriver.Enabled ? "give it a serial driver (option new_id), then probe its ttys" : "nothing: binding a driver is off",
                _ => "nothing",
            };
            devices.Add(new ScannedDevice(
                device.Name,
                device.Id.ToString(),
                device.Manufacturer,
                device.Product,
                device.Serial,
                device.BusNumber,
                device.DeviceNumber,
                [.. device.Interfaces.Select(i => new ScannedInterface(i.Number, i.ClassTriple, i.Driver, i.Ttys, i.NetInterfaces))],
                (ignored ? UsbDeviceRole.Ignored : c.Role).ToString().ToLowerInvariant(),
                c.Reason,
                action,
                [.. order.Select(p => p.Describe())],
                first is null ? null : Path.Combine(settings.DevDirectory, first.Tty),
                data is null ? null : Path.Combine(settings.DevDirectory, data.Tty),
                c.ModeSwitch?.Describe(),
                c.ModeSwitch?.Config.Warnings,
                c.ModeSwitch is { } entry ? UsbModeSwitchCommand.Build(settings.ModeSwitch.Program, device, entry).Arguments.Prepend(settings.ModeSwitch.Program).ToList() : null,
                rule is null ? null : $"{rule.Name} ({rule.Match.Describe()})"));
        }

        return new UsbScanReport(sysfsRoot, true, database.Entries.Count, database.Sources, devices);
    }

    /// <summary>The report for people.</summary>
    public static string Render(UsbScanReport report)
    {
        var sb = new StringBuilder();
        if (!report.UsbBus)
        {
            sb.Append(CultureInfo.InvariantCulture, $"This machine has no USB bus ({report.SysfsRoot}/bus/usb/devices is missing): nothing to scan.\n");
            return sb.ToString();
        }

        sb.Append(CultureInfo.InvariantCulture,
            $"usb_modeswitch database: {report.ModeSwitchEntries} entries{(report.ModeSwitchSources.Count > 0 ? " from " + string.Join(" and ", report.ModeSwitchSources) : " (usb-modeswitch-data not installed)")}\n\n");
        foreach (var d in report.Devices)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"Bus {d.Bus:D3} Device {d.Device:D3}: ID {d.Id} {d.Manufacturer} {d.Product}").TrimEnd();
            sb.Append(line).Append(CultureInfo.InvariantCulture, $"  [{d.Name}]\n");
            if (d.Serial is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  serial:     {d.Serial}\n");
            }

            foreach (var i in d.Interfaces)
            {
                var children = string.Join(", ", i.Ttys.Concat(i.Net));
                sb.Append(CultureInfo.InvariantCulture, $"  if {i.Number}:       {i.Class} {i.Driver ?? "(no driver)"}{(children.Length > 0 ? " → " + children : string.Empty)}\n");
            }

            sb.Append(CultureInfo.InvariantCulture, $"  is:         {d.Role}: {d.Reason}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  would:      {d.Action}\n");
            if (d.AtPortFirst is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  AT first:   {d.AtPortFirst}{(d.DataPort is not null ? $"; data on {d.DataPort}" : string.Empty)} (probe order: {string.Join(", ", d.ProbeOrder)})\n");
            }

            if (d.ModeSwitchEntry is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  modeswitch: {d.ModeSwitchEntry}\n");
                foreach (var warning in d.ModeSwitchWarnings ?? [])
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  warning:    {warning}\n");
                }

                sb.Append("  command:    ").Append(string.Join(' ', d.ModeSwitchCommand!.Select(Quote))).Append('\n');
            }

            if (d.DeviceRule is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  profile:    {d.DeviceRule}\n");
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '.' or '_' or ':')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
}
