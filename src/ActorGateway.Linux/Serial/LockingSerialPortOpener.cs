using System.Collections.Concurrent;
using ActorGateway.Core.Io;

namespace ActorGateway.Linux.Serial;

/// <summary>
/// Opens ttys as shared resources: refuses one that another program has open (ModemManager, minicom, a second
/// gateway) or has locked, naming it; takes the UUCP lock (<c>/run/lock/LCK..ttyUSB0</c>) before the exclusive open of
/// <paramref name="inner"/> and removes it when the line is closed. After a hand-over the lock goes to the process that
/// now holds the line (pppd runs with <c>nolock</c>), so it stays valid for the call and turns stale when pppd exits.
/// A stale lock is taken over at the next open; <see cref="Dispose"/>, when the gateway stops, removes those of processes
/// that have ended, since no next open will come. A tty is opened once inside the process too: the UUCP lock names this
/// process either way, and root's open ignores TIOCEXCL, so a second open (a probe and a device on one tty) is refused here.
/// </summary>
public sealed class LockingSerialPortOpener(ISerialPortOpener inner, string lockDirectory) : ISerialPortOpener, IDisposable
{
    private readonly ConcurrentDictionary<string, (UucpLockFile Lock, int Pid)> _handedOver = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _open = new(StringComparer.Ordinal);

    /// <summary>Where the lock files go.</summary>
    public string LockDirectory { get; } = lockDirectory;

    /// <inheritdoc />
    public Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken) =>
        // Off the caller's thread: looking through /proc for holders is file system work an actor must not wait on.
        Task.Run(() => OpenCoreAsync(options, cancellationToken), cancellationToken);

    private async Task<ISerialConnection> OpenCoreAsync(SerialPortOptions options, CancellationToken cancellationToken)
    {
        var tty = Native.ProcFs.RealPath(options.Path);
        if (!_open.TryAdd(tty, options.Path))
        {
            throw new SerialPortException(options.Path,
                $"already open in this gateway{(_open.TryGetValue(tty, out var first) && first != options.Path ? $" as {first}" : string.Empty)}; not opened twice");
        }

        UucpLockFile? lockFile = null;
        try
        {
            var holders = TtyHolders.OthersHolding(options.Path);
            if (holders.Count > 0)
            {
                throw new SerialPortException(options.Path,
                    $"held by {string.Join(", ", holders)}; not opened (stop it, or tell it to leave this port)");
            }

            if (Directory.Exists(LockDirectory))
            {
                var (taken, holder) = UucpLockFile.TryAcquire(LockDirectory, options.Path);
                lockFile = taken ?? throw new SerialPortException(options.Path,
                    $"locked by {holder} ({UucpLockFile.PathFor(LockDirectory, options.Path)}); not opened");
            }

            var connection = await inner.OpenAsync(options, cancellationToken).ConfigureAwait(false);
            return new LockedConnection(connection, tty, lockFile, this);
        }
        catch
        {
            lockFile?.Release();
            _open.TryRemove(tty, out _);
            throw;
        }
    }

    /// <summary>Removes the locks handed over to processes that have ended since (pppd, stopped with the gateway); a lock of one still running stays.</summary>
    public void Dispose()
    {
        foreach (var (handed, pid) in _handedOver.Values)
        {
            handed.ReleaseIfEnded(pid);
        }

        _handedOver.Clear();
    }

    private sealed class LockedConnection(ISerialConnection inner, string tty, UucpLockFile? lockFile, LockingSerialPortOpener opener) : ISerialConnection
    {
        private bool _handedOver;
        private bool _closed;

        public string Path => inner.Path;

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReadAsync(buffer, cancellationToken);

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.WriteAsync(data, cancellationToken);

        public ValueTask ReleaseForHandoverAsync(CancellationToken cancellationToken)
        {
            _handedOver = true;
            Forget(); // the line is pppd's now; the device may open it again once pppd is done with it
            return inner.ReleaseForHandoverAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            Forget();
            if (lockFile is null)
            {
                return;
            }

            if (_handedOver && TtyHolders.OthersHolding(Path) is [var successor])
            {
                lockFile.TransferTo(successor.Pid);
                opener._handedOver[lockFile.Path] = (lockFile, successor.Pid);
                return;
            }

            lockFile.Release();
        }

        private void Forget()
        {
            if (!_closed)
            {
                _closed = true;
                opener._open.TryRemove(tty, out _);
            }
        }
    }
}
