using ActorGateway.Core.Io;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>A serial port opener that notes, in order, every line it opens and every one that is closed.</summary>
public sealed class RecordingPortOpener(ISerialPortOpener inner) : ISerialPortOpener
{
    private readonly List<string> _events = [];
    private readonly Lock _gate = new();

    /// <summary><c>open PATH</c> and <c>close PATH</c>, in the order they happened.</summary>
    public IReadOnlyList<string> Events
    {
        get { lock (_gate) { return [.. _events]; } }
    }

    /// <summary>
    /// While set, closing the line of <see cref="HeldPath"/> waits for it: the actor that owns that port is stuck in its
    /// PostStop, so a test can act while a device is still stopping.
    /// </summary>
    public ManualResetEventSlim? CloseGate { get; set; }

    /// <summary>The port whose close <see cref="CloseGate"/> holds.</summary>
    public string? HeldPath { get; set; }

    /// <summary>The events of one port.</summary>
    public IReadOnlyList<string> Of(string path) => [.. Events.Where(e => e.EndsWith(" " + path, StringComparison.Ordinal)).Select(e => e.Split(' ')[0])];

    public async Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken)
    {
        var connection = await inner.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        Add($"open {options.Path}");
        return new Recorded(connection, this);
    }

    private void Add(string e)
    {
        lock (_gate)
        {
            _events.Add(e);
        }
    }

    private sealed class Recorded(ISerialConnection inner, RecordingPortOpener owner) : ISerialConnection
    {
        private int _closed;

        public string Path => inner.Path;

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReadAsync(buffer, cancellationToken);

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.WriteAsync(data, cancellationToken);

        public ValueTask ReleaseForHandoverAsync(CancellationToken cancellationToken) => inner.ReleaseForHandoverAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (owner.HeldPath == inner.Path)
            {
                owner.CloseGate?.Wait(TimeSpan.FromSeconds(10));
            }

            await inner.DisposeAsync().ConfigureAwait(false);
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                owner.Add($"close {inner.Path}");
            }
        }
    }
}
