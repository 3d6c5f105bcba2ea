using ActorGateway.Core.At;
using ActorGateway.Core.Modem;

namespace ActorGateway.Actors.Modem;

/// <summary>The steps of bringing a modem online, as the seed guide does them by hand.</summary>
public enum ModemPhase
{
    /// <summary><c>AT</c> until the port answers (the seed's minicom test).</summary>
    Probing,

    /// <summary><c>ATZ</c> and the init strings.</summary>
    Initialising,

    /// <summary>Manufacturer, model, revision, IMEI, ICCID.</summary>
    Identifying,

    /// <summary><c>AT+CPIN?</c>, and the PIN when the SIM asks for it.</summary>
    CheckingSim,

    /// <summary>Waiting for the network (<c>+CREG</c>/<c>+CGREG</c>/<c>+CEREG</c>).</summary>
    Registering,

    /// <summary><c>AT+CGDCONT</c> with the APN.</summary>
    DefiningContext,

    /// <summary><c>ATD*99#</c> until CONNECT.</summary>
    Dialing,

    /// <summary>Waiting to dial again after a failed dial.</summary>
    WaitingToRedial,

    /// <summary><c>AT+CFUN=1,1</c> after repeated unanswered commands.</summary>
    ResettingModem,

    /// <summary>CONNECT received; the line goes to pppd.</summary>
    Connected,
}

/// <summary>Who the modem says it is (27.007 §5: +CGMI, +CGMM, +CGMR, +CGSN; the SIM's ICCID).</summary>
public sealed record ModemIdentity(string? Manufacturer, string? Model, string? Revision, string? Imei, string? Iccid);

/// <summary>What the modem says of the network.</summary>
public sealed record NetworkState(Registration? Registration, SignalQuality? Signal, string? Operator, string? Technology);

/// <summary>The public protocol of <see cref="ModemSessionActor"/>.</summary>
public static class ModemSession
{
    /// <summary>To the parent: the session entered a phase.</summary>
    public sealed record Progress(ModemPhase Phase, string? Detail = null);

    /// <summary>To the parent: identity read.</summary>
    public sealed record Identified(ModemIdentity Identity);

    /// <summary>
    /// To the parent: an <c>actorgateway.devices</c> rule (<paramref name="Rule"/>) matched the identity and its profile
    /// now applies (pppd's credentials and options, the redial policy).
    /// </summary>
    public sealed record ProfileChosen(ModemProfile Profile, string Rule);

    /// <summary>To the parent: what the network looks like now.</summary>
    public sealed record NetworkChanged(NetworkState State);

    /// <summary>To the parent: the dial failed; the parent answers <see cref="RedialIn"/>.</summary>
    public sealed record DialFailed(AtResponse Result);

    /// <summary>From the parent: dial again after this delay.</summary>
    public sealed record RedialIn(TimeSpan Delay);

    /// <summary>To the parent: CONNECT; the line now carries data.</summary>
    public sealed record Connected(string? Detail);

    /// <summary>
    /// To the parent: the session stopped for a reason retrying cannot fix (a rejected PIN, a PUK-locked
    /// SIM). Nothing is retried until the configuration changes.
    /// </summary>
    public sealed record Halted(string Reason);
}
