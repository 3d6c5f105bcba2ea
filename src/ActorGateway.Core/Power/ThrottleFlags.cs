using System.Globalization;

namespace ActorGateway.Core.Power;

/// <summary>
/// The Raspberry Pi firmware's throttling bitmask, as <c>vcgencmd get_throttled</c> prints it and the firmware driver
/// exposes it in sysfs (<c>/sys/devices/platform/soc/soc:firmware/get_throttled</c>, hex). Bits, from the Raspberry Pi
/// documentation ("vcgencmd", get_throttled): 0 under-voltage detected, 1 ARM frequency capped, 2 currently throttled,
/// 3 soft temperature limit active; 16 to 19 say the same happened earlier: sticky bits, set since boot or since they were
/// last cleared (the kernel's raspberrypi-hwmon driver asks the firmware to clear them every 2 s, so with it they cover ~2 s).
/// </summary>
[Flags]
public enum ThrottleFlags
{
    None = 0,
    UnderVoltage = 1 << 0,
    FrequencyCapped = 1 << 1,
    Throttled = 1 << 2,
    SoftTemperatureLimit = 1 << 3,
    UnderVoltageOccurred = 1 << 16,
    FrequencyCappedOccurred = 1 << 17,
    ThrottledOccurred = 1 << 18,
    SoftTemperatureLimitOccurred = 1 << 19,
}

/// <summary>One reading of the Pi's power sensors.</summary>
/// <param name="Flags">The firmware's flags, when <c>get_throttled</c> is there.</param>
/// <param name="LowVoltageAlarm">The hwmon <c>rpi_volt</c> sensor's <c>in0_lcrit_alarm</c> (newer kernels), when it is there.</param>
public sealed record PowerReading(ThrottleFlags? Flags, bool? LowVoltageAlarm)
{
    /// <summary>Under-voltage now, by either source.</summary>
    public bool UnderVoltageNow => LowVoltageAlarm == true || (Flags?.HasFlag(ThrottleFlags.UnderVoltage) ?? false);

    /// <summary>Under-voltage earlier (the firmware's sticky bit: since boot, or since the hwmon driver last cleared it).</summary>
    public bool UnderVoltageOccurred => Flags?.HasFlag(ThrottleFlags.UnderVoltageOccurred) ?? false;

    /// <summary>Throttled (or frequency-capped) now.</summary>
    public bool ThrottledNow => (Flags ?? ThrottleFlags.None).HasFlag(ThrottleFlags.Throttled) || (Flags ?? ThrottleFlags.None).HasFlag(ThrottleFlags.FrequencyCapped);
}

/// <summary>Parses and words the firmware's flags.</summary>
public static class Throttle
{
    /// <summary>What the seed guide found: the dongle draws about 700 mA while it connects, more than a Pi's USB port gives.</summary>
    public const string Advice =
        "the dongle draws about 700 mA while it connects, more than the Pi's USB ports can give: power it through a powered USB hub (or use a stronger supply)";

    /// <summary>
    /// Parses <c>get_throttled</c>'s content: hex with or without <c>0x</c> (<c>0x50005</c>), or <c>vcgencmd</c>'s
    /// <c>throttled=0x50005</c>. Null for anything else.
    /// </summary>
    public static ThrottleFlags? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.StartsWith("throttled=", StringComparison.Ordinal))
        {
            value = value["throttled=".Length..];
        }

        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }

        return value.Length is > 0 and <= 8 && uint.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits)
            ? (ThrottleFlags)(int)bits
            : null;
    }

    /// <summary>The flags in words: <c>under-voltage now, throttled now, under-voltage earlier</c>; "none" when clear.</summary>
    public static string Describe(ThrottleFlags flags)
    {
        var words = new List<string>();
        void Add(ThrottleFlags flag, string word)
        {
            if (flags.HasFlag(flag))
            {
                words.Add(word);
            }
        }

        Add(ThrottleFlags.UnderVoltage, "under-voltage now");
        Add(ThrottleFlags.FrequencyCapped, "ARM frequency capped now");
        Add(ThrottleFlags.Throttled, "throttled now");
        Add(ThrottleFlags.SoftTemperatureLimit, "soft temperature limit now");
        Add(ThrottleFlags.UnderVoltageOccurred, "under-voltage earlier");
        Add(ThrottleFlags.FrequencyCappedOccurred, "frequency capped earlier");
        Add(ThrottleFlags.ThrottledOccurred, "throttled earlier");
        Add(ThrottleFlags.SoftTemperatureLimitOccurred, "soft temperature limit earlier");
        return words.Count == 0 ? "none" : string.Join(", ", words);
    }
}
