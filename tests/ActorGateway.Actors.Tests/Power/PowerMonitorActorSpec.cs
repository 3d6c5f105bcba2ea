using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Core.Io;
using ActorGateway.Core.Power;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Power;

/// <summary>
/// The Pi's supply watched on virtual time: an under-voltage said once per episode (not every poll), device losses
/// close to it reported as its casualties with the powered-hub advice, and nothing at all on a board without sensors.
/// </summary>
public sealed class PowerMonitorActorSpec : VirtualTimeSpec
{
    private static readonly PowerSettings Settings = new(true, "/sys", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
    private readonly FakeSensor _sensor = new();

    public PowerMonitorActorSpec(ITestOutputHelper output)
        : base(output)
    {
    }

    private IActorRef Start()
    {
        var monitor = Sys.ActorOf(PowerMonitorActor.Props(Settings, _sensor, Clock), "power");
        Settle(monitor);
        return monitor;
    }

    private void Poll(IActorRef monitor, string? flags, bool? alarm = null)
    {
        _sensor.Reading = new PowerReading(flags is null ? null : Throttle.Parse(flags), alarm);
        Advance(Settings.PollInterval);
        Settle(monitor);
    }

    private static PowerStatus Status(IActorRef monitor) =>
        monitor.Ask<PowerStatus>(PowerMonitor.GetStatus.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    private static IEnumerable<string> Warnings(LogCapture logs) => logs.Texts.Where(t => t.StartsWith("WarningLevel Power:", StringComparison.Ordinal));

    [Fact]
    public void PowerMonitor_should_say_nothing_on_a_board_without_the_sensors()
    {
        var logs = CaptureLogs();
        _sensor.Reading = null;
        var monitor = Start();
        Sys.EventStream.Publish(new DeviceEvents.PortLost("dongle", "the port vanished"));
        Advance(TimeSpan.FromSeconds(10));
        Settle(monitor);

        var status = Status(monitor);

        Assert.False(status.Available);
        Assert.Null(status.Advice);
        Assert.Empty(status.Casualties);
        Assert.DoesNotContain(logs.Texts, t => t.StartsWith("WarningLevel", StringComparison.Ordinal) || t.StartsWith("InfoLevel Power", StringComparison.Ordinal));
        Assert.Equal(1, _sensor.Reads); // it looked once, and not again
    }

    [Fact]
    public void PowerMonitor_should_say_an_under_voltage_once_per_episode_not_every_poll()
    {
        var logs = CaptureLogs();
        _sensor.Reading = new PowerReading(ThrottleFlags.None, null);
        var monitor = Start();

        for (var i = 0; i < 5; i++)
        {
            Poll(monitor, "50005");
        }

        AwaitAssert(() => Assert.Single(Warnings(logs), t => t.StartsWith("WarningLevel Power: under-voltage now", StringComparison.Ordinal)));
        Assert.Contains("powered USB hub", Warnings(logs).First(), StringComparison.Ordinal);
        Assert.True(Status(monitor).UnderVoltageNow);

        Poll(monitor, "50000");
        Poll(monitor, "50000");
        AwaitAssert(() => Assert.Single(logs.Texts, t => t.Contains("the supply voltage is back to normal", StringComparison.Ordinal)));

        Poll(monitor, "50005");
        Poll(monitor, "50005");
        AwaitAssert(() => Assert.Equal(2, Warnings(logs).Count(t => t.StartsWith("WarningLevel Power: under-voltage now", StringComparison.Ordinal))));
        var status = Status(monitor);
        Assert.Equal(2, status.UnderVoltageEpisodes);
        Assert.Equal(2, Warnings(logs).Count(t => t.StartsWith("WarningLevel Power: the Pi is throttled", StringComparison.Ordinal))); // once per throttling too
    }

    [Fact]
    public void PowerMonitor_should_count_an_under_voltage_between_two_reads_from_the_sticky_bit()
    {
        var logs = CaptureLogs();
        _sensor.Reading = new PowerReading(ThrottleFlags.None, null);
        var monitor = Start();

        Poll(monitor, "10000");
        Poll(monitor, "10000");

        AwaitAssert(() => Assert.Single(Warnings(logs), t => t.Contains("an under-voltage happened since the last read", StringComparison.Ordinal)));
        var status = Status(monitor);
        Assert.Equal(1, status.UnderVoltageEpisodes);
        Assert.False(status.UnderVoltageNow);
        Assert.True(status.UnderVoltageEarlier);
        Assert.Equal(Clock.GetUtcNow() - Settings.PollInterval, status.LastUnderVoltageAt);
    }

    [Fact]
    public void PowerMonitor_should_count_one_episode_when_the_hwmon_driver_clears_the_sticky_bit_mid_episode()
    {
        // drivers/hwmon/raspberrypi-hwmon.c asks the firmware to clear the sticky bits every 2 s: during an episode the
        // bit is cleared while bit 0 is still set, and set again by the episode's tail after the voltage recovered.
        var logs = CaptureLogs();
        _sensor.Reading = new PowerReading(ThrottleFlags.None, null);
        var monitor = Start();

        Poll(monitor, "10001"); // under-voltage now
        Poll(monitor, "1");     // still under, sticky bit just cleared
        Poll(monitor, "10000"); // recovered; the sticky bit from the episode's tail
        Poll(monitor, "0");

        AwaitAssert(() => Assert.Single(logs.Texts, t => t.Contains("the supply voltage is back to normal", StringComparison.Ordinal)));
        Assert.Equal(1, Status(monitor).UnderVoltageEpisodes);
        Assert.DoesNotContain(Warnings(logs), t => t.Contains("happened since the last read", StringComparison.Ordinal));
    }

    [Fact]
    public void PowerMonitor_should_mention_an_under_voltage_since_boot_at_start_only()
    {
        var logs = CaptureLogs();
        _sensor.Reading = new PowerReading(Throttle.Parse("50000"), null);
        var monitor = Start();
        Poll(monitor, "50000");

        AwaitAssert(() => Assert.Single(Warnings(logs)));
        Assert.Contains("under-voltage before the gateway started", Warnings(logs).Single(), StringComparison.Ordinal);
        var status = Status(monitor);
        Assert.True(status.Available);
        Assert.True(status.UnderVoltageEarlier);
        Assert.Equal(0, status.UnderVoltageEpisodes);
        Assert.Null(status.LastUnderVoltageAt);
        Assert.Equal("0x50000", status.Flags);
        Assert.Equal("under-voltage earlier, throttled earlier", status.Detail);
        Assert.Equal(Throttle.Advice, status.Advice);
    }

    [Fact]
    public void PowerMonitor_should_list_a_device_lost_after_an_under_voltage_as_its_casualty_with_the_advice()
    {
        var logs = CaptureLogs();
        _sensor.Reading = new PowerReading(ThrottleFlags.None, null);
        var monitor = Start();
        Poll(monitor, "50005");
        Poll(monitor, "50000");
        var underVoltageAt = Clock.GetUtcNow() - Settings.PollInterval;

        Advance(TimeSpan.FromSeconds(10));
        Sys.EventStream.Publish(new DeviceEvents.PortLost("dongle", "/dev/ttyUSB0 vanished"));
        Sys.EventStream.Publish(new DeviceEvents.ModemUnresponsive("phone", "3 commands unanswered"));
        Settle(monitor);

        var status = Status(monitor);
        Assert.Equal(2, status.Casualties.Count);
        Assert.Equal("dongle lost its port (/dev/ttyUSB0 vanished) 12 s after the Pi reported under-voltage", status.Casualties[0].Detail);
        Assert.Equal(underVoltageAt + TimeSpan.FromSeconds(12), status.Casualties[0].At);
        Assert.Equal("phone stopped answering 12 s after the Pi reported under-voltage", status.Casualties[1].Detail);
        Assert.Equal(Throttle.Advice, status.Advice);
        Assert.Contains("powered USB hub", status.Advice, StringComparison.Ordinal);
        AwaitAssert(() => Assert.Contains(Warnings(logs), t => t.Contains("dongle lost its port", StringComparison.Ordinal)
            && t.Contains("likely a brown-out", StringComparison.Ordinal) && t.Contains("powered USB hub", StringComparison.Ordinal)));
    }

    [Fact]
    public void PowerMonitor_should_tie_a_loss_just_before_the_under_voltage_is_read_to_it()
    {
        _sensor.Reading = new PowerReading(ThrottleFlags.None, null);
        var monitor = Start();
        Sys.EventStream.Publish(new DeviceEvents.PortLost("dongle", "/dev/ttyUSB0 vanished"));
        Settle(monitor);
        Assert.Empty(Status(monitor).Casualties);

        Poll(monitor, "50005"); // the poll after the loss sees the under-voltage

        var casualty = Assert.Single(Status(monitor).Casualties);
        Assert.Equal("dongle lost its port (/dev/ttyUSB0 vanished) 2 s before the Pi reported under-voltage", casualty.Detail);
    }

    [Fact]
    public void PowerMonitor_should_not_blame_the_supply_for_a_loss_outside_the_reset_window()
    {
        _sensor.Reading = new PowerReading(ThrottleFlags.None, null);
        var monitor = Start();
        Poll(monitor, "50005");
        Poll(monitor, "50000");

        Advance(Settings.ResetWindow + TimeSpan.FromSeconds(5));
        Settle(monitor);
        Sys.EventStream.Publish(new DeviceEvents.PortLost("dongle", "unplugged"));
        Settle(monitor);
        Poll(monitor, "50000");

        var status = Status(monitor);
        Assert.Empty(status.Casualties);
        Assert.True(status.UnderVoltageEarlier);
    }

    [Fact]
    public void PowerMonitor_should_read_the_hwmon_alarm_where_there_are_no_firmware_flags()
    {
        var logs = CaptureLogs();
        _sensor.Reading = new PowerReading(null, false);
        var monitor = Start();
        Poll(monitor, null, alarm: true);
        Poll(monitor, null, alarm: true);

        var status = Status(monitor);
        Assert.True(status.Available);
        Assert.True(status.UnderVoltageNow);
        Assert.Null(status.Flags);
        Assert.Equal("no firmware flags; rpi_volt in0_lcrit_alarm = 1", status.Detail);
        AwaitAssert(() => Assert.Single(Warnings(logs), t => t.StartsWith("WarningLevel Power: under-voltage now", StringComparison.Ordinal)));
    }

    private sealed class FakeSensor : IPowerSensor
    {
        private volatile PowerReading? _reading;
        private int _reads;

        public PowerReading? Reading
        {
            get => _reading;
            set => _reading = value;
        }

        public int Reads => _reads;

        public PowerReading? Read()
        {
            Interlocked.Increment(ref _reads);
            return _reading;
        }

        public string Describe() => "a fake sensor";
    }
}
