using ActorGateway.Core.Io;
using ActorGateway.Core.Power;

namespace ActorGateway.Linux.Power;

/// <summary>
/// The Raspberry Pi's power sensors in sysfs: the firmware driver's <c>devices/platform/soc/soc:firmware/get_throttled</c>
/// (the bitmask of <c>vcgencmd get_throttled</c>), and the <c>rpi_volt</c> hwmon device's <c>in0_lcrit_alarm</c> that newer
/// kernels have (drivers/hwmon/raspberrypi-hwmon.c: 1 while the supply is below the firmware's threshold). Under
/// <paramref name="sysfsRoot"/>, so tests read fixture trees. On another board neither file exists.
/// </summary>
public sealed class PiPowerSensor(string sysfsRoot = "/sys") : IPowerSensor
{
    /// <summary>The firmware file, relative to the sysfs root.</summary>
    public const string ThrottledFile = "devices/platform/soc/soc:firmware/get_throttled";

    private string? _throttledFile;

    /// <inheritdoc />
    public string Describe() => $"{Path.Combine(sysfsRoot, ThrottledFile)} and the rpi_volt hwmon in {Path.Combine(sysfsRoot, "class/hwmon")}";

    /// <inheritdoc />
    public PowerReading? Read()
    {
        ThrottleFlags? flags = TryRead(_throttledFile ??= FindThrottledFile()) is { } text ? Throttle.Parse(text) : null;
        bool? alarm = null;
        if (FindVoltageSensor() is { } hwmon && TryRead(Path.Combine(hwmon, "in0_lcrit_alarm")) is { } a)
        {
            alarm = a.Trim() == "1";
        }

        return flags is null && alarm is null ? null : new PowerReading(flags, alarm);
    }

    /// <summary>
    /// The firmware's file: <see cref="ThrottledFile"/>, or where the SoC node has its address in its name (Pi 5 device
    /// trees: <c>devices/platform/soc@107c000000/soc@107c000000:firmware/get_throttled</c>).
    /// </summary>
    private string FindThrottledFile()
    {
        var known = Path.Combine(sysfsRoot, ThrottledFile);
        var platform = Path.Combine(sysfsRoot, "devices/platform");
        if (File.Exists(known) || !Directory.Exists(platform))
        {
            return known;
        }

        try
        {
            return Directory.EnumerateDirectories(platform, "soc*")
                .SelectMany(soc => Directory.EnumerateDirectories(soc, "*:firmware"))
                .Select(firmware => Path.Combine(firmware, "get_throttled"))
                .FirstOrDefault(File.Exists) ?? known;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return known;
        }
    }

    private string? FindVoltageSensor()
    {
        var hwmon = Path.Combine(sysfsRoot, "class/hwmon");
        if (!Directory.Exists(hwmon))
        {
            return null;
        }

        try
        {
            return Directory.EnumerateFileSystemEntries(hwmon).FirstOrDefault(d => TryRead(Path.Combine(d, "name"))?.Trim() == "rpi_volt");
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
