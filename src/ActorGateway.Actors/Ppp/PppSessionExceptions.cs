using ActorGateway.Core.Ppp;

namespace ActorGateway.Actors.Ppp;

/// <summary>The PPP session ended or could not start; the device ends the call and redials after a backoff.</summary>
public class PppSessionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>pppd could not be started at all (not installed, not executable).</summary>
public sealed class PppdStartException(string message, Exception inner) : PppSessionException(message, inner);

/// <summary>pppd did not open the tty within the hand-over time.</summary>
public sealed class PppdHandoverTimeoutException(string message) : PppSessionException(message);

/// <summary>pppd exited; <see cref="ExitCode"/> is its status as pppd(8) documents it.</summary>
public class PppdExitedException(int exitCode, IReadOnlyList<string> lastLines, TimeSpan connectedFor)
    : PppSessionException($"pppd exited with status {exitCode}: {PppdExit.Describe(exitCode)}")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>pppd's last log lines, for the log.</summary>
    public IReadOnlyList<string> LastLines { get; } = lastLines;

    /// <summary>How long the link was up (zero when it never came up).</summary>
    public TimeSpan ConnectedFor { get; } = connectedFor;

    /// <summary>The typed exception for an exit status.</summary>
    public static PppdExitedException For(int exitCode, IReadOnlyList<string> lastLines, TimeSpan connectedFor) =>
        exitCode == (int)PppdExitCode.NoKernelSupport
            ? new PppKernelSupportMissingException(lastLines)
            : new PppdExitedException(exitCode, lastLines, connectedFor);
}

/// <summary>
/// pppd exited 4: "Couldn't open the /dev/ppp device" — this kernel has no PPP. Nothing the gateway
/// does can fix that; it is said once, clearly, and retried slowly.
/// </summary>
public sealed class PppKernelSupportMissingException(IReadOnlyList<string> lastLines)
    : PppdExitedException((int)PppdExitCode.NoKernelSupport, lastLines, TimeSpan.Zero);
