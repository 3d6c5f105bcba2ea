using ActorGateway.Core.Io;

namespace ActorGateway.Simulation.InMemory;

/// <summary>
/// The in-process face: an <see cref="ISerialPortOpener"/> over simulated ports registered by path (e.g.
/// <c>/sim/huawei/ttyUSB0</c>), for Akka.TestKit tests of the real actors without a tty in sight. Opening is
/// exclusive like System.IO.Ports (TIOCEXCL) until the holder releases the line for a hand-over.
/// </summary>
public sealed class InMemorySerialPortOpener : ISerialPortOpener
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimulatedPort> _ports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<InMemorySerialConnection>> _open = new(StringComparer.Ordinal);

    /// <summary>The registered paths.</summary>
    public IReadOnlyCollection<string> Paths
    {
        get { lock (_gate) { return [.. _ports.Keys]; } }
    }

    /// <summary>Registers every tty of <paramref name="simulator"/> under <paramref name="directory"/>; returns the paths.</summary>
    public IReadOnlyList<string> Add(ModemSimulator simulator, string directory)
    {
        var paths = new List<string>();
        foreach (var port in simulator.Ports)
        {
            var path = $"{directory.TrimEnd('/')}/{port.Name}";
            Add(path, port);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Registers one simulated tty at <paramref name="path"/>.</summary>
    public void Add(string path, SimulatedPort port)
    {
        lock (_gate)
        {
            _ports[path] = port;
        }
    }

    /// <summary>Forgets <paramref name="path"/>; open connections keep working until the device vanishes.</summary>
    public bool Remove(string path)
    {
        lock (_gate)
        {
            return _ports.Remove(path);
        }
    }

    /// <summary>The port registered at <paramref name="path"/>.</summary>
    public SimulatedPort this[string path]
    {
        get { lock (_gate) { return _ports[path]; } }
    }

    /// <inheritdoc />
    public Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_ports.TryGetValue(options.Path, out var port) || !port.IsPresent)
            {
                throw new SerialPortException(options.Path, "no such device");
            }

            var holders = _open.TryGetValue(options.Path, out var list) ? list : _open[options.Path] = [];
            holders.RemoveAll(c => c.IsDead);
            if (holders.Any(c => !c.IsReleased))
            {
                throw new SerialPortException(options.Path, "device or resource busy (opened exclusively)");
            }

            InMemorySerialConnection connection;
            try
            {
                connection = new InMemorySerialConnection(options.Path, port, Forget);
            }
            catch (IOException e)
            {
                throw new SerialPortException(options.Path, "no such device", e);
            }

            holders.Add(connection);
            return Task.FromResult<ISerialConnection>(connection);
        }
    }

    private void Forget(InMemorySerialConnection connection)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(connection.Path, out var holders))
            {
                holders.Remove(connection);
            }
        }
    }
}
