using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using Akka.Actor;
using Xunit.Abstractions;
using GatewayProtocol = ActorGateway.Actors.Gateway.Gateway;

namespace ActorGateway.Actors.Tests.Gateway;

/// <summary>
/// A configuration reload as the gateway supervisor applies it: a changed device is stopped (its port closed) and started
/// again as a new actor, an unchanged one keeps its actor and its open port, an added one starts, a removed one stops.
/// </summary>
public sealed class GatewaySupervisorReloadSpec : VirtualTimeSpec
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private readonly SimulatedModems _sim;
    private readonly RecordingPortOpener _ports;
    private readonly Dictionary<string, string> _paths = [];
    private readonly IActorRef _gateway;

    public GatewaySupervisorReloadSpec(ITestOutputHelper output)
        : base(output)
    {
        _sim = new SimulatedModems(Clock);
        _ports = new RecordingPortOpener(_sim.Ports);
        foreach (var name in new[] { "kept", "changed", "gone", "added" })
        {
            // Phones that never register: each keeps its AT line open for as long as its device actor lives.
            _paths[name] = _sim.Add(name, NokiaC2_01.Profile, faults: new ModemFaults { Registration = RegistrationOutcome.NeverRegisters }).AtPath;
        }

        var settings = Settings(("kept", "internet"), ("changed", "internet"), ("gone", "internet"));
        _gateway = Sys.ActorOf(GatewaySupervisor.Props(settings, _sim.Dependencies with { Ports = _ports }), "gateway");
        AwaitStatus(s => s.Devices.Count == 3 && s.Devices.All(d => d.State == DeviceState.Registering));
    }

    private GatewaySettings Settings(params (string Id, string Apn)[] devices) =>
        Settings([.. devices.Select(d => (d.Id, d.Apn, _paths[d.Id]))]);

    private static GatewaySettings Settings((string Id, string Apn, string Port)[] devices) => GatewaySettings.Parse(
        "actorgateway.static-devices = [\n" + string.Join("\n", devices.Select(d =>
            $$"""  { id = "{{d.Id}}", port = "{{d.Port}}", profile = "nokia-c2-01", apn = "{{d.Apn}}" }""")) + "\n]",
        "spec");

    private GatewayProtocol.Reloaded Reload(GatewaySettings settings) =>
        _gateway.Ask<GatewayProtocol.Reloaded>(new GatewayProtocol.Reload(settings), AskTimeout).GetAwaiter().GetResult();

    private IActorRef Resolve(string name) => Sys.ActorSelection($"/user/gateway/{name}").ResolveOne(AskTimeout).GetAwaiter().GetResult();

    [Fact]
    public void Reload_should_restart_only_what_changed_closing_the_old_port_first()
    {
        var kept = Resolve("device-kept");
        var changed = Watch(Resolve("device-changed"));
        var gone = Watch(Resolve("device-gone"));

        var reply = Reload(Settings(("kept", "internet"), ("changed", "web.provider.example"), ("added", "internet")));

        Assert.Equal(["added"], reply.Added);
        Assert.Equal(["gone"], reply.Removed);
        Assert.Equal(["changed"], reply.Restarted);
        Assert.Equal(["kept"], reply.Unchanged);
        var stopped = ReceiveN(2).Cast<Terminated>().Select(t => t.ActorRef).ToHashSet();
        Assert.Equal([changed, gone], stopped);
        var status = AwaitStatus(s => s.Devices.Count == 3 && s.Devices.All(d => d.State == DeviceState.Registering));
        Assert.Equal(["added", "changed", "kept"], status.Devices.Select(d => d.Id));

        // The unchanged device is the same actor, with its port opened once and never closed: its session went on.
        Assert.Same(kept, Resolve("device-kept"));
        Assert.Equal(["open"], _ports.Of(_paths["kept"]));
        // The changed one is a new actor that opened its port only after the old one had closed it.
        Assert.NotEqual(changed.Path, Resolve("device-changed-*").Path);
        Assert.Equal(["open", "close", "open"], _ports.Of(_paths["changed"]));
        Assert.Equal(["open", "close"], _ports.Of(_paths["gone"]));
        Assert.Equal(["open"], _ports.Of(_paths["added"]));
    }

    [Fact]
    public void Reload_should_change_nothing_when_nothing_changed()
    {
        var before = new[] { "kept", "changed", "gone" }.Select(n => Resolve($"device-{n}")).ToList();

        var reply = Reload(Settings(("kept", "internet"), ("changed", "internet"), ("gone", "internet")));

        Assert.Empty(reply.Added);
        Assert.Empty(reply.Removed);
        Assert.Empty(reply.Restarted);
        Assert.Equal(["kept", "changed", "gone"], reply.Unchanged);
        Assert.Equal(before, new[] { "kept", "changed", "gone" }.Select(n => Resolve($"device-{n}")));
        Assert.All(_paths.Values.Take(3), p => Assert.Equal(["open"], _ports.Of(p)));
    }

    [Fact]
    public void Reload_should_not_start_a_device_removed_while_its_restart_still_waits()
    {
        var changed = Watch(Resolve("device-changed"));
        using var closing = HoldClose("changed");

        // Two reloads in a row: the second one comes while the changed device's old actor is still closing its port.
        _gateway.Tell(new GatewayProtocol.Reload(Settings(("kept", "internet"), ("changed", "web.provider.example"), ("gone", "internet"))));
        _gateway.Tell(new GatewayProtocol.Reload(Settings(("kept", "internet"), ("gone", "internet"))));
        ExpectMsg<GatewayProtocol.Reloaded>();
        var second = ExpectMsg<GatewayProtocol.Reloaded>();
        closing.Set();
        ExpectTerminated(changed);

        Assert.Equal(["changed"], second.Removed);
        Settle(_gateway);
        var status = AwaitStatus(s => s.Devices.Count == 2);
        Assert.Equal(["gone", "kept"], status.Devices.Select(d => d.Id));
        Settle(_gateway);
        Assert.Equal(["open", "close"], _ports.Of(_paths["changed"]));
    }

    [Fact]
    public void Reload_should_start_a_device_changed_twice_with_its_newest_settings()
    {
        var changed = Watch(Resolve("device-changed"));
        using var closing = HoldClose("changed");

        _gateway.Tell(new GatewayProtocol.Reload(Settings(("kept", "internet"), ("changed", "first.example"), ("gone", "internet"))));
        _gateway.Tell(new GatewayProtocol.Reload(Settings(
            [("kept", "internet", _paths["kept"]), ("changed", "first.example", _paths["added"]), ("gone", "internet", _paths["gone"])])));
        ExpectMsg<GatewayProtocol.Reloaded>();
        var second = ExpectMsg<GatewayProtocol.Reloaded>();
        closing.Set();
        ExpectTerminated(changed);

        // It moved to another port in the second reload: that is the one its new actor opens.
        Assert.Equal(["changed"], second.Restarted);
        var status = AwaitStatus(s => s.Devices.Count == 3 && s.Devices.All(d => d.State == DeviceState.Registering));
        Assert.Equal(_paths["added"], status.Devices.Single(d => d.Id == "changed").Port);
        Assert.Equal(["open", "close"], _ports.Of(_paths["changed"]));
        Assert.Equal(["open"], _ports.Of(_paths["added"]));
    }

    /// <summary>Holds the closing of a device's port (its old actor stays in PostStop) until the gate is set.</summary>
    private ManualResetEventSlim HoldClose(string device)
    {
        var gate = new ManualResetEventSlim();
        _ports.CloseGate = gate;
        _ports.HeldPath = _paths[device];
        return gate;
    }

    private GatewayProtocol.Status AwaitStatus(Func<GatewayProtocol.Status, bool> condition)
    {
        GatewayProtocol.Status? last = null;
        AwaitCondition(() => condition(last = _gateway.Ask<GatewayProtocol.Status>(GatewayProtocol.GetStatus.Instance, AskTimeout).GetAwaiter().GetResult()),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        return last!;
    }

    protected override void AfterAll()
    {
        _sim.Dispose();
        base.AfterAll();
    }
}
