namespace ActorGateway.Simulation;

/// <summary>A scheduled simulator action; cancelling it also stops the underlying <see cref="ITimer"/>.</summary>
internal sealed class SimTimer
{
    public ITimer? Timer { get; set; }

    /// <summary>Dies with the device's power (all but the "plug back in" timer of a brown-out).</summary>
    public bool TiedToPower { get; init; } = true;

    public bool Cancelled { get; private set; }

    public void Cancel()
    {
        Cancelled = true;
        Timer?.Dispose();
    }
}
