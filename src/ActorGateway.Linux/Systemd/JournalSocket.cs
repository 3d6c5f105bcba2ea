using System.Globalization;
using System.Net.Sockets;

namespace ActorGateway.Linux.Systemd;

/// <summary>
/// journald's native socket (<c>/run/systemd/journal/socket</c>, systemd-journald.service(8)): one datagram per entry,
/// in the native protocol (see <see cref="Core.Service.JournalFields"/>). Non-blocking: an entry journald cannot take now
/// is reported as not sent, for the caller to write elsewhere.
/// </summary>
public sealed class JournalSocket : IDisposable
{
    /// <summary>Where journald listens.</summary>
    public const string DefaultPath = "/run/systemd/journal/socket";

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly Lock _gate = new();

    public JournalSocket(string path = DefaultPath)
    {
        Path = path;
        _endpoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
        // Entries up to 8 MiB fit in one datagram when the socket buffer allows; journald itself sets 8 MiB on its end.
        _socket.SendBufferSize = 8 * 1024 * 1024;
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <summary>Sends one entry; false when journald did not take it (not running, queue full, entry too big).</summary>
    public bool Send(ReadOnlySpan<byte> entry)
    {
        lock (_gate)
        {
            try
            {
                return _socket.SendTo(entry, SocketFlags.None, _endpoint) == entry.Length;
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// True when this process's stderr is the journal stream systemd set up (<c>$JOURNAL_STREAM</c> is
    /// <c>DEVICE:INODE</c> of that stream, systemd.exec(5)): then the journal is where logs go. The inode is compared
    /// with the one <c>/proc/self/fd/2</c> names (<c>socket:[INODE]</c>); a stderr redirected elsewhere does not match.
    /// </summary>
    public static bool StderrIsJournal(string? journalStream = null, string? stderrLink = null)
    {
        journalStream ??= Environment.GetEnvironmentVariable("JOURNAL_STREAM");
        if (string.IsNullOrEmpty(journalStream) || journalStream.Split(':') is not [_, var inodeText]
            || !ulong.TryParse(inodeText, NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            return false;
        }

        try
        {
            stderrLink ??= new FileInfo("/proc/self/fd/2").LinkTarget;
        }
        catch (IOException)
        {
            return false;
        }

        return stderrLink is not null && stderrLink == $"socket:[{inode.ToString(CultureInfo.InvariantCulture)}]";
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket.Dispose();
        }
    }
}
