using ActorGateway.Core.Power;
using ActorGateway.Linux.Power;

namespace ActorGateway.Integration.Tests.Linux;

/// <summary>The Pi's power sensors read from fixture sysfs trees: the firmware's get_throttled, the rpi_volt hwmon alarm, or neither.</summary>
public sealed class PiPowerSensorTests : IDisposable
{
    private readonly TempDir _sys = new();

    public void Dispose() => _sys.Dispose();

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_sys.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>An hwmon device as the kernel lays it out: the class entry is a link to the device's directory.</summary>
    private void Hwmon(string index, string name, string? alarm)
    {
        var device = Path.Combine(_sys.Path, "devices/platform/soc/soc:firmware/raspberrypi-hwmon/hwmon", index);
        Directory.CreateDirectory(device);
        File.WriteAllText(Path.Combine(device, "name"), name + "\n");
        if (alarm is not null)
        {
            File.WriteAllText(Path.Combine(device, "in0_lcrit_alarm"), alarm + "\n");
        }

        Directory.CreateDirectory(Path.Combine(_sys.Path, "class/hwmon"));
        File.CreateSymbolicLink(Path.Combine(_sys.Path, "class/hwmon", index), device);
    }

    [Fact]
    public void PiPowerSensor_should_read_the_firmware_flags()
    {
        Write(PiPowerSensor.ThrottledFile, "50005\n");

        var reading = new PiPowerSensor(_sys.Path).Read();

        Assert.NotNull(reading);
        Assert.Equal(ThrottleFlags.UnderVoltage | ThrottleFlags.Throttled | ThrottleFlags.UnderVoltageOccurred | ThrottleFlags.ThrottledOccurred, reading.Flags);
        Assert.Null(reading.LowVoltageAlarm);
        Assert.True(reading.UnderVoltageNow);
    }

    [Fact]
    public void PiPowerSensor_should_find_the_firmware_file_under_a_soc_node_named_with_its_address()
    {
        // A Pi 5 device tree names the SoC bus with its address: soc@107c000000.
        Write("devices/platform/soc@107c000000/soc@107c000000:firmware/get_throttled", "0x10000\n");
        Write("devices/platform/serial8250/driver_override", "(null)\n");

        var reading = new PiPowerSensor(_sys.Path).Read();

        Assert.NotNull(reading);
        Assert.Equal(ThrottleFlags.UnderVoltageOccurred, reading.Flags);
        Assert.False(reading.UnderVoltageNow);
    }

    [Fact]
    public void PiPowerSensor_should_read_the_rpi_volt_alarm_among_other_hwmon_devices()
    {
        Hwmon("hwmon0", "cpu_thermal", null);
        Hwmon("hwmon1", "rpi_volt", "1");

        var reading = new PiPowerSensor(_sys.Path).Read();

        Assert.NotNull(reading);
        Assert.Null(reading.Flags);
        Assert.True(reading.LowVoltageAlarm);
        Assert.True(reading.UnderVoltageNow);
    }

    [Fact]
    public void PiPowerSensor_should_read_both_when_both_are_there()
    {
        Write(PiPowerSensor.ThrottledFile, "0\n");
        Hwmon("hwmon2", "rpi_volt", "0");

        var reading = new PiPowerSensor(_sys.Path).Read();

        Assert.Equal(new PowerReading(ThrottleFlags.None, false), reading);
        Assert.False(reading!.UnderVoltageNow);
    }

    [Fact]
    public void PiPowerSensor_should_find_nothing_on_another_board()
    {
        Hwmon("hwmon0", "coretemp", null);
        Write("devices/platform/soc/other", "x");

        Assert.Null(new PiPowerSensor(_sys.Path).Read());
        Assert.Null(new PiPowerSensor(Path.Combine(_sys.Path, "missing")).Read());
    }

    [Fact]
    public void PiPowerSensor_should_ignore_a_firmware_file_it_cannot_parse()
    {
        Write(PiPowerSensor.ThrottledFile, "garbage\n");

        Assert.Null(new PiPowerSensor(_sys.Path).Read());
    }
}
