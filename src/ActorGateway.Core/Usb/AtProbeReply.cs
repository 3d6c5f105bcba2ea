using System.Text;

namespace ActorGateway.Core.Usb;

/// <summary>What a port did with an <c>AT</c>.</summary>
public enum AtProbeVerdict
{
    /// <summary>Not enough yet: wait for more bytes or the timeout.</summary>
    Undecided,

    /// <summary>A final result (OK, ERROR, COMMAND NOT SUPPORT, a numeric 0 or 4): something speaks AT here.</summary>
    Answers,

    /// <summary>NUL runs or binary (a DIAG or GPS port, a port with the wrong speed): never the AT port.</summary>
    Garbage,
}

/// <summary>
/// Judges the bytes a port sends back after <c>AT\r</c>. Pure. The echo (<c>AT</c>) and blank lines are not answers;
/// a run of NULs or a burst of binary is garbage even if an <c>OK</c> hides in it, because a port that chatters binary
/// would corrupt every later answer. A little binary is judged only when the try is over: a Qualcomm DIAG port answers
/// an unknown request with a short HDLC error frame (0x13, the request, a CRC, 0x7E), while an AT port may let a
/// stray byte through just before its OK.
/// </summary>
public static class AtProbeReply
{
    /// <summary>NULs in a row that make a port garbage (modems pad with a few at most).</summary>
    public const int NulRun = 8;

    /// <summary>Non-text bytes that make a port garbage at once.</summary>
    public const int BinaryBytes = 16;

    /// <summary>Non-text bytes that make a port garbage once a try timed out without an answer.</summary>
    public const int SomeBinary = 2;

    /// <summary>The verdict on everything received so far; <paramref name="timedOut"/> when the try is over.</summary>
    public static AtProbeVerdict Judge(ReadOnlySpan<byte> received, bool timedOut = false)
    {
        var nuls = 0;
        var binary = 0;
        foreach (var b in received)
        {
            nuls = b == 0 ? nuls + 1 : 0;
            if (nuls >= NulRun)
            {
                return AtProbeVerdict.Garbage;
            }

            if (b is not (0 or (byte)'\r' or (byte)'\n' or (byte)'\t') && (b < 0x20 || b >= 0x7f))
            {
                binary++;
            }
        }

        if (binary >= BinaryBytes)
        {
            return AtProbeVerdict.Garbage;
        }

        foreach (var line in Lines(received))
        {
            if (IsFinal(line))
            {
                return AtProbeVerdict.Answers;
            }
        }

        return timedOut && binary >= SomeBinary ? AtProbeVerdict.Garbage : AtProbeVerdict.Undecided;
    }

    /// <summary>The complete text lines received (ended by CR or LF), without NULs.</summary>
    public static IReadOnlyList<string> Lines(ReadOnlySpan<byte> received)
    {
        var text = Encoding.ASCII.GetString(received).Replace("\0", string.Empty, StringComparison.Ordinal);
        var end = text.LastIndexOfAny(['\r', '\n']);
        if (end < 0)
        {
            return [];
        }

        return [.. text[..end].Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    // V.250 §5.7.1 verbose and numeric (V0) final results; 27.007 §9.2 errors; Huawei's "COMMAND NOT SUPPORT".
    private static bool IsFinal(string line) =>
        line is "OK" or "ERROR" or "0" or "4" or "COMMAND NOT SUPPORT"
        || line.StartsWith("+CME ERROR", StringComparison.Ordinal);
}
