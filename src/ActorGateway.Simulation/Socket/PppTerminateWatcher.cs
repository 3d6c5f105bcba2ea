namespace ActorGateway.Simulation.Socket;

/// <summary>
/// Watches the PPP byte stream a host sends in online data state for the end of the link: an LCP Terminate-Request
/// (code 5) or Terminate-Ack (code 6). Frames are HDLC-like (RFC 1662 §4: 0x7E flags, 0x7D escapes the next byte
/// XOR 0x20); LCP is protocol 0xC021 and is always sent with the address and control fields and an uncompressed
/// protocol field (RFC 1661 §6.5, §6.6), codes per RFC 1661 §5.5. Pure and not thread-safe: one instance per stream.
/// </summary>
public sealed class PppTerminateWatcher
{
    // Address, control, protocol (2), code: all that is needed to classify a frame.
    private const int HeaderLength = 5;

    private readonly byte[] _header = new byte[HeaderLength];
    private int _length;
    private bool _escaped;

    /// <summary>Feeds bytes; true when a frame that ended in them was an LCP Terminate-Request or Terminate-Ack.</summary>
    public bool Feed(ReadOnlySpan<byte> data)
    {
        var seen = false;
        foreach (var raw in data)
        {
            if (raw == 0x7E)
            {
                seen |= IsTerminate();
                _length = 0;
                _escaped = false;
                continue;
            }

            if (raw == 0x7D)
            {
                _escaped = true;
                continue;
            }

            var b = _escaped ? (byte)(raw ^ 0x20) : raw;
            _escaped = false;
            if (_length < HeaderLength)
            {
                _header[_length] = b;
            }

            _length++;
        }

        return seen;
    }

    /// <summary>Forgets a partial frame (a new call starts).</summary>
    public void Reset()
    {
        _length = 0;
        _escaped = false;
    }

    private bool IsTerminate() =>
        _length >= HeaderLength
        && _header[0] == 0xFF && _header[1] == 0x03
        && _header[2] == 0xC0 && _header[3] == 0x21
        && _header[4] is 5 or 6;
}
