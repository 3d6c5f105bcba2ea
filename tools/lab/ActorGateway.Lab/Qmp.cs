using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ActorGateway.Lab;

/// <summary>
/// A QEMU Machine Protocol client (qemu docs, "QEMU Machine Protocol Specification"): JSON objects over a Unix socket,
/// a greeting, <c>qmp_capabilities</c>, then one command at a time answered by <c>return</c> or <c>error</c>, with
/// asynchronous <c>event</c>s in between. Events are kept so a caller can wait for one (e.g. <c>DEVICE_DELETED</c>).
/// </summary>
public sealed class Qmp : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Lock _gate = new();
    private readonly List<QmpEvent> _events = [];
    private readonly Task _readLoop;
    private TaskCompletionSource<JsonObject>? _pending;

    private Qmp(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.UTF8);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Connects to qemu's <c>-qmp unix:PATH,server=on,wait=off</c> socket and leaves capabilities negotiation mode.</summary>
    public static async Task<Qmp> ConnectAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                var qmp = new Qmp(socket);
                await qmp.ExecuteAsync("qmp_capabilities", null, cancellationToken).ConfigureAwait(false);
                return qmp;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs one command; returns its <c>return</c> value, or throws with qemu's error description.</summary>
    public async Task<JsonNode?> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _pending = pending;
            }

            var request = new JsonObject { ["execute"] = command };
            if (arguments is not null)
            {
                request["arguments"] = arguments;
            }

            var bytes = Encoding.UTF8.GetBytes(request.ToJsonString() + "\n");
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            var answer = await pending.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (answer["error"] is JsonObject error)
            {
                throw new InvalidOperationException($"qmp {command}: {error["class"]}: {error["desc"]}");
            }

            return answer["return"];
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>How many events have arrived so far; pass it to <see cref="WaitForEventAsync"/> to see only later ones.</summary>
    public int EventCount
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Waits for an event named <paramref name="name"/> at or after index <paramref name="from"/> that matches <paramref name="match"/>.</summary>
    public async Task<QmpEvent> WaitForEventAsync(int from, string name, Func<JsonObject?, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                for (var i = from; i < _events.Count; i++)
                {
                    if (_events[i].Name == name && match(_events[i].Data))
                    {
                        return _events[i];
                    }
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no QMP event {name} within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The socket is closed on purpose.
        }

        _reader.Dispose();
        _oneAtATime.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        while (await _reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line) || JsonNode.Parse(line) is not JsonObject message)
            {
                continue;
            }

            if (message["event"] is { } name)
            {
                lock (_gate)
                {
                    _events.Add(new QmpEvent(name.GetValue<string>(), message["data"] as JsonObject, DateTime.UtcNow));
                }

                continue;
            }

            if (message.ContainsKey("return") || message.ContainsKey("error"))
            {
                TaskCompletionSource<JsonObject>? pending;
                lock (_gate)
                {
                    pending = _pending;
                    _pending = null;
                }

                pending?.TrySetResult(message);
            }

            // Anything else is the greeting ({"QMP": {...}}).
        }
    }
}

/// <summary>One asynchronous QMP event, stamped with the host's clock when it arrived.</summary>
public sealed record QmpEvent(string Name, JsonObject? Data, DateTime ArrivedUtc);
