using ActorGateway.Core.Io;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Serial;

/// <summary>
/// Owns one open serial line. Opens it without blocking its mailbox, reads in a background loop that
/// <c>Tell</c>s what arrives to its parent, writes in order, and closes the line in <see cref="PostStop"/>,
/// always: the seed guide's stale <c>/dev/ttyACM0 → ttyACM1</c> comes from a port left open. It is never
/// restarted in place; on failure the parent stops it and opens a new one.
/// </summary>
public sealed class SerialPortActor : ReceiveActor, IWithStash
{
    private readonly ISerialPortOpener _opener;
    private readonly SerialPortOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private bool _stopped;
    private ISerialConnection? _connection; // guarded by _gate: the open completes on another thread

    public SerialPortActor(ISerialPortOpener opener, SerialPortOptions options)
    {
        _opener = opener;
        _options = options;
        Opening();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(ISerialPortOpener opener, SerialPortOptions options) =>
        Akka.Actor.Props.Create(() => new SerialPortActor(opener, options));

    protected override void PreStart()
    {
        var self = Self;
        Task<ISerialConnection> open;
        try
        {
            open = _opener.OpenAsync(_options, _stop.Token);
        }
        catch (Exception e)
        {
            // An opener may throw before it returns a task; that must fail the same way, not as "exception during creation".
            open = Task.FromException<ISerialConnection>(e);
        }

        open.ContinueWith(
            t =>
            {
                if (!t.IsCompletedSuccessfully)
                {
                    return new OpenFailed(t.Exception?.GetBaseException() ?? new TaskCanceledException());
                }

                // Keep the line where PostStop finds it even if this actor stops before it reads Opened.
                lock (_gate)
                {
                    if (_stopped)
                    {
                        t.Result.DisposeAsync().AsTask().GetAwaiter().GetResult();
                        return (object)new OpenFailed(new TaskCanceledException());
                    }

                    _connection = t.Result;
                }

                return Opened.Instance;
            },
            TaskScheduler.Default).PipeTo(self);
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        ISerialConnection? connection;
        lock (_gate)
        {
            _stopped = true;
            connection = _connection;
            _connection = null;
        }

        if (connection is not null)
        {
            // Closing a tty is quick; it must happen here so that no path through a stop leaves it open.
            connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _log.Debug("Closed {Port}", _options.Path);
        }

        _stop.Dispose();
    }

    private ISerialConnection Connection
    {
        get
        {
            lock (_gate)
            {
                return _connection ?? throw new SerialPortException(_options.Path, "the line is not open");
            }
        }
    }

    private void Opening()
    {
        Receive<Opened>(_ =>
        {
            _log.Info("Opened {Port} at {BaudRate} baud", _options.Path, _options.BaudRate);
            StartReading(Connection);
            Context.Parent.Tell(new SerialPort.Opened(_options.Path));
            Become(Open);
            Stash.UnstashAll();
        });
        Receive<OpenFailed>(m => throw m.Cause as SerialPortException
            ?? new SerialPortException(_options.Path, $"cannot open: {m.Cause.Message}", m.Cause));
        Receive<SerialPort.Write>(_ => Stash.Stash());
        Receive<SerialPort.ReleaseForHandover>(_ => Stash.Stash());
    }

    private void Open()
    {
        Receive<SerialPort.Write>(m =>
        {
            var self = Self;
            Connection.WriteAsync(m.Bytes, _stop.Token).AsTask().ContinueWith(
                t => t.IsFaulted ? new WriteFailed(t.Exception!.GetBaseException()) : (object)WriteDone.Instance,
                TaskScheduler.Default).PipeTo(self);
        });
        Receive<WriteDone>(_ => { });
        Receive<WriteFailed>(m => throw new SerialPortException(_options.Path, $"write failed: {m.Cause.Message}", m.Cause));
        Receive<SerialPort.Received>(m => Context.Parent.Tell(m));
        Receive<ReadEnded>(m => throw new SerialPortException(_options.Path,
            m.Cause is null ? "the device went away (end of file)" : $"the device went away: {m.Cause.Message}", m.Cause));
        Receive<SerialPort.ReleaseForHandover>(_ =>
        {
            var self = Self;
            var replyTo = Sender;
            Connection.ReleaseForHandoverAsync(_stop.Token).AsTask().ContinueWith(
                t => t.IsFaulted ? new WriteFailed(t.Exception!.GetBaseException()) : (object)new Released(replyTo),
                TaskScheduler.Default).PipeTo(self);
        });
        Receive<Released>(m =>
        {
            _log.Info("{Port} released for hand-over: reading stopped, still open so DTR stays up", _options.Path);
            Become(HandedOver);
            m.ReplyTo.Tell(new SerialPort.Released(_options.Path));
        });
    }

    private void HandedOver()
    {
        // pppd owns the line now; whatever the old read loop says is no longer ours.
        Receive<SerialPort.Write>(_ => _log.Warning("Write to {Port} after hand-over ignored", _options.Path));
        Receive<SerialPort.Received>(_ => { });
        Receive<ReadEnded>(_ => { });
        Receive<WriteDone>(_ => { });
        Receive<WriteFailed>(_ => { });
    }

    private void StartReading(ISerialConnection connection)
    {
        var self = Self;
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                while (!token.IsCancellationRequested)
                {
                    var n = await connection.ReadAsync(buffer, token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        self.Tell(new ReadEnded(null));
                        return;
                    }

                    self.Tell(new SerialPort.Received(buffer.AsSpan(0, n).ToArray()));
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                self.Tell(new ReadEnded(e));
            }
            catch (Exception)
            {
                // Stopping: the read failed because we closed the line.
            }
        }, CancellationToken.None);
    }

    private sealed record Opened
    {
        public static readonly Opened Instance = new();
    }

    private sealed record OpenFailed(Exception Cause);

    private sealed record ReadEnded(Exception? Cause);

    private sealed record WriteFailed(Exception Cause);

    private sealed record Released(IActorRef ReplyTo);

    private sealed record WriteDone
    {
        public static readonly WriteDone Instance = new();
    }
}

/// <summary>The public protocol of <see cref="SerialPortActor"/>.</summary>
public static class SerialPort
{
    /// <summary>To the port: write these bytes.</summary>
    public sealed record Write(byte[] Bytes);

    /// <summary>From the port to its parent: bytes arrived.</summary>
    public sealed record Received(byte[] Bytes);

    /// <summary>From the port to its parent: the line is open.</summary>
    public sealed record Opened(string Path);

    /// <summary>To the port: stop reading and let pppd open the tty too (the line stays open until stopped).</summary>
    public sealed record ReleaseForHandover
    {
        public static readonly ReleaseForHandover Instance = new();
    }

    /// <summary>Reply to <see cref="ReleaseForHandover"/>.</summary>
    public sealed record Released(string Path);
}
