namespace ActorGateway.Core.Io;

/// <summary>
/// Tells the service manager how the gateway is doing (systemd's notify protocol, sd_notify(3)): ready, still alive,
/// reloading, stopping, and a line of status. Every call is fire-and-forget and never blocks: a manager that is not
/// listening must not stall the gateway.
/// </summary>
public interface IServiceNotifier
{
    /// <summary>
    /// How often the manager wants <c>WATCHDOG=1</c> (its <c>WatchdogSec=</c>), or null when it does not watch this
    /// process (sd_watchdog_enabled(3)).
    /// </summary>
    TimeSpan? WatchdogTimeout { get; }

    /// <summary>Sends one notification (newline-separated <c>KEY=VALUE</c> assignments); false when it could not be sent.</summary>
    bool Notify(string state);
}

/// <summary>The assignments of sd_notify(3) the gateway sends.</summary>
public static class ServiceNotifications
{
    /// <summary>Start-up is finished (for <c>Type=notify</c>).</summary>
    public const string Ready = "READY=1";

    /// <summary>Keep-alive ping for <c>WatchdogSec=</c>.</summary>
    public const string Watchdog = "WATCHDOG=1";

    /// <summary>Shutdown has begun.</summary>
    public const string Stopping = "STOPPING=1";

    /// <summary>A configuration reload has begun; <see cref="Ready"/> follows when it is done.</summary>
    public const string Reloading = "RELOADING=1";

    /// <summary>
    /// <see cref="Reloading"/> with <c>MONOTONIC_USEC=</c>, the CLOCK_MONOTONIC time in µs when the reload began: systemd 253
    /// and later match a reload to its request by it (sd_notify(3), <c>Type=notify-reload</c> in systemd.service(5)), and
    /// older ones ignore it.
    /// </summary>
    public static string ReloadingAt(long monotonicUsec) =>
        Reloading + "\nMONOTONIC_USEC=" + monotonicUsec.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>CLOCK_MONOTONIC now, in µs (on Linux <see cref="System.Diagnostics.Stopwatch"/> reads that clock).</summary>
    public static long MonotonicUsecNow() =>
        (long)((Int128)System.Diagnostics.Stopwatch.GetTimestamp() * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>A one-line status for <c>systemctl status</c>; newlines are replaced, since they separate assignments.</summary>
    public static string Status(string text) => "STATUS=" + text.Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>The <c>READY=1</c> message with a status line.</summary>
    public static string ReadyWithStatus(string text) => Ready + "\n" + Status(text);
}

/// <summary>A notifier for a process no service manager watches: every call does nothing.</summary>
public sealed class NoServiceNotifier : IServiceNotifier
{
    public static readonly NoServiceNotifier Instance = new();

    public TimeSpan? WatchdogTimeout => null;

    public bool Notify(string state) => false;
}
