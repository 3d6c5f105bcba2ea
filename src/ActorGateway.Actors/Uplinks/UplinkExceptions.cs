using ActorGateway.Core.Io;

namespace ActorGateway.Actors.Uplinks;

/// <summary>Something on the network side failed; the parent's decider says what happens next.</summary>
public class UplinkException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The uplink it happened to, when it happened to one.</summary>
    public string? UplinkId { get; init; }
}

/// <summary>An ip or nft command failed where it must not (an address or route could not be applied).</summary>
public sealed class NetworkCommandException(CommandSpec command, string said, Exception? inner = null)
    : UplinkException($"`{command}` failed: {said}", inner)
{
    public CommandSpec Command { get; } = command;
}

/// <summary>udhcpc could not be started, or exited: the lease is treated as lost and the client started again later.</summary>
public sealed class DhcpClientException(string message, IReadOnlyList<string> lastLines, Exception? inner = null) : UplinkException(message, inner)
{
    /// <summary>udhcpc's last lines, for the log.</summary>
    public IReadOnlyList<string> LastLines { get; } = lastLines;
}

/// <summary>The gateway's nft table could not be created or changed; it is recreated after a backoff.</summary>
public sealed class NatTableException(string message, Exception? inner = null) : UplinkException(message, inner);

/// <summary>The LAN service (dnsmasq, the LAN address) failed; it is started again after a backoff.</summary>
public sealed class LanServiceException(string message, IReadOnlyList<string> lastLines, Exception? inner = null) : UplinkException(message, inner)
{
    /// <summary>dnsmasq's last lines, for the log.</summary>
    public IReadOnlyList<string> LastLines { get; } = lastLines;
}

/// <summary>The kernel's link events could not be read; the monitor is started again after a backoff.</summary>
public sealed class LinkMonitorException(string message, Exception? inner = null) : UplinkException(message, inner);
