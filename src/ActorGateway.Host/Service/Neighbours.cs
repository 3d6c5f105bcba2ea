using System.Globalization;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using ActorGateway.Linux.Serial;

namespace ActorGateway.Host.Service;

/// <summary>
/// The Pi's own network stack, as seen from the gateway at start: Raspberry Pi OS runs ModemManager, which probes every
/// new modem's ttys with AT and keeps them open, and NetworkManager, which takes USB network interfaces (a phone's
/// <c>usb0</c>) and runs its own DHCP on them. Either fights the gateway for the same device. <c>tools/install.sh</c>
/// tells them to leave the gateway's devices alone (a udev rule setting <c>ID_MM_DEVICE_IGNORE</c>, NetworkManager's
/// <c>unmanaged-devices</c>); these checks say when one holds a device all the same.
/// </summary>
public static class Neighbours
{
    /// <summary>The udev rule tools/install.sh installs.</summary>
    public const string UdevRule = "/etc/udev/rules.d/78-actorgateway.rules";

    /// <summary>
    /// Warnings about ModemManager, when it runs: one per configured port it holds (seen from <c>/proc/PID/fd</c>, which
    /// under the unit's bounded capabilities shows only processes with no more capabilities than the gateway's — not
    /// ModemManager), one per configured port whose udev record lacks <c>ID_MM_DEVICE_IGNORE=1</c> (udev's database,
    /// <c>/run/udev/data/c MAJOR:MINOR</c>, which anyone may read), or else one that the udev rule is missing.
    /// </summary>
    public static IEnumerable<string> ModemManagerWarnings(
        GatewaySettings settings, string udevRule = UdevRule, string sysRoot = "/sys", string udevData = "/run/udev/data", Func<string, bool>? running = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!(running ?? Running)("ModemManager"))
        {
            yield break;
        }

        var warned = false;
        foreach (var port in settings.StaticDevices.SelectMany(d => new[] { d.Port, d.DataPort }).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(port))
            {
                continue;
            }

            if (TtyHolders.OthersHolding(port).FirstOrDefault(h => h.Name == "ModemManager") is { } holder)
            {
                warned = true;
                yield return $"ModemManager ({holder}) holds {port}: it will fight the gateway over the modem. " +
                    $"Install the gateway's udev rule (sudo tools/install.sh does; it sets ID_MM_DEVICE_IGNORE) and replug the modem, or stop ModemManager";
            }
            else if (IgnoredByModemManager(port, sysRoot, udevData) == false)
            {
                warned = true;
                yield return $"ModemManager runs and udev does not tell it to leave {port} alone (no ID_MM_DEVICE_IGNORE=1 in its udev record): " +
                    $"it may probe and hold the modem. Install the gateway's udev rule (sudo tools/install.sh) and replug the modem, or stop ModemManager";
            }
        }

        if (!warned && !File.Exists(udevRule))
        {
            yield return $"ModemManager is running and {udevRule} is missing: it will probe and hold every modem plugged in. " +
                "sudo tools/install.sh installs the rule (ID_MM_DEVICE_IGNORE), or stop ModemManager (systemctl disable --now ModemManager)";
        }
    }

    /// <summary>
    /// Whether udev marked the tty <paramref name="port"/> (a path or a link to it) for ModemManager to ignore: its
    /// <c>SYSFS/class/tty/NAME/dev</c> gives MAJOR:MINOR, and udev's record <c>UDEVDATA/cMAJOR:MINOR</c> holds the
    /// device's properties as <c>E:KEY=VALUE</c> lines. Null when either is missing (no udev, or not a tty).
    /// </summary>
    public static bool? IgnoredByModemManager(string port, string sysRoot = "/sys", string udevData = "/run/udev/data")
    {
        ArgumentNullException.ThrowIfNull(port);
        string name;
        try
        {
            name = Path.GetFileName(File.ResolveLinkTarget(port, returnFinalTarget: true)?.FullName ?? port);
        }
        catch (IOException)
        {
            return null;
        }

        if (TryRead(Path.Combine(sysRoot, "class/tty", name, "dev"))?.Trim() is not { Length: > 0 } dev
            || TryRead(Path.Combine(udevData, "c" + dev)) is not { } record)
        {
            return null;
        }

        return record.Split('\n').Any(line => line.Trim() is "E:ID_MM_DEVICE_IGNORE=1");
    }

    /// <summary>
    /// Warnings about NetworkManager: one per interface the gateway configures (static uplinks, the LAN) that it manages,
    /// from <c>nmcli -t -g GENERAL.STATE device show IFNAME</c>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> NetworkManagerWarningsAsync(UplinkSettings uplinks, ICommandRunner commands, string nmcli = "/usr/bin/nmcli")
    {
        ArgumentNullException.ThrowIfNull(uplinks);
        ArgumentNullException.ThrowIfNull(commands);
        var warnings = new List<string>();
        if (!uplinks.Enabled || !Running("NetworkManager") || !File.Exists(nmcli))
        {
            return warnings;
        }

        var interfaces = uplinks.StaticUplinks.Select(u => u.Interface).Concat(uplinks.Lan is { } lan ? [lan.Interface] : []).Distinct(StringComparer.Ordinal);
        foreach (var name in interfaces)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            CommandResult result;
            try
            {
                result = await commands.RunAsync(new CommandSpec(nmcli, ["-t", "-g", "GENERAL.STATE", "device", "show", name]), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                continue;
            }

            var state = result.Output.Trim();
            if (result.Succeeded && state.Length > 0 && !state.Contains("unmanaged", StringComparison.Ordinal))
            {
                warnings.Add($"NetworkManager manages {name} ({state}): it will run its own DHCP and routes on it beside the gateway's. " +
                    $"sudo tools/install.sh adds it to unmanaged-devices, or: nmcli device set {name} managed no");
            }
        }

        return warnings;
    }

    /// <summary>True when a process named <paramref name="comm"/> runs (its <c>/proc/PID/comm</c>, proc(5)).</summary>
    public static bool Running(string comm)
    {
        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    && TryRead(Path.Combine(directory, "comm"))?.Trim() == comm)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
        }

        return false;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process ended meanwhile
        }
    }
}
