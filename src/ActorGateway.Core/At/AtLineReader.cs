using System.Text;

namespace ActorGateway.Core.At;

/// <summary>
/// Splits the bytes a modem sends into lines (ITU-T V.250 §5.7.1: responses are framed by S3/S4,
/// normally <c>CR LF</c>). Tolerates what real lines carry: lone <c>CR</c> (echo is terminated by S3
/// only), lone <c>LF</c>, NUL padding after a reset, and garbage. Never holds more than
/// <see cref="MaxLineLength"/> bytes of an unterminated line, so a stream of noise cannot grow memory.
/// </summary>
public sealed class AtLineReader
{
    /// <summary>The longest line kept; longer runs without a terminator are cut and reported as garbage.</summary>
    public const int MaxLineLength = 2048;

    private readonly byte[] _pending = new byte[MaxLineLength];
    private int _pendingLength;
    private bool _pendingOverflowed;
    private bool _lineEndedByCr;
    private readonly Queue<byte[]> _chunks = new();
    private int _chunkOffset;

    /// <summary>Adds received bytes; lines are then taken with <see cref="TryReadLine"/>.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0)
        {
            _chunks.Enqueue(bytes.ToArray());
        }
    }

    /// <summary>True when no bytes are waiting, neither whole lines nor a partial one.</summary>
    public bool IsEmpty => _chunks.Count == 0 && _pendingLength == 0 && !_pendingOverflowed;

    /// <summary>
    /// Takes the next complete line, without its terminator. Empty lines are skipped.
    /// Returns false when no complete line is buffered (a partial one stays for later).
    /// </summary>
    public bool TryReadLine(out AtLine line)
    {
        while (_chunks.TryPeek(out var chunk))
        {
            while (_chunkOffset < chunk.Length)
            {
                var b = chunk[_chunkOffset++];
                _lineEndedByCr = false;
                if (b is (byte)'\r' or (byte)'\n')
                {
                    if (_pendingLength == 0 && !_pendingOverflowed)
                    {
                        continue; // the LF of a CR LF, or a blank line
                    }

                    line = Decode(_pending.AsSpan(0, _pendingLength), _pendingOverflowed);
                    _pendingLength = 0;
                    _pendingOverflowed = false;
                    if (line.Text.Length == 0 && !line.IsGarbage)
                    {
                        continue;
                    }

                    _lineEndedByCr = b == (byte)'\r';
                    return true;
                }

                if (b == 0)
                {
                    continue; // NUL padding: some modems emit runs of it after reset or on unused ports
                }

                if (_pendingLength == MaxLineLength)
                {
                    line = Decode(_pending.AsSpan(0, _pendingLength), garbage: true);
                    _pendingLength = 0;
                    _pendingOverflowed = true;
                    _pending[_pendingLength++] = b;
                    return true;
                }

                _pending[_pendingLength++] = b;
            }

            _chunks.Dequeue();
            _chunkOffset = 0;
        }

        line = default;
        return false;
    }

    /// <summary>
    /// Takes every byte not yet consumed as lines, including a partial line (less its NUL padding): after
    /// <c>CONNECT</c> the rest of the stream is PPP, not text, and belongs to whoever carries the call.
    /// </summary>
    public byte[] TakeRemainder()
    {
        using var all = new MemoryStream();
        all.Write(_pending, 0, _pendingLength);

        // The LF of the CR LF that ended the last line read is part of that line, not of what follows.
        var skipLf = _lineEndedByCr && _pendingLength == 0;
        var first = true;
        foreach (var chunk in _chunks)
        {
            var offset = first ? _chunkOffset : 0;
            if (skipLf && offset < chunk.Length)
            {
                offset += chunk[offset] == (byte)'\n' ? 1 : 0;
                skipLf = false;
            }

            all.Write(chunk, offset, chunk.Length - offset);
            first = false;
        }

        _chunks.Clear();
        _chunkOffset = 0;
        _pendingLength = 0;
        _pendingOverflowed = false;
        _lineEndedByCr = false;
        return all.ToArray();
    }

    /// <summary>Forgets everything buffered (after a resync or a port reopen).</summary>
    public void Clear() => TakeRemainder();

    private static AtLine Decode(ReadOnlySpan<byte> raw, bool garbage)
    {
        // Control bytes never occur in an AT response; 8-bit bytes can (an operator name in Latin-1),
        // so they only make a line garbage when they are most of it, as in binary diagnostic output.
        var text = new StringBuilder(raw.Length);
        var eightBit = 0;
        foreach (var b in raw)
        {
            if (b is >= 0x20 and < 0x7F or (byte)'\t')
            {
                text.Append((char)b);
            }
            else if (b >= 0x80)
            {
                eightBit++;
                text.Append((char)b);
            }
            else
            {
                garbage = true;
                text.Append("\\x").Append(b.ToString("X2"));
            }
        }

        garbage |= eightBit * 2 > raw.Length;
        return new AtLine(text.ToString().Trim(), garbage);
    }
}

/// <summary>One line from the modem. <see cref="IsGarbage"/> lines held bytes no AT response contains
/// (control or 8-bit bytes, shown as <c>\xNN</c>) or ran longer than any response.</summary>
public readonly record struct AtLine(string Text, bool IsGarbage)
{
    public override string ToString() => Text;
}
