namespace ActorGateway.Core.At;

/// <summary>How a command ended: the final result code (V.250 §5.7.2, 27.007 §9.2), or a local verdict.</summary>
public enum AtOutcome
{
    /// <summary><c>OK</c> (numeric 0).</summary>
    Ok,

    /// <summary><c>CONNECT[ text]</c> (numeric 1): the line is now in data mode.</summary>
    Connect,

    /// <summary><c>NO CARRIER</c> (numeric 3).</summary>
    NoCarrier,

    /// <summary><c>ERROR</c> (numeric 4), and vendor variants such as <c>COMMAND NOT SUPPORT</c>.</summary>
    Error,

    /// <summary><c>NO DIALTONE</c> (numeric 6).</summary>
    NoDialtone,

    /// <summary><c>BUSY</c> (numeric 7).</summary>
    Busy,

    /// <summary><c>NO ANSWER</c> (numeric 8).</summary>
    NoAnswer,

    /// <summary><c>+CME ERROR: &lt;err&gt;</c> (27.007 §9.2): equipment or network error.</summary>
    CmeError,

    /// <summary><c>+CMS ERROR: &lt;err&gt;</c> (27.005 §3.2.5): message service error.</summary>
    CmsError,

    /// <summary>No final result arrived in time.</summary>
    Timeout,

    /// <summary>The command never completed because the line went away or was handed to pppd.</summary>
    Aborted,
}

/// <summary>
/// The complete answer to one AT command: its information lines and how it ended. For
/// <see cref="AtOutcome.CmeError"/>/<see cref="AtOutcome.CmsError"/>, <see cref="ErrorCode"/> holds the
/// numeric code when the modem gave one (<c>+CMEE=1</c>) and <see cref="Detail"/> the text; for
/// <see cref="AtOutcome.Connect"/>, <see cref="Detail"/> holds the text after <c>CONNECT</c>.
/// </summary>
public sealed record AtResponse(AtOutcome Outcome, IReadOnlyList<string> Lines, int? ErrorCode = null, string? Detail = null)
{
    /// <summary>True for <c>OK</c>.</summary>
    public bool IsOk => Outcome == AtOutcome.Ok;

    /// <summary>The first information line that starts with <paramref name="prefix"/>, without the prefix.</summary>
    public string? Find(string prefix)
    {
        foreach (var line in Lines)
        {
            if (line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return line[prefix.Length..].Trim();
            }
        }

        return null;
    }

    /// <summary>A short text for status and logs, e.g. <c>+CME ERROR: 16 (incorrect password)</c>.</summary>
    public string Describe() => Outcome switch
    {
        AtOutcome.Ok => "OK",
        AtOutcome.Connect => Detail is { Length: > 0 } ? $"CONNECT {Detail}" : "CONNECT",
        AtOutcome.NoCarrier => "NO CARRIER",
        AtOutcome.Error => Detail is { Length: > 0 } ? Detail : "ERROR",
        AtOutcome.NoDialtone => "NO DIALTONE",
        AtOutcome.Busy => "BUSY",
        AtOutcome.NoAnswer => "NO ANSWER",
        AtOutcome.CmeError => ErrorCode is { } code
            ? $"+CME ERROR: {code} ({CmeErrors.Describe(code)})"
            : $"+CME ERROR: {Detail}",
        AtOutcome.CmsError => $"+CMS ERROR: {(ErrorCode?.ToString() ?? Detail)}",
        AtOutcome.Timeout => "no answer (timeout)",
        AtOutcome.Aborted => $"aborted: {Detail}",
        _ => Outcome.ToString(),
    };

    public static AtResponse Timeout(IReadOnlyList<string> lines) => new(AtOutcome.Timeout, lines);

    public static AtResponse Aborted(string reason) => new(AtOutcome.Aborted, [], Detail: reason);
}
