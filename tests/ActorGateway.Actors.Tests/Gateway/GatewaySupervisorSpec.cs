using ActorGateway.Actors.At;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Core.At;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using Akka.Actor;
using Xunit.Abstractions;
using GatewayProtocol = ActorGateway.Actors.Gateway.Gateway;

namespace ActorGateway.Actors.Tests.Gateway;

public sealed class GatewaySupervisorSpec : VirtualTimeSpec
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private readonly SimulatedModems _sim;
    private readonly ModemSimulator _silent;
    private readonly IActorRef _gateway;

    public GatewaySupervisorSpec(ITestOutputHelper output)
        : base(output)
    {
        _sim = new SimulatedModems(Clock);

        // The phone never registers, so its session keeps the AT line (and `actorgateway at` can use it).
        var (_, nokia) = _sim.Add("nokia", NokiaC2_01.Profile, faults: new ModemFaults { Registration = RegistrationOutcome.NeverRegisters });
        var (_, huawei) = _sim.Add("huawei", HuaweiE367.Profile);
        (_silent, var silent) = _sim.Add("silent", Generic3gppModem.Profile, faults: new ModemFaults { Silent = true });
        var settings = GatewaySettings.Parse($$"""
            actorgateway.static-devices = [
              { id = "nokia", port = "{{nokia}}", profile = "nokia-c2-01", apn = "internet" }
              { id = "huawei", port = "{{huawei}}", profile = "huawei-e367", apn = "internet" }
              { id = "silent", port = "{{silent}}", timeouts { boot = 2s } }
            ]
            """, "spec");
        _gateway = Sys.ActorOf(GatewaySupervisor.Props(settings, _sim.Dependencies), "gateway");
    }

    [Fact]
    public void Gateway_should_answer_status_with_every_device()
    {
        var status = AwaitStatus(s => s.Devices.Single(d => d.Id == "nokia").State == DeviceState.Registering);

        Assert.Equal(["huawei", "nokia", "silent"], status.Devices.Select(d => d.Id));
        Assert.Equal(["/sim/huawei/ttyUSB0", "/sim/nokia/ttyACM0", "/sim/silent/ttyUSB0"], status.Devices.Select(d => d.Port));
        Assert.Equal(Clock.GetUtcNow(), status.At);
        var nokia = status.Devices.Single(d => d.Id == "nokia");
        Assert.Equal("Nokia C2-01", nokia.Model);
    }

    [Fact]
    public async Task Gateway_should_run_an_at_command_on_the_device_it_names()
    {
        AwaitStatus(s => s.Devices.Single(d => d.Id == "nokia").State == DeviceState.Registering);

        var answer = await _gateway.Ask<AtChannel.Response>(
            new GatewayProtocol.SendAt("nokia", new AtCommand("AT+CSQ", TimeSpan.FromSeconds(3))), AskTimeout);

        Assert.Equal(AtOutcome.Ok, answer.Result.Outcome);
        Assert.StartsWith("+CSQ: ", Assert.Single(answer.Result.Lines));
    }

    [Fact]
    public async Task Gateway_should_refuse_an_unknown_device_naming_the_known_ones()
    {
        var command = new AtCommand("AT+CSQ", TimeSpan.FromSeconds(3));

        var answer = await _gateway.Ask<AtChannel.Response>(new GatewayProtocol.SendAt("modem9", command), AskTimeout);

        Assert.Same(command, answer.Command);
        Assert.Equal(AtOutcome.Aborted, answer.Result.Outcome);
        Assert.Contains("no device \"modem9\"", answer.Result.Detail);
        Assert.Contains("nokia", answer.Result.Detail);
        Assert.Contains("huawei", answer.Result.Detail);
    }

    [Fact]
    public async Task Gateway_should_bring_a_dongle_online_beside_a_phone_that_has_no_network()
    {
        var pppd = await _sim.NextPppdHoldingTheLineAsync();
        Assert.Equal("/sim/huawei/ttyUSB0", pppd.Spec.Arguments[0]);
        await pppd.Followed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Settle(await Sys.ActorSelection("/user/gateway/device-huawei/modem/ppp-1").ResolveOne(AskTimeout));
        Advance(TimeSpan.FromMilliseconds(20));

        var status = AwaitStatus(s => s.Devices.Single(d => d.Id == "huawei").State == DeviceState.Online);
        var huawei = status.Devices.Single(d => d.Id == "huawei");
        Assert.Equal("huawei", huawei.Manufacturer);
        Assert.Equal("E367", huawei.Model);
        Assert.Equal(-113 + (2 * HuaweiE367.Profile.Rssi), huawei.SignalDbm);
        AwaitStatus(s => s.Devices.Single(d => d.Id == "nokia").State == DeviceState.Registering); // the phone goes its own way

        // The dongle's line belongs to pppd now: `actorgateway at` is refused, not queued.
        var refused = await _gateway.Ask<AtChannel.Response>(
            new GatewayProtocol.SendAt("huawei", new AtCommand("AT+CSQ", TimeSpan.FromSeconds(3))), AskTimeout);
        Assert.Equal(AtOutcome.Aborted, refused.Result.Outcome);
        Assert.Contains("pppd holds it", refused.Result.Detail);
    }

    [Fact]
    public void Gateway_should_recreate_a_device_whose_modem_never_answers()
    {
        // Virtual time runs until the silent modem's device has given up and its backoff supervisor holds it.
        var restarting = PumpUntil(s => Silent(s).Detail == "the device actor is being recreated");
        Assert.Equal(DeviceState.Retrying, Silent(restarting).State);
        Assert.False(_silent.AtPort.IsOpen); // the failed device's port is closed while it waits
        // Five tries: AT, AT, then the escape sequence and ATH for a modem stuck in data mode, then AT, AT.
        var probes = _silent.CommandLog.Count(c => c.Line == "AT");
        Assert.Equal(4, probes);
        Assert.Equal(1, _silent.CommandLog.Count(c => c.Line.EndsWith("ATH", StringComparison.Ordinal)));

        // After the backoff a new device actor opens the port and probes again.
        PumpUntil(_ => _silent.CommandLog.Count(c => c.Line == "AT") > probes);
        AwaitStatus(s => Silent(s).State == DeviceState.Probing);
        Assert.True(_silent.AtPort.IsOpen);
    }

    private static DeviceStatus Silent(GatewayProtocol.Status status) => status.Devices.Single(d => d.Id == "silent");

    /// <summary>Checks the status, and moves virtual time by 100 ms while it does not hold yet.</summary>
    private GatewayProtocol.Status PumpUntil(Func<GatewayProtocol.Status, bool> condition)
    {
        GatewayProtocol.Status? last = null;
        AwaitCondition(() =>
        {
            if (condition(last = Status()))
            {
                return true;
            }

            Advance(TimeSpan.FromMilliseconds(100));
            return false;
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(5));
        return last!;
    }

    private GatewayProtocol.Status Status() =>
        _gateway.Ask<GatewayProtocol.Status>(GatewayProtocol.GetStatus.Instance, AskTimeout).GetAwaiter().GetResult();

    private GatewayProtocol.Status AwaitStatus(Func<GatewayProtocol.Status, bool> condition)
    {
        GatewayProtocol.Status? last = null;
        AwaitCondition(() => condition(last = Status()), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        return last!;
    }

    protected override void AfterAll()
    {
        _sim.Dispose();
        base.AfterAll();
    }
}
