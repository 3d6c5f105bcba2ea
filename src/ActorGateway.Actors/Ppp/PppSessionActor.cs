using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using ActorGateway.Core.Ppp;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Ppp;

/// <summary>
/// Owns one pppd process carrying a call the modem session dialled. It starts pppd with an argument
/// list (credentials in a 0600 options file), tells its parent when pppd holds the tty (so the gateway
/// may close its own handle without DTR dropping), follows pppd's log for the link's addresses and DNS,
/// and turns pppd's exit into a typed failure. <see cref="PostStop"/> always ends pppd (SIGTERM, which
/// closes LCP and hangs up, then SIGKILL if it lingers) and removes the credentials file; the ending is tracked in
/// <see cref="PendingReleases"/>, so that the gateway's shutdown waits until pppd is gone.
/// </summary>
public sealed class PppSessionActor : ReceiveActor, IWithTimers
{
    private const int KeptLines = 20;
    private const string HoldTimer = "hold";
    private const string HandoverTimer = "handover";
    private static readonly TimeSpan HoldPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);

    private readonly string _deviceId;
    private readonly PppdCommand _command;
    private readonly string _tty;
    private readonly IProcessRunner _runner;
    private readonly TimeSpan _handoverTimeout;
    private readonly TimeProvider _clock;
    private readonly PendingReleases? _releases;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<string> _lastLines = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private bool _stopped;
    private IRunningProcess? _process; // set under _gate: the start completes on another thread
    private Task? _startHandled;
    private PppLink _link = new();
    private DateTimeOffset? _upSince;

    public PppSessionActor(
        string deviceId, PppdCommand command, string tty, IProcessRunner runner, TimeSpan handoverTimeout, TimeProvider clock, PendingReleases? releases = null)
    {
        _deviceId = deviceId;
        _command = command;
        _tty = tty;
        _runner = runner;
        _handoverTimeout = handoverTimeout;
        _clock = clock;
        _releases = releases;
        Starting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props; <paramref name="releases"/> (when given) tracks pppd's ending after this actor stops.</summary>
    public static Props Props(
        string deviceId, PppdCommand command, string tty, IProcessRunner runner, TimeSpan handoverTimeout, TimeProvider clock, PendingReleases? releases = null) =>
        Akka.Actor.Props.Create(() => new PppSessionActor(deviceId, command, tty, runner, handoverTimeout, clock, releases));

    protected override void PreStart()
    {
        var files = _command.SecretsFile is { } path ? new[] { new PrivateFile(path, _command.SecretsContent!) } : [];
        var spec = new ProcessSpec(_command.Program, _command.Arguments, files);
        _log.Info("{DeviceId}: starting {Spec}", _deviceId, spec);
        var self = Self;
        Task<IRunningProcess> start;
        try
        {
            start = _runner.StartAsync(spec, _stop.Token);
        }
        catch (Exception e)
        {
            // A runner may throw before it returns a task; that is a PppdStartException too.
            start = Task.FromException<IRunningProcess>(e);
        }

        var handled = start.ContinueWith(
            t =>
            {
                if (!t.IsCompletedSuccessfully)
                {
                    return new StartFailed(t.Exception?.GetBaseException() ?? new TaskCanceledException());
                }

                // Keep pppd where PostStop finds it even if this actor stops before it reads Started.
                lock (_gate)
                {
                    if (_stopped)
                    {
                        // Stopped while pppd was starting: end it here, nobody else will.
                        var ending = End(t.Result, _clock);
                        _releases?.Track(ending);
                        return (object)new StartFailed(new TaskCanceledException());
                    }

                    _process = t.Result;
                }

                return new Started(t.Result);
            },
            TaskScheduler.Default);
        _startHandled = handled;
        handled.PipeTo(self);
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        IRunningProcess? process;
        lock (_gate)
        {
            _stopped = true;
            process = _process;
        }

        if (process is not null)
        {
            if (!process.Exited.IsCompleted)
            {
                _log.Info("{DeviceId}: stopping pppd (pid {Pid})", _deviceId, process.Id);
            }

            var ending = End(process, _clock); // not inside ?.(): without a tracker it must still run
            _releases?.Track(ending);
        }
        else if (_startHandled is { IsCompleted: false } starting)
        {
            // The start's continuation ends pppd (and tracks that) once it is there.
            _releases?.Track(starting);
        }
    }

    /// <summary>SIGTERM (pppd closes LCP and hangs up), SIGKILL if it lingers, then release it. Never blocks; the task ends when pppd is gone.</summary>
    private static Task End(IRunningProcess process, TimeProvider clock)
    {
        if (process.Exited.IsCompleted)
        {
            return process.DisposeAsync().AsTask();
        }

        process.Terminate();
        return process.Exited.WaitAsync(KillAfter, clock).ContinueWith(
            t =>
            {
                if (!t.IsCompletedSuccessfully)
                {
                    process.Kill();
                }

                return process.DisposeAsync().AsTask();
            },
            TaskScheduler.Default).Unwrap();
    }

    private void Starting()
    {
        Receive<Started>(m =>
        {
            _log.Info("{DeviceId}: pppd started (pid {Pid}) on {Tty}", _deviceId, m.Process.Id, _tty);
            Follow(m.Process);
            Timers.StartPeriodicTimer(HoldTimer, CheckHold.Instance, HoldPoll);
            Timers.StartSingleTimer(HandoverTimer, HandoverDeadline.Instance, _handoverTimeout);
            Become(WaitingForLine);
        });
        Receive<StartFailed>(m => throw new PppdStartException($"cannot start {_command.Program}: {m.Cause.Message}", m.Cause));
    }

    private void WaitingForLine()
    {
        Receive<CheckHold>(_ =>
        {
            if (_process!.HasOpen(_tty))
            {
                Timers.Cancel(HoldTimer);
                Timers.Cancel(HandoverTimer);
                _log.Info("{DeviceId}: pppd holds {Tty}; the gateway lets go of it", _deviceId, _tty);
                Context.Parent.Tell(new PppSession.HoldsLine(_tty));
                Become(Running);
            }
        });
        Receive<HandoverDeadline>(_ => throw new PppdHandoverTimeoutException($"pppd did not open {_tty} within {_handoverTimeout}"));
        ReceiveOutputAndExit();
    }

    private void Running()
    {
        ReceiveOutputAndExit();
        Receive<CheckHold>(_ => { });
        Receive<HandoverDeadline>(_ => { });
    }

    private void ReceiveOutputAndExit()
    {
        Receive<OutputLine>(m =>
        {
            _lastLines.Enqueue(m.Line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }

            _log.Debug("{DeviceId}: pppd: {Line}", _deviceId, m.Line);
            if (PppdOutput.Apply(_link, m.Line) is { } link && link != _link)
            {
                var wasUp = _link.IsUp;
                _link = link;
                if (link.IsUp && !wasUp)
                {
                    _upSince = _clock.GetUtcNow();
                    _log.Info("{DeviceId}: link up on {Interface}: local {LocalAddress}, remote {RemoteAddress}", _deviceId, link.Interface ?? "ppp", link.LocalAddress, link.RemoteAddress);
                }

                Context.Parent.Tell(new PppSession.LinkChanged(link));
            }
        });
        Receive<Exited>(m =>
        {
            var connectedFor = _upSince is { } since ? _clock.GetUtcNow() - since : TimeSpan.Zero;
            throw PppdExitedException.For(m.Code, [.. _lastLines], connectedFor);
        });
    }

    private void Follow(IRunningProcess process)
    {
        var self = Self;
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var line in process.Output.WithCancellation(token).ConfigureAwait(false))
                {
                    self.Tell(new OutputLine(line));
                }
            }
            catch (OperationCanceledException)
            {
            }

            // Output ends before the exit status is known; report the exit after the last line.
            var code = await process.Exited.ConfigureAwait(false);
            if (!token.IsCancellationRequested)
            {
                self.Tell(new Exited(code));
            }
        }, CancellationToken.None);
    }

    private sealed record Started(IRunningProcess Process);

    private sealed record StartFailed(Exception Cause);

    private sealed record OutputLine(string Line);

    private sealed record Exited(int Code);

    private sealed record CheckHold
    {
        public static readonly CheckHold Instance = new();
    }

    private sealed record HandoverDeadline
    {
        public static readonly HandoverDeadline Instance = new();
    }
}

/// <summary>The public protocol of <see cref="PppSessionActor"/>.</summary>
public static class PppSession
{
    /// <summary>To the parent: pppd has the tty open; the gateway's own handle may close now.</summary>
    public sealed record HoldsLine(string Tty);

    /// <summary>To the parent: what pppd has said of the link so far.</summary>
    public sealed record LinkChanged(PppLink Link);
}
