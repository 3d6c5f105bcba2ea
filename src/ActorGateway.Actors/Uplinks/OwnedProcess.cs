using ActorGateway.Core.Io;
using Akka.Actor;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// One long-running program (udhcpc, dnsmasq) owned by one actor: started with an argument list, its lines and
/// its exit told to the actor as messages, and ended from the actor's <c>PostStop</c> without blocking it:
/// SIGTERM (udhcpc then releases its lease, dnsmasq exits), SIGKILL if it lingers. A start still under way
/// when the actor stops is ended as soon as it completes.
/// </summary>
internal sealed class OwnedProcess(IProcessRunner runner, ProcessSpec spec, TimeProvider clock)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private bool _stopped;
    private Task<IRunningProcess>? _start;

    /// <summary>The program started; its pid.</summary>
    public sealed record Started(int Pid);

    /// <summary>The program could not be started.</summary>
    public sealed record StartFailed(Exception Cause);

    /// <summary>A line of its output (standard output and error).</summary>
    public sealed record Line(string Text);

    /// <summary>It exited with <paramref name="Code"/>, after its last line.</summary>
    public sealed record Exited(int Code);

    /// <summary>Starts the program; the messages go to <paramref name="owner"/>.</summary>
    public void Start(IActorRef owner)
    {
        try
        {
            _start = runner.StartAsync(spec, _stop.Token);
        }
        catch (Exception e)
        {
            // A runner may throw before it returns a task.
            _start = Task.FromException<IRunningProcess>(e);
        }

        _start.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    if (_stopped)
                    {
                        return; // StopAsync ends it
                    }
                }

                if (!t.IsCompletedSuccessfully)
                {
                    owner.Tell(new StartFailed(t.Exception?.GetBaseException() ?? new TaskCanceledException()));
                    return;
                }

                owner.Tell(new Started(t.Result.Id));
                Follow(t.Result, owner);
            },
            TaskScheduler.Default);
    }

    /// <summary>Ends the program (SIGTERM, then SIGKILL after <paramref name="killAfter"/>); the task ends when it is gone.</summary>
    public Task StopAsync(TimeSpan killAfter)
    {
        _stop.Cancel();
        lock (_gate)
        {
            _stopped = true;
        }

        return _start is null
            ? Task.CompletedTask
            : _start.ContinueWith(t => t.IsCompletedSuccessfully ? End(t.Result, killAfter) : Task.CompletedTask, TaskScheduler.Default).Unwrap();
    }

    private async Task End(IRunningProcess process, TimeSpan killAfter)
    {
        if (!process.Exited.IsCompleted)
        {
            process.Terminate();
            try
            {
                await process.Exited.WaitAsync(killAfter, clock).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                process.Kill();
            }
        }

        await process.DisposeAsync().ConfigureAwait(false);
    }

    private void Follow(IRunningProcess process, IActorRef owner)
    {
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var line in process.Output.WithCancellation(token).ConfigureAwait(false))
                {
                    owner.Tell(new Line(line));
                }
            }
            catch (OperationCanceledException)
            {
            }

            var code = await process.Exited.ConfigureAwait(false);
            if (!token.IsCancellationRequested)
            {
                owner.Tell(new Exited(code));
            }
        }, CancellationToken.None);
    }
}
