using ActorGateway.Core.Modem;
using Akka.Actor;

namespace ActorGateway.Actors.Modem;

/// <summary>
/// What a modem session may have beyond its AT channel: a second channel on the modem's data port (the dial and the
/// hand-over to pppd go there, the AT conversation stays on the AT port), and the per-device rules that pick the
/// profile once the IMEI and the SIM's ICCID are known, with what was known of the device before (its USB identity).
/// </summary>
/// <param name="DataPort">The AT channel of the data port, or null when AT and data share one port.</param>
/// <param name="Rules">The <c>actorgateway.devices</c> rules.</param>
/// <param name="Facts">What was known before identification.</param>
public sealed record ModemSessionOptions(IActorRef? DataPort, DeviceProfileRules Rules, DeviceFacts Facts)
{
    /// <summary>
    /// False when the modem was reset with <c>AT+CFUN=1,1</c> too recently (its device remembers across sessions): the
    /// session then fails the device instead of resetting again.
    /// </summary>
    public bool ModemResetAllowed { get; init; } = true;

    /// <summary>One port, no rules: the session as a static device has it.</summary>
    public static ModemSessionOptions None { get; } = new(null, DeviceProfileRules.None, new DeviceFacts());
}
