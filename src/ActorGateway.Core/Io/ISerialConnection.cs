namespace ActorGateway.Core.Io;

/// <summary>
/// An open serial line. One reader and one writer at a time. A read that returns 0 or throws
/// <see cref="IOException"/> means the device is gone (unplugged, browned out, or the pty's other end closed).
/// Disposing closes the line, which drops DTR on a real modem (V.250 <c>&amp;D2</c> hangs up).
/// </summary>
public interface ISerialConnection : IAsyncDisposable
{
    /// <summary>The path this line was opened from.</summary>
    string Path { get; }

    /// <summary>Reads what has arrived; waits until at least one byte is there.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Prepares the line to be handed to another process (pppd) that will open the same tty while this
    /// connection is still open, so that DTR never drops in between: after this call the connection
    /// reads nothing more and lets a second opener in. Closing it afterwards is the last step of the hand-over.
    /// </summary>
    ValueTask ReleaseForHandoverAsync(CancellationToken cancellationToken);
}

/// <summary>Opens serial lines. The real one uses System.IO.Ports; the simulator has an in-memory twin.</summary>
public interface ISerialPortOpener
{
    /// <summary>Opens the line, or throws <see cref="SerialPortException"/> naming the port and the cause.</summary>
    Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken);
}

/// <summary>A serial port could not be opened or used; the message names the port and what went wrong.</summary>
public class SerialPortException : IOException
{
    public SerialPortException(string port, string message, Exception? inner = null)
        : base($"{port}: {message}", inner)
    {
        Port = port;
    }

    /// <summary>The port's path.</summary>
    public string Port { get; }
}
