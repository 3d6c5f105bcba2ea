namespace ActorGateway.Core.Io;

/// <summary>
/// Ends a pppd that an earlier run of the gateway started and could not stop (killed with SIGKILL, out of
/// memory, a power cut of the gateway's process only): it still holds the tty, with its line discipline and
/// the UUCP lock, and no AT would ever reach the modem again.
/// </summary>
public interface IStalePppdReaper
{
    /// <summary>
    /// Ends the pppd running with <c>linkname <paramref name="linkName"/></c>, if any (SIGTERM, then SIGKILL after
    /// a grace time). Returns its pid, or null when there was none.
    /// </summary>
    Task<int?> ReapAsync(string linkName, CancellationToken cancellationToken);
}
