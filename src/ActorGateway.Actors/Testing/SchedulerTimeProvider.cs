using Akka.Actor;

namespace ActorGateway.Actors.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> driven by an Akka scheduler. With Akka.TestKit's <c>TestScheduler</c>,
/// simulated devices (whose delays come from a <see cref="TimeProvider"/>) and the actors' timers
/// advance together with <c>Scheduler.Advance(...)</c>: deterministic tests, no sleeps.
/// </summary>
public sealed class SchedulerTimeProvider(IScheduler scheduler) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => scheduler.Now;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => scheduler.Now.UtcTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SchedulerTimer(scheduler, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class SchedulerTimer(IScheduler scheduler, TimerCallback callback, object? state) : ITimer
    {
        private readonly object _gate = new();
        private ICancelable? _scheduled;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _scheduled?.Cancel();
                _scheduled = null;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                var cancelable = new Cancelable(scheduler);
                _scheduled = cancelable;

                // Akka.TestKit's TestScheduler drops the cancelable of ScheduleOnce, so a disposed or changed
                // timer would still fire there; the callback checks it itself.
                void Fire()
                {
                    if (!cancelable.IsCancellationRequested)
                    {
                        callback(state);
                    }
                }

                if (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero)
                {
                    scheduler.Advanced.ScheduleOnce(dueTime, Fire, cancelable);
                }
                else
                {
                    scheduler.Advanced.ScheduleRepeatedly(dueTime, period, Fire, cancelable);
                }

                return true;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _scheduled?.Cancel();
                _scheduled = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
