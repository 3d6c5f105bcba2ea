using System.IO.Ports;
using ActorGateway.Core.Io;
using ActorGateway.Linux.Native;

namespace ActorGateway.Linux.Serial;

/// <summary>Opens real serial lines with System.IO.Ports.</summary>
public sealed class SystemSerialPortOpener : ISerialPortOpener
{
    /// <inheritdoc />
    public Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken) =>
        Task.Run<ISerialConnection>(() => SystemSerialConnection.Open(options), cancellationToken);
}

/// <summary>
/// One open tty through System.IO.Ports, 8N1 at the configured speed and flow control. System.IO.Ports
/// takes the tty exclusively (TIOCEXCL), which also keeps a second gateway or minicom out.
/// </summary>
public sealed class SystemSerialConnection : ISerialConnection
{
    private readonly SerialPort _port;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _handover = new();

    private SystemSerialConnection(SerialPort port, bool hasModemLines)
    {
        _port = port;
        _stream = port.BaseStream;
        HasModemControlLines = hasModemLines;
    }

    /// <inheritdoc />
    public string Path => _port.PortName;

    /// <summary>False on a pty or a UART without DTR (setting DTR failed).</summary>
    public bool HasModemControlLines { get; }

    /// <summary>Opens <paramref name="options"/>.Path, or throws <see cref="SerialPortException"/> saying why.</summary>
    public static SystemSerialConnection Open(SerialPortOptions options)
    {
        var port = new SerialPort(options.Path, options.BaudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = options.FlowControl switch
            {
                FlowControl.RtsCts => Handshake.RequestToSend,
                FlowControl.XonXoff => Handshake.XOnXOff,
                FlowControl.RtsCtsAndXonXoff => Handshake.RequestToSendXOnXOff,
                _ => Handshake.None,
            },
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = 5000,
        };

        try
        {
            port.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new SerialPortException(options.Path, Explain(options.Path, e), e);
        }

        // Linux raises DTR and RTS when a tty opens; say so explicitly for modems that need it
        // (&D2). A pty has no modem lines and refuses the ioctl: that is expected there.
        var hasModemLines = true;
        try
        {
            port.DtrEnable = true;
        }
        catch (IOException)
        {
            hasModemLines = false;
        }

        return new SystemSerialConnection(port, hasModemLines);
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _handover.Token);
        try
        {
            return await _stream.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (ObjectDisposedException e) when (!_handover.IsCancellationRequested)
        {
            // System.IO.Ports closes the stream itself when the tty hangs up (unplugged, pty closed).
            throw new IOException($"{Path}: the device went away", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException e)
        {
            throw new IOException($"{Path}: the device went away", e);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseForHandoverAsync(CancellationToken cancellationToken)
    {
        // Stop reading, so no PPP byte is eaten here, then lift TIOCEXCL so pppd can open the tty
        // while this handle still holds it (DTR stays up: only the last close of a tty drops it).
        _handover.Cancel();
        foreach (var fd in ProcFs.DescriptorsOn("self", _port.PortName))
        {
            _ = Libc.ioctl(fd, Libc.TIOCNXCL, 0);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _handover.Cancel();
        try
        {
            _port.Close();
        }
        catch (IOException)
        {
            // The device is already gone; closing what is left is all that matters.
        }

        _port.Dispose();
        _handover.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Explain(string path, Exception e)
    {
        if (!File.Exists(path))
        {
            return "no such device (unplugged, or another name after a re-plug)";
        }

        return e switch
        {
            UnauthorizedAccessException => "permission denied, or another program holds it exclusively (minicom, ModemManager, another gateway)",
            _ => $"cannot open: {e.Message}",
        };
    }
}
