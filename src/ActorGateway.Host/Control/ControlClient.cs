using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ActorGateway.Host.Control;

/// <summary>Talks to a running gateway over its control socket.</summary>
public static class ControlClient
{
    /// <summary>Sends one request and returns the raw JSON answer, or throws <see cref="IOException"/> saying why not.</summary>
    public static async Task<string> RequestAsync(string socketPath, ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException(e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported when !File.Exists(socketPath) =>
                    $"no gateway is running (no control socket at {socketPath})",
                _ when !File.Exists(socketPath) => $"no gateway is running (no control socket at {socketPath})",
                SocketError.ConnectionRefused => $"no gateway answers on {socketPath} (it stopped without removing the socket)",
                SocketError.AccessDenied => $"not allowed to use {socketPath} (run as root)",
                _ => $"cannot reach the gateway at {socketPath}: {e.Message}",
            }, e);
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await writer.WriteLineAsync(JsonSerializer.Serialize(request, ControlJson.Options)).ConfigureAwait(false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return await reader.ReadLineAsync(timer.Token).ConfigureAwait(false)
                ?? throw new IOException("the gateway closed the connection without answering");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"the gateway did not answer within {timeout.TotalSeconds:0} s");
        }
    }
}
