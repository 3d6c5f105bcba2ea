using System.Diagnostics;
using ActorGateway.Core.Io;

namespace ActorGateway.Core.Tests.Io;

/// <summary>The sd_notify(3) assignments the gateway sends.</summary>
public class ServiceNotificationsTests
{
    [Fact]
    public void ServiceNotifications_should_spell_the_assignments_as_sd_notify_does()
    {
        Assert.Equal("READY=1", ServiceNotifications.Ready);
        Assert.Equal("WATCHDOG=1", ServiceNotifications.Watchdog);
        Assert.Equal("STOPPING=1", ServiceNotifications.Stopping);
        Assert.Equal("RELOADING=1", ServiceNotifications.Reloading);
        Assert.Equal("READY=1\nSTATUS=running: 2 devices", ServiceNotifications.ReadyWithStatus("running: 2 devices"));
    }

    [Fact]
    public void ServiceNotifications_should_keep_a_status_on_one_line()
    {
        // A newline would end the STATUS= assignment and start another one.
        Assert.Equal("STATUS=a b  c", ServiceNotifications.Status("a\nb\r\nc"));
    }

    [Fact]
    public void ServiceNotifications_should_send_reloading_with_the_monotonic_time()
    {
        Assert.Equal("RELOADING=1\nMONOTONIC_USEC=123456789", ServiceNotifications.ReloadingAt(123_456_789));

        // CLOCK_MONOTONIC in µs: what Stopwatch reads on Linux, so it lies between two readings of it.
        var before = Stopwatch.GetTimestamp();
        var now = ServiceNotifications.MonotonicUsecNow();
        var after = Stopwatch.GetTimestamp();
        Assert.InRange(now, (long)(before / (Stopwatch.Frequency / 1e6)) - 1, (long)(after / (Stopwatch.Frequency / 1e6)) + 1);
    }

    [Fact]
    public void NoServiceNotifier_should_send_nothing_and_watch_nothing()
    {
        Assert.Null(NoServiceNotifier.Instance.WatchdogTimeout);
        Assert.False(NoServiceNotifier.Instance.Notify(ServiceNotifications.Ready));
    }
}
