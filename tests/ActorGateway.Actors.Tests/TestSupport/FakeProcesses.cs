using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ActorGateway.Core.Io;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>Starts <see cref="FakeProcess"/>es; the test decides how each behaves.</summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    private readonly Channel<FakeProcess> _started = Channel.CreateUnbounded<FakeProcess>();
    private readonly ConcurrentQueue<ProcessSpec> _specs = new();
    private int _nextId = 1000;

    /// <summary>Sets up each new process (e.g. <c>p =&gt; p.ExitAtOnce(4)</c>); the default holds the tty at once.</summary>
    public Action<FakeProcess> Setup { get; set; } = p => p.Open = true;

    /// <summary>When set, StartAsync waits for this before returning the process.</summary>
    public TaskCompletionSource? HoldStart { get; set; }

    public IReadOnlyList<ProcessSpec> Specs => [.. _specs];

    public int StartCount => _specs.Count;

    public async Task<IRunningProcess> StartAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        _specs.Enqueue(spec);
        var process = new FakeProcess(Interlocked.Increment(ref _nextId), spec);
        Setup(process);
        _started.Writer.TryWrite(process);
        if (HoldStart is { } hold)
        {
            await hold.Task;
        }

        return process;
    }

    /// <summary>The next process started.</summary>
    public async Task<FakeProcess> NextStartedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _started.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no process was started");
        }
    }
}

/// <summary>A pppd stand-in: the test sets whether it holds the tty, what it prints and when it exits.</summary>
public sealed class FakeProcess(int id, ProcessSpec spec) : IRunningProcess
{
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>();
    private int _terminateCalls;

    public int Id { get; } = id;

    public ProcessSpec Spec { get; } = spec;

    /// <summary>What <see cref="HasOpen"/> answers.</summary>
    public volatile bool Open;

    /// <summary>The exit status pppd gives on SIGTERM (5, "user request"); null leaves it running.</summary>
    public int? ExitOnTerminate { get; set; } = 5;

    public Task<int> Exited => _exit.Task;

    /// <summary>Completes when somebody started reading <see cref="Output"/>.</summary>
    public TaskCompletionSource Followed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes on the first <see cref="Terminate"/>.</summary>
    public TaskCompletionSource Terminated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int TerminateCalls => Volatile.Read(ref _terminateCalls);

    public bool Killed { get; private set; }

    public bool Disposed { get; private set; }

    public IAsyncEnumerable<string> Output => ReadOutput();

    /// <summary>pppd prints a line.</summary>
    public void Say(string line) => _output.Writer.TryWrite(line);

    /// <summary>pppd exits with <paramref name="code"/> (its output ends first).</summary>
    public void Exit(int code)
    {
        _output.Writer.TryComplete();
        _exit.TrySetResult(code);
    }

    public bool HasOpen(string path) => Open && path == Spec.Arguments[0];

    public void Terminate()
    {
        Interlocked.Increment(ref _terminateCalls);
        Terminated.TrySetResult();
        if (ExitOnTerminate is { } code)
        {
            Exit(code);
        }
    }

    public void Kill()
    {
        Killed = true;
        Exit(137);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<string> ReadOutput([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Followed.TrySetResult();
        await foreach (var line in _output.Reader.ReadAllAsync(cancellationToken))
        {
            yield return line;
        }
    }
}
