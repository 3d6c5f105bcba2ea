namespace ActorGateway.Core.Network;

/// <summary>Follows the kernel's network interfaces: first the state of every one, then each change, as it happens.</summary>
public interface ILinkMonitor
{
    /// <summary>
    /// The current state of every interface, then every change until <paramref name="cancellationToken"/> is
    /// cancelled. Throws <see cref="IOException"/> when the kernel's event source fails.
    /// </summary>
    IAsyncEnumerable<LinkEvent> WatchAsync(CancellationToken cancellationToken);
}

/// <summary>How one probe went.</summary>
/// <param name="Answered">The target answered through the uplink.</param>
/// <param name="RoundTrip">How long the answer took (meaningless when not answered).</param>
/// <param name="Problem">Why not, in words (timeout, network unreachable, …), when not answered.</param>
public sealed record ProbeResult(bool Answered, TimeSpan RoundTrip, string? Problem = null)
{
    /// <summary>No answer within the timeout.</summary>
    public static ProbeResult TimedOut { get; } = new(false, TimeSpan.Zero, "no answer in time");
}

/// <summary>Probes a target through one interface only, so that a probe never leaves through another uplink.</summary>
public interface IUplinkProber
{
    /// <summary>One probe of <paramref name="target"/> bound to <paramref name="ifname"/>; never throws for network failures.</summary>
    Task<ProbeResult> ProbeAsync(string ifname, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Kernel parameters (sysctl(8) names such as <c>net.ipv4.ip_forward</c>).</summary>
public interface ISysctl
{
    /// <summary>The value, or null when the parameter does not exist here.</summary>
    string? Read(string name);

    /// <summary>Sets the value; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it cannot.</summary>
    void Write(string name, string value);
}

/// <summary>Directories the gateway keeps for other programs (dnsmasq's lease file).</summary>
public interface IRuntimeFiles
{
    /// <summary>Creates the directory <paramref name="path"/> (and its parents) if it does not exist, mode 0750.</summary>
    void CreateDirectory(string path);
}
