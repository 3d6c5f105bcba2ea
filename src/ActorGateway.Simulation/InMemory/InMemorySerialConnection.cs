using ActorGateway.Core.Io;

namespace ActorGateway.Simulation.InMemory;

/// <summary>
/// An open simulated tty. Reads wait for the device's output; once the device vanishes every pending and later read or
/// write throws <see cref="IOException"/>, even after it returns (that is a new device node). Disposing is the last
/// close, which drops DTR (with <c>&amp;D2</c> the modem hangs up).
/// </summary>
internal sealed class InMemorySerialConnection : ISerialConnection
{
    private readonly Lock _gate = new();
    private readonly SimulatedPort _port;
    private readonly Action<InMemorySerialConnection> _onDispose;
    private readonly int _incarnation;
    private TaskCompletionSource? _signal;
    private bool _released;
    private bool _disposed;

    public InMemorySerialConnection(string path, SimulatedPort port, Action<InMemorySerialConnection> onDispose)
    {
        Path = path;
        _port = port;
        _onDispose = onDispose;
        _port.Changed += OnChanged;
        try
        {
            _incarnation = port.Open();
        }
        catch
        {
            _port.Changed -= OnChanged;
            throw;
        }
    }

    public string Path { get; }

    internal bool IsReleased
    {
        get { lock (_gate) { return _released; } }
    }

    internal bool IsDead
    {
        get { lock (_gate) { return _disposed; } }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task wait;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                ThrowIfGone();
                if (!_released)
                {
                    var n = _port.Read(buffer.Span);
                    if (n > 0)
                    {
                        return n;
                    }
                }

                // Re-checked under the same lock the Changed handler takes, so no wake-up is lost.
                _signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _signal.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfGone();
        }

        try
        {
            _port.Receive(data.Span);
        }
        catch (IOException e)
        {
            throw new SerialPortException(Path, "device gone (EIO)", e);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseForHandoverAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _released = true;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            signal = _signal;
            _signal = null;
        }

        _port.Changed -= OnChanged;
        _port.Close(_incarnation);
        _onDispose(this);
        signal?.TrySetException(new ObjectDisposedException(nameof(InMemorySerialConnection)));
        return ValueTask.CompletedTask;
    }

    private void ThrowIfGone()
    {
        if (!_port.IsPresent || _port.Incarnation != _incarnation)
        {
            throw new SerialPortException(Path, "device gone (EIO)");
        }
    }

    private void OnChanged(SimulatedPort port)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            signal = _signal;
            _signal = null;
        }

        signal?.TrySetResult();
    }
}
