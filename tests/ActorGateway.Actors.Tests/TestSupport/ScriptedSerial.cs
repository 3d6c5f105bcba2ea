using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using ActorGateway.Core.Io;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>
/// An in-memory serial line the test drives by hand: it feeds what the "modem" says (or a read failure) and
/// reads back what the actor wrote. Records disposal and hand-over release.
/// </summary>
public sealed class ScriptedConnection(string path = "/dev/ttyTEST0") : ISerialConnection
{
    private readonly Channel<object> _incoming = Channel.CreateUnbounded<object>();
    private readonly Channel<byte[]> _written = Channel.CreateUnbounded<byte[]>();
    private int _disposeCount;

    public string Path { get; } = path;

    /// <summary>Completes when the connection is disposed (the line is closed).</summary>
    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int DisposeCount => Volatile.Read(ref _disposeCount);

    public bool Released { get; private set; }

    /// <summary>The modem sends these bytes; one call is one read.</summary>
    public void Feed(string text) => Feed(Encoding.ASCII.GetBytes(text));

    public void Feed(byte[] bytes) => _incoming.Writer.TryWrite(bytes);

    /// <summary>The next read throws <paramref name="failure"/> (the device went away).</summary>
    public void FailReads(Exception failure) => _incoming.Writer.TryWrite(failure);

    /// <summary>The next thing the actor wrote, as ASCII; fails when nothing comes within <paramref name="timeout"/>.</summary>
    public async Task<string> NextWriteAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(3));
        try
        {
            var bytes = await _written.Reader.ReadAsync(cts.Token);
            return Encoding.ASCII.GetString(bytes);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("nothing was written to the line");
        }
    }

    /// <summary>True when nothing was written that the test has not read.</summary>
    public bool NothingWritten => !_written.Reader.TryPeek(out _);

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var item = await _incoming.Reader.ReadAsync(cancellationToken);
        if (item is Exception failure)
        {
            throw failure;
        }

        var bytes = (byte[])item;
        bytes.CopyTo(buffer);
        return bytes.Length;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _written.Writer.TryWrite(data.ToArray());
        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseForHandoverAsync(CancellationToken cancellationToken)
    {
        Released = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposeCount);
        _incoming.Writer.TryComplete();
        Disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Hands out scripted connections; the open can be held back until the test releases it.</summary>
public sealed class ScriptedPortOpener : ISerialPortOpener
{
    private readonly ConcurrentQueue<SerialPortOptions> _opened = new();

    public ScriptedPortOpener(ScriptedConnection connection) => Connection = connection;

    public ScriptedConnection Connection { get; }

    /// <summary>When set, <see cref="OpenAsync"/> waits for this before returning the connection.</summary>
    public TaskCompletionSource? HoldOpen { get; init; }

    /// <summary>Completes when OpenAsync was called.</summary>
    public TaskCompletionSource OpenCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<SerialPortOptions> Opened => [.. _opened];

    public async Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken)
    {
        _opened.Enqueue(options);
        OpenCalled.TrySetResult();
        if (HoldOpen is { } hold)
        {
            await hold.Task; // deliberately ignores the token: a real open(2) cannot be cancelled either
        }

        return Connection;
    }
}
