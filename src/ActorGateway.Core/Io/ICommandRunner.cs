namespace ActorGateway.Core.Io;

/// <summary>
/// A short program run to completion (<c>ip</c>, <c>nft</c>): its path, its argument list (never a shell
/// string) and, for <c>nft -f -</c>, the text written to its standard input.
/// </summary>
public sealed record CommandSpec(string Program, IReadOnlyList<string> Arguments, string? StandardInput = null)
{
    /// <summary>The command as a person would type it, for logs (standard input not included).</summary>
    public override string ToString() => $"{Program} {string.Join(' ', Arguments)}";
}

/// <summary>How a command ended: its exit status and what it printed.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>True when the command exited 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>What it said, for a log line or an exception: standard error, else standard output, trimmed.</summary>
    public string Said => (Error.Trim().Length > 0 ? Error : Output).Trim();
}

/// <summary>
/// Runs short commands to completion. Throws <see cref="ProcessStartException"/> when the program cannot be
/// started; a non-zero exit is a <see cref="CommandResult"/>, for the caller to judge.
/// </summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="spec"/>; cancelling kills it.</summary>
    Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken);
}
