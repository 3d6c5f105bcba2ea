namespace ActorGateway.Core.At;

/// <summary>What the <see cref="AtChat"/> core asks its owner to do; the owner only carries these out.</summary>
public abstract record AtAction
{
    private AtAction()
    {
    }

    /// <summary>Write these bytes to the line (a command followed by S3).</summary>
    public sealed record Write(long Id, byte[] Bytes) : AtAction;

    /// <summary>(Re)arm the single command timer: when it fires, call <see cref="AtChat.TimedOut"/> with this id.</summary>
    public sealed record ArmTimeout(long Id, TimeSpan After) : AtAction;

    /// <summary>No command is in flight any more: the timer may be cancelled.</summary>
    public sealed record DisarmTimeout : AtAction
    {
        public static readonly DisarmTimeout Instance = new();
    }

    /// <summary>The command with this id has its final answer.</summary>
    public sealed record Complete(long Id, AtCommand Command, AtResponse Response) : AtAction;

    /// <summary>An unsolicited result code (with its second line for 27.005's two-line URCs).</summary>
    public sealed record Unsolicited(string Line, string? SecondLine = null) : AtAction;

    /// <summary>A line nobody asked for that is no known URC (e.g. a late answer after a timeout).</summary>
    public sealed record Stray(string Line) : AtAction;

    /// <summary>A line of bytes no modem sends as text (noise, a diagnostics port, a baud mismatch).</summary>
    public sealed record Garbage(string Line) : AtAction;

    /// <summary>
    /// <c>CONNECT</c> was received: the line now carries data (PPP). <see cref="Remainder"/> holds the bytes
    /// that followed <c>CONNECT</c> in the same read; they belong to the data stream.
    /// </summary>
    public sealed record EnteredDataMode(byte[] Remainder) : AtAction;
}
