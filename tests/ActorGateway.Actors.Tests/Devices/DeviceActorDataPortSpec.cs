using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;
using ModemProfile = ActorGateway.Core.Modem.ModemProfile;

namespace ActorGateway.Actors.Tests.Devices;

/// <summary>A modem with a separate data port: the call on one tty, the AT conversation on the other.</summary>
public sealed class DeviceActorDataPortSpec : VirtualTimeSpec
{
    private static readonly TimeSpan HoldPoll = TimeSpan.FromMilliseconds(20);
    private readonly SimulatedModems _sim;
    private readonly TestProbe _parent;

    public DeviceActorDataPortSpec(ITestOutputHelper output)
        : base(output)
    {
        _sim = new SimulatedModems(Clock);
        _parent = CreateTestProbe("parent");
    }

    [Fact]
    public async Task Device_should_dial_and_hand_over_on_the_data_port_and_keep_the_AT_port_open_during_the_call()
    {
        var (huawei, _) = _sim.Add("e367", HuaweiE367.NewMode);
        var device = new StaticDevice("e367", "/sim/e367/ttyUSB2", new ModemProfile { Apn = "internet" }) { DataPort = "/sim/e367/ttyUSB0" };
        Sys.ActorOf(ForwardingParent.Props(DeviceActor.Props(device, _sim.Dependencies), _parent.Ref, "device"));
        var actor = _parent.ExpectMsg<ChildStarted>().Child;

        var pppd = await _sim.NextPppdHoldingTheLineAsync();
        Assert.Equal("/sim/e367/ttyUSB0", pppd.Spec.Arguments[0]);
        await pppd.Followed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Settle(await Sys.ActorSelection(actor.Path / "ppp-1").ResolveOne(TimeSpan.FromSeconds(3)));
        Advance(HoldPoll);
        var online = AwaitStatus(actor, s => s.State == DeviceState.Online);

        Assert.Equal("/sim/e367/ttyUSB0", online.DataPort);
        Assert.Equal(CallState.Connected, huawei.CallState);
        // The data port got AT and the init strings of its own (V.250 settings are per port), then the dial.
        var onData = huawei.CommandLog.Where(c => c.Port == "ttyUSB0").Select(c => c.Line).ToList();
        Assert.Equal(["AT", "ATZ", "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", "ATD*99#"], onData);
        Assert.DoesNotContain(huawei.CommandLog, c => c.Port == "ttyUSB2" && c.Line.StartsWith("ATD", StringComparison.Ordinal));
        Assert.True(huawei.GetPort("ttyUSB2").IsOpen); // the AT conversation stays, for status and `actorgateway at`

        // pppd ends the call: the session ends and both ports are closed before the next one.
        pppd.Exit(5);
        AwaitStatus(actor, s => s.State == DeviceState.Retrying);
        AwaitAssert(() => Assert.False(huawei.GetPort("ttyUSB2").IsOpen));
    }

    private static DeviceStatus Status(IActorRef device) =>
        device.Ask<DeviceStatus>(Device.GetStatus.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    private DeviceStatus AwaitStatus(IActorRef device, Func<DeviceStatus, bool> condition)
    {
        DeviceStatus? last = null;
        AwaitCondition(() => condition(last = Status(device)), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20),
            $"device never reached the expected state; last {last}");
        return last!;
    }

    protected override void AfterAll()
    {
        _sim.Dispose();
        base.AfterAll();
    }
}
