using System.Net;

namespace ActorGateway.Actors.Devices;

/// <summary>Where a device stands; the modem phases, then the call, then the ways a session ends.</summary>
public enum DeviceState
{
    Starting,
    Probing,
    Initialising,
    Identifying,
    CheckingSim,
    Registering,
    DefiningContext,
    Dialing,
    WaitingToRedial,
    ResettingModem,
    HandingOver,
    Online,
    Retrying,
    Halted,

    /// <summary>The hardware stopped answering and USB resets did not revive it; nothing more is tried until it is replugged.</summary>
    Dead,
}

/// <summary>
/// What <c>actorgateway status</c> shows of one device. Holds no PIN, password or IMSI by construction.
/// </summary>
public sealed record DeviceStatus
{
    public required string Id { get; init; }

    public required string Port { get; init; }

    /// <summary>The port the dial and pppd use, when it is not <see cref="Port"/>.</summary>
    public string? DataPort { get; init; }

    public DeviceState State { get; init; } = DeviceState.Starting;

    /// <summary>A few words on the state, e.g. the number dialled or when the next try is.</summary>
    public string? Detail { get; init; }

    public DateTimeOffset Since { get; init; }

    public string? Manufacturer { get; init; }

    public string? Model { get; init; }

    public string? Revision { get; init; }

    public string? Imei { get; init; }

    public string? Registration { get; init; }

    public int? SignalDbm { get; init; }

    public int? SignalPercent { get; init; }

    public string? Operator { get; init; }

    public string? Technology { get; init; }

    public string? Interface { get; init; }

    public string? LocalAddress { get; init; }

    public string? RemoteAddress { get; init; }

    public IReadOnlyList<string> Dns { get; init; } = [];

    public int Connects { get; init; }

    /// <summary>The last thing that went wrong, in words.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    internal static string? Text(IPAddress? address) => address?.ToString();
}
