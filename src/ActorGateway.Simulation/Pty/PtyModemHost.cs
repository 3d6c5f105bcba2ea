namespace ActorGateway.Simulation.Pty;

/// <summary>
/// The pty face (Linux): each simulated tty becomes a real pseudo-terminal with a stable symlink
/// (<c>{pathPrefix}{portName}</c>, e.g. <c>/tmp/ag-sim/huawei-ttyUSB0 → /dev/pts/5</c>), so unmodified programs - the
/// gateway itself, minicom, wvdial, pppd - can talk to the simulator. Unplugging closes the masters and removes the
/// links (slave users get EIO); plugging back creates new ptys behind the same link paths.
/// </summary>
public sealed class PtyModemHost : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PtyPortPump> _pumps = new(StringComparer.Ordinal);
    private readonly string _pathPrefix;
    private int _pumpIncarnation;
    private bool _disposed;

    private PtyModemHost(ModemSimulator simulator, string pathPrefix)
    {
        Simulator = simulator;
        _pathPrefix = pathPrefix;
    }

    /// <summary>The device behind the ptys.</summary>
    public ModemSimulator Simulator { get; }

    /// <summary>The symlink paths, one per tty, in interface order; stable across unplug and replug.</summary>
    public IReadOnlyList<string> Paths => [.. Simulator.Ports.Select(PathOf)];

    /// <summary>Creates the ptys and links for <paramref name="simulator"/>; the links are <paramref name="pathPrefix"/> + tty name.</summary>
    public static Task<PtyModemHost> StartAsync(ModemSimulator simulator, string pathPrefix, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The pty face needs Linux ptys.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var directory = Path.GetDirectoryName(pathPrefix);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var host = new PtyModemHost(simulator, pathPrefix);
        simulator.PresenceChanged += host.OnPresenceChanged;
        host.Reconcile();
        return Task.FromResult(host);
    }

    /// <summary>The link path of <paramref name="port"/>.</summary>
    public string PathOf(SimulatedPort port) => _pathPrefix + port.Name;

    /// <summary>The link path of the tty named <paramref name="portName"/>.</summary>
    public string PathOf(string portName) => PathOf(Simulator.GetPort(portName));

    /// <summary>The pty slave currently behind <paramref name="portName"/>, or null while the device is unplugged.</summary>
    public string? SlavePathOf(string portName)
    {
        lock (_gate)
        {
            return _pumps.TryGetValue(portName, out var pump) ? pump.SlavePath : null;
        }
    }

    public void Dispose()
    {
        Simulator.PresenceChanged -= OnPresenceChanged;
        List<PtyPortPump> stopped;
        lock (_gate)
        {
            _disposed = true;
            stopped = DetachPumps();
        }

        StopAll(stopped);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnPresenceChanged(ModemSimulator simulator) => Reconcile();

    /// <summary>Brings the ptys in line with the device: none while unplugged, fresh ones for each power-on.</summary>
    private void Reconcile()
    {
        var stopped = new List<PtyPortPump>();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var present = Simulator.IsPresent;
            var incarnation = Simulator.Incarnation;
            if (_pumps.Count > 0 && (!present || incarnation != _pumpIncarnation))
            {
                stopped = DetachPumps();
            }

            if (present && _pumps.Count == 0)
            {
                foreach (var port in Simulator.Ports)
                {
                    var pump = new PtyPortPump(port);
                    _pumps[port.Name] = pump;
                    Link(PathOf(port), pump.SlavePath);
                }

                _pumpIncarnation = incarnation;
            }
        }

        // Joined outside the lock: a pump thread may itself be on its way into Reconcile.
        StopAll(stopped);
    }

    /// <summary>Removes the links (so nobody opens a slave that is about to die) and hands back the pumps to stop.</summary>
    private List<PtyPortPump> DetachPumps()
    {
        foreach (var name in _pumps.Keys)
        {
            File.Delete(PathOf(name));
        }

        var pumps = _pumps.Values.ToList();
        _pumps.Clear();
        return pumps;
    }

    private static void StopAll(List<PtyPortPump> pumps)
    {
        foreach (var pump in pumps)
        {
            pump.Dispose();
        }
    }

    /// <summary>Points <paramref name="path"/> at <paramref name="target"/> atomically (symlink, then rename over).</summary>
    private static void Link(string path, string target)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.CreateSymbolicLink(temporary, target);
        File.Move(temporary, path, overwrite: true);
    }
}
