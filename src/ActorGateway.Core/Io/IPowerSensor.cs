using ActorGateway.Core.Power;

namespace ActorGateway.Core.Io;

/// <summary>The board's power sensors (a Raspberry Pi's under-voltage and throttling flags).</summary>
public interface IPowerSensor
{
    /// <summary>One reading, or null when this board has no such sensors (not a Pi): then nothing is said about power.</summary>
    PowerReading? Read();

    /// <summary>Where it reads, for the log.</summary>
    string Describe();
}
