using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;

namespace ActorGateway.Actors.Devices;

/// <summary>
/// The outside world a device actor needs, behind interfaces: serial ports, programs, the PIN verdicts
/// and the clock. The host gives the real Linux ones; tests and the demo give simulated ports.
/// </summary>
/// <param name="Ports">Opens serial lines.</param>
/// <param name="Processes">Starts pppd.</param>
/// <param name="PinVerdicts">Remembers PIN attempts across reboots.</param>
/// <param name="Clock">Wall-clock time for status and verdicts (timers use the actor scheduler).</param>
/// <param name="RuntimeDirectory">Where pppd's private credentials file goes.</param>
/// <param name="StalePppd">Ends a pppd an earlier run left behind on the device's link, before a session starts; null: none.</param>
public sealed record DeviceDependencies(
    ISerialPortOpener Ports,
    IProcessRunner Processes,
    IPinVerdictStore PinVerdicts,
    TimeProvider Clock,
    string RuntimeDirectory,
    IStalePppdReaper? StalePppd = null)
{
    /// <summary>The endings of pppd processes whose actors have stopped; the gateway's shutdown waits for them.</summary>
    public PendingReleases Releases { get; init; } = new();
}
