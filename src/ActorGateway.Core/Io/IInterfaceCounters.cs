namespace ActorGateway.Core.Io;

/// <summary>Bytes a network interface has received and sent since it was created.</summary>
public readonly record struct InterfaceBytes(long Received, long Sent);

/// <summary>Reads a network interface's byte counters (the kernel's per-interface statistics).</summary>
public interface IInterfaceCounters
{
    /// <summary>The counters of <paramref name="interfaceName"/>, or null when it does not exist (now).</summary>
    InterfaceBytes? Read(string interfaceName);
}
