using ActorGateway.Core.Power;

namespace ActorGateway.Core.Tests.Power;

/// <summary>
/// The firmware's get_throttled bits as the Raspberry Pi documentation lists them: 0 under-voltage, 1 ARM frequency
/// capped, 2 throttled, 3 soft temperature limit; 16 to 19 the same "has occurred earlier" (sticky).
/// </summary>
public class ThrottleFlagsTests
{
    [Theory]
    [InlineData(0, ThrottleFlags.UnderVoltage)]
    [InlineData(1, ThrottleFlags.FrequencyCapped)]
    [InlineData(2, ThrottleFlags.Throttled)]
    [InlineData(3, ThrottleFlags.SoftTemperatureLimit)]
    [InlineData(16, ThrottleFlags.UnderVoltageOccurred)]
    [InlineData(17, ThrottleFlags.FrequencyCappedOccurred)]
    [InlineData(18, ThrottleFlags.ThrottledOccurred)]
    [InlineData(19, ThrottleFlags.SoftTemperatureLimitOccurred)]
    public void ThrottleFlags_should_sit_on_the_documented_bit(int bit, ThrottleFlags flag) =>
        Assert.Equal(1 << bit, (int)flag);

    [Theory]
    [InlineData("0", ThrottleFlags.None)]
    [InlineData("50005\n", ThrottleFlags.UnderVoltage | ThrottleFlags.Throttled | ThrottleFlags.UnderVoltageOccurred | ThrottleFlags.ThrottledOccurred)]
    [InlineData("0x50000", ThrottleFlags.UnderVoltageOccurred | ThrottleFlags.ThrottledOccurred)]
    [InlineData("throttled=0x80008", ThrottleFlags.SoftTemperatureLimit | ThrottleFlags.SoftTemperatureLimitOccurred)]
    [InlineData("0X20002", ThrottleFlags.FrequencyCapped | ThrottleFlags.FrequencyCappedOccurred)]
    [InlineData("  e0000 ", ThrottleFlags.FrequencyCappedOccurred | ThrottleFlags.ThrottledOccurred | ThrottleFlags.SoftTemperatureLimitOccurred)]
    public void Throttle_should_parse_what_sysfs_and_vcgencmd_print(string text, ThrottleFlags expected) =>
        Assert.Equal(expected, Throttle.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("throttled=")]
    [InlineData("zz")]
    [InlineData("123456789")]
    [InlineData("-1")]
    public void Throttle_should_refuse_anything_else(string text) => Assert.Null(Throttle.Parse(text));

    [Fact]
    public void Throttle_should_word_each_flag_now_and_since_boot()
    {
        Assert.Equal("none", Throttle.Describe(ThrottleFlags.None));
        Assert.Equal("under-voltage now, throttled now, under-voltage earlier, throttled earlier",
            Throttle.Describe(Throttle.Parse("50005")!.Value));
        Assert.Equal("ARM frequency capped now, soft temperature limit now, frequency capped earlier, soft temperature limit earlier",
            Throttle.Describe(Throttle.Parse("a000a")!.Value));
    }

    [Theory]
    [InlineData("0", null, false, false, false)]
    [InlineData("1", null, true, false, false)]
    [InlineData("10000", null, false, true, false)]
    [InlineData("50005", null, true, true, true)]
    [InlineData("2", null, false, false, true)]
    [InlineData("8", null, false, false, false)]
    [InlineData(null, true, true, false, false)]
    [InlineData(null, false, false, false, false)]
    [InlineData("0", true, true, false, false)]
    public void PowerReading_should_combine_the_firmware_flags_and_the_hwmon_alarm(
        string? flags, bool? alarm, bool underVoltageNow, bool occurred, bool throttledNow)
    {
        var reading = new PowerReading(flags is null ? null : Throttle.Parse(flags), alarm);

        Assert.Equal(underVoltageNow, reading.UnderVoltageNow);
        Assert.Equal(occurred, reading.UnderVoltageOccurred);
        Assert.Equal(throttledNow, reading.ThrottledNow);
    }
}
