namespace ActorGateway.Simulation.Tests;

/// <summary>A simulator on a manual clock with its AT port opened by a pretend host; every call drains the output.</summary>
internal sealed class TestModem
{
    public TestModem(ModemProfile profile, SimCard? sim = null, ModemFaults? faults = null)
    {
        Sim = new ModemSimulator(profile, sim, faults, Clock);
        Port = Sim.AtPort;
        Incarnation = Port.Open();
    }

    public ManualTimeProvider Clock { get; } = new();

    public ModemSimulator Sim { get; }

    public SimulatedPort Port { get; }

    public int Incarnation { get; private set; }

    /// <summary>The host types <paramref name="text"/>; returns what came back right away.</summary>
    public string Send(string text)
    {
        Port.Receive(text);
        return Port.ReadAllText();
    }

    /// <summary>Lets time pass; returns what came out meanwhile.</summary>
    public string Advance(TimeSpan by)
    {
        Clock.Advance(by);
        return Port.ReadAllText();
    }

    public string Advance(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Waits out the registration delay and drops whatever URCs it caused.</summary>
    public TestModem Registered()
    {
        Advance(Sim.Profile.RegistrationDelay);
        Assert.Equal(RegistrationStatus.Home, Sim.Registration);
        return this;
    }

    /// <summary>Dials *99# and waits for CONNECT.</summary>
    public TestModem Connected()
    {
        Send("ATD*99#\r");
        var connect = Advance(Sim.Profile.ConnectDelay);
        Assert.Contains("CONNECT", connect);
        Assert.Equal(PortMode.OnlineData, Port.Mode);
        return this;
    }

    /// <summary>Re-opens the AT port after the device came back.</summary>
    public void Reopen() => Incarnation = Port.Open();
}
