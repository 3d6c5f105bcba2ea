namespace ActorGateway.Core.At;

/// <summary>
/// One AT command line, as sent (without the terminating S3 carriage return), with the time the
/// modem gets to answer. <see cref="IsSensitive"/> commands (PIN, passwords) are never logged as sent.
/// </summary>
public sealed record AtCommand
{
    public AtCommand(string text, TimeSpan timeout, bool isSensitive = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.Contains('\r') || text.Contains('\n'))
        {
            throw new ArgumentException($"an AT command is one line; got {Redaction.Command(text)}", nameof(text));
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a command timeout must be positive");
        }

        Text = text.Trim();
        Timeout = timeout;
        IsSensitive = isSensitive || Redaction.IsSensitiveCommand(Text);
        ResponsePrefix = DeriveResponsePrefix(Text);
    }

    /// <summary>The command line, e.g. <c>AT+CSQ</c>.</summary>
    public string Text { get; }

    /// <summary>How long the modem has for its final result code.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>True when the line carries a secret and must be redacted in logs.</summary>
    public bool IsSensitive { get; }

    /// <summary>
    /// The prefix of this command's information responses (27.007 §4.1: <c>+CSQ</c> answers <c>+CSQ: …</c>),
    /// used to tell them apart from URCs that share the line. Null for basic V.250 commands.
    /// </summary>
    public string? ResponsePrefix { get; }

    /// <summary>
    /// True for commands that may end with <c>CONNECT</c> (V.250 §6.3: D dial, A answer, O return online).
    /// </summary>
    public bool CanConnect
    {
        get
        {
            // 27.007 §10.1.12: +CGDATA enters data state with CONNECT too.
            var body = Body;
            return (body.Length > 0 && char.ToUpperInvariant(body[0]) is 'D' or 'A' or 'O')
                || body.StartsWith("+CGDATA", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// True when only basic V.250 commands are on the line, so that a modem left in <c>V0</c> (numeric
    /// results, e.g. by a stored profile that <c>ATZ</c> restores) can answer with a digit.
    /// </summary>
    public bool AcceptsNumericResult
    {
        get
        {
            // A query (ATS0?) answers with digits of its own, so only commands that ask nothing qualify.
            var body = Body;
            return (body.Length == 0 || body[0] is not ('+' or '^' or '%' or '$' or '!' or '*' or '#' or '@'))
                && !body.Contains('?');
        }
    }

    /// <summary>The text for logs, with secrets masked.</summary>
    public string ForLog => IsSensitive ? Redaction.Command(Text) : Text;

    private string Body => Text.Length >= 2 && Text.StartsWith("AT", StringComparison.OrdinalIgnoreCase)
        ? Text[2..].TrimStart()
        : Text;

    private static string? DeriveResponsePrefix(string text)
    {
        if (!text.StartsWith("AT", StringComparison.OrdinalIgnoreCase) || text.Length < 4)
        {
            return null;
        }

        var body = text[2..].TrimStart();
        if (body.Length < 2 || body[0] is not ('+' or '^' or '%' or '$' or '!' or '*' or '#'))
        {
            return null;
        }

        var end = body.IndexOfAny(['=', '?', ';', ' ']);
        var name = end < 0 ? body : body[..end];
        return name.Length > 1 ? name.ToUpperInvariant() + ":" : null;
    }

    public override string ToString() => ForLog;
}
