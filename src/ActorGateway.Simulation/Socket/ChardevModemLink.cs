using System.Net.Sockets;
using System.Threading.Channels;
using UnixSocket = System.Net.Sockets.Socket;

namespace ActorGateway.Simulation.Socket;

/// <summary>Timing of a <see cref="ChardevModemLink"/>.</summary>
public sealed record ChardevLinkOptions
{
    /// <summary>How long to keep trying to connect while the socket does not exist yet or refuses (qemu still starting).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after the host's LCP Terminate the modem ends the call, so that the peer's Terminate-Ack still gets
    /// through. Measured on the simulator's clock.
    /// </summary>
    public TimeSpan HangUpAfterTerminate { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// The chardev face (Linux): the simulated modem's AT tty behind a qemu character device. qemu listens on a Unix
/// socket (<c>-chardev socket,id=c0,path=…,server=on,wait=off</c>) that backs a guest device such as
/// <c>-device usb-serial,chardev=c0</c> (an FTDI FT232 that the guest's ftdi_sio binds as <c>/dev/ttyUSB*</c>); this
/// face connects to it as the client, feeds what the guest writes into the simulator and writes the simulator's
/// answers back (qemu-system(1), "-chardev socket").
/// <para>
/// After CONNECT the call is bridged to a second chardev socket, the "network": what the guest's pppd sends in online
/// data state goes there (in the lab, an ISP pppd on the guest's other serial port) and what comes back is the
/// call's payload towards the guest.
/// </para>
/// <para>
/// What qemu does not carry: modem-control lines. The emulated FTDI passes DTR/RTS changes to the chardev with
/// <c>CHR_IOCTL_SERIAL_SET_TIOCM</c>, which only a tty-backed chardev implements (qemu hw/usb/dev-serial.c,
/// chardev/char-serial.c); a socket drops it. So the face treats the line as open (DTR high) for as long as it is
/// connected, and it cannot see pppd's hang-up by DTR. It ends the call when the host's PPP stream carries an LCP
/// Terminate-Request or Terminate-Ack instead - which is what a 3G modem terminating PPP itself does: the PDP
/// context goes down and the modem answers NO CARRIER.
/// </para>
/// <para>
/// Plugging: qemu attaches the emulated USB device only while a client is connected to its chardev (and detaches it
/// when the client goes), and a <c>device_del</c>/<c>device_add</c> over QMP leaves the socket connected. So whoever
/// unplugs the device over QMP tells this face (<see cref="Unplug"/>, <see cref="Plug"/>), which powers the simulated
/// modem off and on: a re-plugged modem starts from reset, as real hardware does.
/// </para>
/// </summary>
public sealed class ChardevModemLink : IAsyncDisposable
{
    private const int BufferSize = 4096;

    private readonly ModemSimulator _simulator;
    private readonly SimulatedPort _port;
    private readonly UnixSocket _modem;
    private readonly UnixSocket? _network;
    private readonly ChardevLinkOptions _options;
    private readonly Channel<bool> _outputReady = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly PppTerminateWatcher _watcher = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loops;
    private int _incarnation;
    private int _call;
    private bool _inCall;
    private ITimer? _hangUp;

    private ChardevModemLink(ModemSimulator simulator, UnixSocket modem, UnixSocket? network, ChardevLinkOptions options)
    {
        _simulator = simulator;
        _port = simulator.AtPort;
        _modem = modem;
        _network = network;
        _options = options;
        _port.Changed += OnPortChanged;
        _simulator.PresenceChanged += OnPresenceChanged;
        if (_simulator.IsPresent)
        {
            // No DTR reaches us: the line counts as opened (DTR high) from the moment the socket is connected.
            _incarnation = _port.Open();
        }

        var token = _stop.Token;
        var loops = new List<Task> { Task.Run(() => HostToModemAsync(token), CancellationToken.None), Task.Run(() => ModemToHostAsync(token), CancellationToken.None) };
        if (_network is not null)
        {
            loops.Add(Task.Run(() => NetworkToHostAsync(token), CancellationToken.None));
        }

        _loops = Task.WhenAll(loops);
        Completion = Task.WhenAny(loops).Unwrap();
    }

    /// <summary>The simulated device.</summary>
    public ModemSimulator Simulator => _simulator;

    /// <summary>Completes when the modem socket closes (qemu quit) or the face is disposed.</summary>
    public Task Completion { get; }

    /// <summary>Calls that were bridged to the network so far.</summary>
    public int Calls
    {
        get
        {
            lock (_gate)
            {
                return _call;
            }
        }
    }

    /// <summary>
    /// Connects to qemu's chardev socket at <paramref name="modemSocket"/> and, when given, to the network's at
    /// <paramref name="networkSocket"/>, retrying until they accept or <see cref="ChardevLinkOptions.ConnectTimeout"/>.
    /// </summary>
    /// <exception cref="IOException">A socket could not be reached in time.</exception>
    public static async Task<ChardevModemLink> ConnectAsync(
        ModemSimulator simulator, string modemSocket, string? networkSocket = null, ChardevLinkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        options ??= new ChardevLinkOptions();
        var modem = await ConnectUnixAsync(modemSocket, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        UnixSocket? network = null;
        try
        {
            if (networkSocket is not null)
            {
                network = await ConnectUnixAsync(networkSocket, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            modem.Dispose();
            throw;
        }

        return new ChardevModemLink(simulator, modem, network, options);
    }

    /// <summary>The device leaves the bus: the modem loses power and all its state (call it with QMP <c>device_del</c>).</summary>
    public void Unplug() => _simulator.Vanish();

    /// <summary>The device is back on the bus: a fresh power-on, the same SIM (call it with QMP <c>device_add</c>).</summary>
    public void Plug() => _simulator.Return();

    /// <summary>Stops the loops and closes both sockets; qemu then detaches the emulated USB device.</summary>
    public async ValueTask DisposeAsync()
    {
        _port.Changed -= OnPortChanged;
        _simulator.PresenceChanged -= OnPresenceChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        ShutDown(_modem);
        if (_network is not null)
        {
            ShutDown(_network);
        }

        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Ending is what we asked for.
        }

        lock (_gate)
        {
            _hangUp?.Dispose();
            _hangUp = null;
        }

        _port.Close(_incarnation);
        _modem.Dispose();
        _network?.Dispose();
        _stop.Dispose();
    }

    private static async Task<UnixSocket> ConnectUnixAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var socket = new UnixSocket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused or SocketError.TryAgain)
            {
                socket.Dispose();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new IOException($"{path}: nobody accepted within {timeout.TotalSeconds:0.#} s");
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"{path}: nobody accepted within {timeout.TotalSeconds:0.#} s");
            }
        }
    }

    /// <summary>What the guest writes: AT commands, or in online data state the call's payload.</summary>
    private async Task HostToModemAsync(CancellationToken token)
    {
        var buffer = new byte[BufferSize];
        while (!token.IsCancellationRequested)
        {
            var n = await _modem.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0)
            {
                return; // qemu closed the chardev
            }

            var data = buffer.AsMemory(0, n);
            if (!_simulator.IsPresent)
            {
                continue; // unplugged: nothing on the bus hears it
            }

            if (_port.Mode == PortMode.OnlineData)
            {
                if (_network is not null)
                {
                    await SendAllAsync(_network, data, token).ConfigureAwait(false);
                }

                if (_watcher.Feed(data.Span))
                {
                    ScheduleHangUp();
                }
            }

            try
            {
                _port.Receive(data.Span);
            }
            catch (IOException)
            {
                // Unplugged while we read.
            }
        }
    }

    /// <summary>The simulator's output (echo, results, URCs, injected payload) to the guest.</summary>
    private async Task ModemToHostAsync(CancellationToken token)
    {
        var buffer = new byte[BufferSize];
        while (!token.IsCancellationRequested)
        {
            int n;
            while ((n = _port.Read(buffer)) > 0)
            {
                await SendAllAsync(_modem, buffer.AsMemory(0, n), token).ConfigureAwait(false);
            }

            await _outputReady.Reader.ReadAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>The network's side of the call; outside a call it falls on the floor, as it would with no PDP context.</summary>
    private async Task NetworkToHostAsync(CancellationToken token)
    {
        var buffer = new byte[BufferSize];
        while (!token.IsCancellationRequested)
        {
            var n = await _network!.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            _port.InjectData(buffer.AsSpan(0, n));
        }
    }

    private static async Task SendAllAsync(UnixSocket socket, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private void OnPortChanged(SimulatedPort port)
    {
        lock (_gate)
        {
            var online = port.Mode == PortMode.OnlineData;
            if (online && !_inCall)
            {
                _call++;
                _watcher.Reset();
            }

            _inCall = online;
        }

        _outputReady.Writer.TryWrite(true);
    }

    private void OnPresenceChanged(ModemSimulator simulator)
    {
        if (!simulator.IsPresent)
        {
            return;
        }

        try
        {
            _incarnation = _port.Open();
        }
        catch (IOException)
        {
            // Gone again before we got to it; the next power-on opens it.
        }
    }

    /// <summary>The link was terminated: the call ends a moment later (NO CARRIER), unless a new call started meanwhile.</summary>
    private void ScheduleHangUp()
    {
        lock (_gate)
        {
            var call = _call;
            _hangUp?.Dispose();
            _hangUp = _simulator.TimeProvider.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        if (call != _call || !_inCall)
                        {
                            return;
                        }
                    }

                    _simulator.DropCarrier();
                },
                null,
                _options.HangUpAfterTerminate,
                Timeout.InfiniteTimeSpan);
        }
    }

    private static void ShutDown(UnixSocket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the other end.
        }
    }
}
