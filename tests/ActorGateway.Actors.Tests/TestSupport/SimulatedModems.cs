using ActorGateway.Actors.Devices;
using ActorGateway.Core.Io;
using ActorGateway.Simulation;
using ActorGateway.Simulation.InMemory;
using SimProfile = ActorGateway.Simulation.ModemProfile;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>
/// Simulated modems on in-memory ports, on the virtual clock, and a fake pppd that opens the tty it is given
/// (so the hand-over keeps DTR up, as with the real pppd) and closes it when it exits.
/// </summary>
public sealed class SimulatedModems : IDisposable
{
    private readonly List<ModemSimulator> _simulators = [];
    private readonly TimeProvider _clock;

    public SimulatedModems(TimeProvider clock)
    {
        _clock = clock;
        Dependencies = new DeviceDependencies(Ports, Pppd, Verdicts, clock, "/run/actorgateway");
    }

    public InMemorySerialPortOpener Ports { get; } = new();

    public FakeProcessRunner Pppd { get; } = new() { Setup = _ => { } };

    public InMemoryPinVerdictStore Verdicts { get; } = new();

    public DeviceDependencies Dependencies { get; }

    /// <summary>
    /// A plugged-in modem of <paramref name="profile"/> whose network answers at once (no registration, dial or
    /// boot delay), so that only the gateway's own timers need virtual time. Returns it and its AT tty's path.
    /// </summary>
    public (ModemSimulator Modem, string AtPath) Add(string name, SimProfile profile, SimCard? sim = null, ModemFaults? faults = null)
    {
        var instant = profile with { RegistrationDelay = TimeSpan.Zero, ConnectDelay = TimeSpan.Zero, BootDelay = TimeSpan.Zero };
        var modem = new ModemSimulator(instant, sim, faults, _clock);
        _simulators.Add(modem);
        Ports.Add(modem, $"/sim/{name}");
        return (modem, $"/sim/{name}/{modem.AtPort.Name}");
    }

    /// <summary>The next pppd started: it opens its tty (released by the gateway), then says it holds it.</summary>
    public async Task<FakeProcess> NextPppdHoldingTheLineAsync()
    {
        var process = await Pppd.NextStartedAsync();
        var line = await Ports.OpenAsync(new SerialPortOptions(process.Spec.Arguments[0]), CancellationToken.None);
        _ = process.Exited.ContinueWith(_ => line.DisposeAsync().AsTask(), TaskScheduler.Default);
        process.Open = true;
        return process;
    }

    public void Dispose()
    {
        foreach (var modem in _simulators)
        {
            modem.Dispose();
        }
    }
}
