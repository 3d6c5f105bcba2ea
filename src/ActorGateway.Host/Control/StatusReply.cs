using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Uplinks;

namespace ActorGateway.Host.Control;

/// <summary>
/// The answer to <c>status</c> when the network side runs: the devices, as in <c>Gateway.Status</c> (a client
/// that reads only those still can), and the uplinks: which is active, why, since when, and each one's state.
/// </summary>
public sealed record StatusReply(DateTimeOffset At, IReadOnlyList<DeviceStatus> Devices, UplinksStatus? Uplinks)
{
    /// <summary>The Raspberry Pi's supply: under-voltage, throttling, the device resets they caused. Absent on other boards.</summary>
    public PowerStatus? Power { get; init; }
}
