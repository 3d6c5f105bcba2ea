namespace ActorGateway.Actors.Service;

/// <summary>
/// The watchdog's question to the actors it vouches for (the gateway supervisor, the uplink manager): an actor that
/// answers from its own mailbox is processing messages, and so is the dispatcher it runs on.
/// </summary>
public static class Liveness
{
    /// <summary>Are you processing messages? The answer is <see cref="Pong"/> with the same <paramref name="Sequence"/>.</summary>
    public sealed record Ping(long Sequence);

    /// <summary>Yes, as of <paramref name="Sequence"/>.</summary>
    public sealed record Pong(long Sequence);
}
