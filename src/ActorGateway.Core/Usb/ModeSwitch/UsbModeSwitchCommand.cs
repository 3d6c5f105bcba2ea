using System.Globalization;
using ActorGateway.Core.Io;

namespace ActorGateway.Core.Usb.ModeSwitch;

/// <summary>What usb_modeswitch said it did; the gateway judges success itself by what comes back on the bus.</summary>
public enum ModeSwitchClaim
{
    /// <summary>It sent the switching message (<c>ok:busdev</c> / <c>ok:no_data</c>) and did not check the result.</summary>
    Sent,

    /// <summary>It says the device came back as <see cref="ModeSwitchReport.ClaimedTarget"/> (<c>ok:vvvv:pppp</c>) or "Mode switch succeeded".</summary>
    Switched,

    /// <summary>It says "Mode switch has failed" — which it often says after a switch that worked (seed guide).</summary>
    ClaimsFailure,

    /// <summary>It found no device in default mode at that bus/device number (already switched, or gone).</summary>
    NoDevice,

    /// <summary>It failed outright (<c>fail:</c>, an error exit, or it could not run).</summary>
    Error,
}

/// <summary>usb_modeswitch's exit status and output, read honestly: what it claims is reported, never taken as the verdict.</summary>
public sealed record ModeSwitchReport(int ExitCode, IReadOnlyList<string> Lines)
{
    /// <summary>Its claim, from the <c>-D</c> (sysmode) status line and its messages.</summary>
    public ModeSwitchClaim Claim
    {
        get
        {
            if (Lines.Any(l => l.StartsWith("fail:", StringComparison.Ordinal)) || ExitCode != 0)
            {
                return ModeSwitchClaim.Error;
            }

            if (ClaimedTarget is not null || Lines.Any(l => l.Contains("Mode switch succeeded", StringComparison.Ordinal)
                || l.Contains("most likely succeeded", StringComparison.Ordinal)))
            {
                return ModeSwitchClaim.Switched;
            }

            if (Lines.Any(l => l.Contains("Mode switch has failed", StringComparison.Ordinal)
                || l.Contains("most likely failed", StringComparison.Ordinal)))
            {
                return ModeSwitchClaim.ClaimsFailure;
            }

            if (Lines.Any(l => l.Contains("No devices in default mode found", StringComparison.Ordinal)))
            {
                return ModeSwitchClaim.NoDevice;
            }

            return ModeSwitchClaim.Sent;
        }
    }

    /// <summary>The id in its <c>ok:vvvv:pppp</c> line, when it printed one.</summary>
    public UsbId? ClaimedTarget =>
        Lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("ok:", StringComparison.Ordinal) && l.Length == 12) is { } ok
        && UsbId.TryParse(ok[3..], out var id)
            ? id
            : null;

    /// <summary>A few words for logs: its claim and its most telling line.</summary>
    public string Describe()
    {
        var telling = Lines.LastOrDefault(l => l.Contains("Mode switch", StringComparison.Ordinal) || l.StartsWith("ok:", StringComparison.Ordinal)
            || l.StartsWith("fail:", StringComparison.Ordinal) || l.Contains("Error", StringComparison.Ordinal) || l.Contains("No devices", StringComparison.Ordinal));
        var exit = ExitCode == 0 ? string.Empty : $" (exit {ExitCode})";
        return telling is null ? $"{Claim}{exit}" : $"{Claim}{exit}: \"{telling.Trim()}\"";
    }
}

/// <summary>
/// The usb_modeswitch command line for one device, as usb_modeswitch_dispatcher builds it: <c>-W</c> (say what it
/// does, for our log), <c>-D</c> (system mode: a one-line <c>ok:</c>/<c>fail:</c> status), the bus and device number
/// (so exactly this device is touched, not another of the same id), the default ids, and the entry's text with
/// <c>-f</c>. No <c>-s</c>: usb_modeswitch's own success check often reports failure after a switch that worked (seed
/// guide); the gateway watches the device come back instead.
/// </summary>
public static class UsbModeSwitchCommand
{
    /// <summary>Where Debian installs it.</summary>
    public const string DefaultProgram = "/usr/sbin/usb_modeswitch";

    /// <summary>The argument list for switching <paramref name="device"/> with <paramref name="entry"/>.</summary>
    public static ProcessSpec Build(string program, UsbDevice device, ModeSwitchEntry entry) => new(program,
    [
        "-W",
        "-D",
        "-b", device.BusNumber.ToString(CultureInfo.InvariantCulture),
        "-g", device.DeviceNumber.ToString(CultureInfo.InvariantCulture),
        "-v", device.Id.Vendor.ToString("x4", CultureInfo.InvariantCulture),
        "-p", device.Id.Product.ToString("x4", CultureInfo.InvariantCulture),
        "-f", entry.Config.Text,
    ]);
}
