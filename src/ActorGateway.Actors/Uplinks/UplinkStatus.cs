using ActorGateway.Core.Network;

namespace ActorGateway.Actors.Uplinks;

/// <summary>Where an uplink stands.</summary>
public enum UplinkState
{
    /// <summary>Its interface is missing, down or without carrier.</summary>
    Waiting,

    /// <summary>The interface is up; the address is being obtained (DHCP) or applied.</summary>
    Connecting,

    /// <summary>It has its address and default route: it can carry traffic.</summary>
    Up,
}

/// <summary>What <c>actorgateway status</c> shows of one uplink.</summary>
public sealed record UplinkStatus
{
    public required string Id { get; init; }

    public required string Interface { get; init; }

    public UplinkSource Source { get; init; }

    public UplinkMethod Method { get; init; }

    /// <summary>Lower wins.</summary>
    public int Priority { get; init; }

    public UplinkState State { get; init; } = UplinkState.Waiting;

    /// <summary>A few words on the state (why it waits, what DHCP is doing).</summary>
    public string? Detail { get; init; }

    public DateTimeOffset Since { get; init; }

    public UplinkHealth Health { get; init; } = UplinkHealth.Unknown;

    /// <summary>Why the health is what it is.</summary>
    public string? HealthDetail { get; init; }

    /// <summary>The last probe, in words ("icmp:1.1.1.1 answered in 23 ms").</summary>
    public string? LastProbe { get; init; }

    /// <summary>True while this uplink carries the default route and the LAN's traffic.</summary>
    public bool Active { get; init; }

    /// <summary>The metric of its default route, while it has one.</summary>
    public int? Metric { get; init; }

    /// <summary>Its address in CIDR form.</summary>
    public string? Address { get; init; }

    /// <summary>Its router (DHCP, static) or PPP peer.</summary>
    public string? Gateway { get; init; }

    public IReadOnlyList<string> Dns { get; init; } = [];

    /// <summary>When the DHCP lease runs out unless renewed.</summary>
    public DateTimeOffset? LeaseExpires { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }
}

/// <summary>The network side as a whole: which uplink is active, why and since when, and every uplink.</summary>
/// <param name="Active">The uplink carrying the traffic, or null.</param>
/// <param name="Reason">Why it is that one (or why none).</param>
/// <param name="ActiveSince">Since when.</param>
/// <param name="Sharing">The LAN is shared through NAT (the nft table exists).</param>
/// <param name="Lan">The LAN interface, when one is declared.</param>
/// <param name="Uplinks">Every uplink, best priority first.</param>
public sealed record UplinksStatus(
    string? Active,
    string Reason,
    DateTimeOffset? ActiveSince,
    bool Sharing,
    string? Lan,
    IReadOnlyList<UplinkStatus> Uplinks);
