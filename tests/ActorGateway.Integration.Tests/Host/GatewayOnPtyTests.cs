using ActorGateway.Actors.Devices;
using ActorGateway.Linux.Native;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;

namespace ActorGateway.Integration.Tests.Host;

/// <summary>
/// The whole gateway — System.IO.Ports, the actors, real pppd, the control socket — against simulated
/// modems behind real ptys.
/// </summary>
public sealed class GatewayOnPtyTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string devices, string extra = "") => $$"""
        actorgateway {
          control-socket = "{{_dir.File("control.sock")}}"
          state-directory = "{{_dir.File("state")}}"
          runtime-directory = "{{_dir.File("run")}}"
          device-restart { min-backoff = 500ms, max-backoff = 2s }
          defaults {
            modem-control-lines = off
            redial { min-backoff = 1s, max-backoff = 2s }
            timeouts { probe = 300ms, probe-tries = 2, boot = 1s, registration-poll = 200ms }
            {{extra}}
          }
          static-devices = [ {{devices}} ]
        }
        """;

    private static ModemSimulator Nokia(ModemFaults? faults = null) =>
        new(NokiaC2_01.Profile, SimCard.ForProfile(NokiaC2_01.Profile), faults, TimeProvider.System);

    [Fact]
    public async Task Gateway_should_dial_a_simulated_Nokia_and_hand_the_line_to_pppd()
    {
        using var nokia = Nokia();
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        await using var gateway = await RunningGateway.StartAsync(Config(
            $$"""{ id = "nokia", port = "{{ptys.PathOf(nokia.AtPort)}}", profile = "nokia-c2-01", apn = "internet" }"""));

        // Two calls: CONNECT, hand-over to pppd, and pppd's verdict, twice.
        var status = await gateway.WaitForAsync("nokia", s => s.Connects >= 2, Within, "two connects");

        var sent = nokia.CommandLog.Select(e => e.Line).ToList();
        Assert.Equal(["AT", "ATZ", "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0"], sent.Take(3));
        Assert.Contains("AT+CGDCONT=1,\"IP\",\"internet\"", sent);
        Assert.Contains("ATD*99#", sent);
        Assert.Equal("Nokia", status.Manufacturer);
        Assert.Equal("Nokia C2-01", status.Model);
        Assert.Equal("Test Network", status.Operator);
        Assert.NotNull(status.SignalDbm);
        Assert.Contains(gateway.Log.Messages, m => m.Contains("starting /usr/sbin/pppd", StringComparison.Ordinal) && m.Contains("nodetach", StringComparison.Ordinal));

        if (!File.Exists("/dev/ppp"))
        {
            // This kernel has no PPP: pppd exits 4. Said clearly, and once, however often it happens.
            Assert.Contains("no PPP support", status.LastError, StringComparison.Ordinal);
            var said = gateway.Log.Events.Count(e => e.Level == Serilog.Events.LogEventLevel.Error
                && CollectingSink.Render(e).Contains("this kernel has no PPP support", StringComparison.Ordinal));
            Assert.Equal(1, said);
        }
    }

    [Fact]
    public async Task Gateway_should_keep_the_call_up_while_pppd_holds_the_tty_and_redial_when_it_ends()
    {
        using var nokia = Nokia();
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        var release = _dir.File("release");
        var fakePppd = _dir.File("pppd");
        // A stand-in for pppd where the kernel has none: it opens the tty it is given (as pppd does),
        // says what pppd says when IPCP comes up, and holds the line until the test lets it go; then it
        // exits 16 ("the modem hung up"), closing the tty.
        await File.WriteAllTextAsync(fakePppd, $$"""
            #!/bin/sh
            exec 3<>"$1"
            echo "Using interface ppp7" >&2
            echo "local  IP address 10.64.64.2" >&2
            echo "remote IP address 10.64.64.1" >&2
            echo "primary   DNS address 10.64.64.1" >&2
            while [ ! -e "{{release}}" ]; do sleep 0.05; done
            exit 16
            """);
        File.SetUnixFileMode(fakePppd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var gateway = await RunningGateway.StartAsync(Config(
            $$"""{ id = "nokia", port = "{{ptys.PathOf(nokia.AtPort)}}", profile = "nokia-c2-01" }""",
            $$"""ppp { program = "{{fakePppd}}" }"""));

        var online = await gateway.WaitForAsync("nokia", s => s.State == DeviceState.Online && s.LocalAddress is not null, Within, "online");
        Assert.Equal("ppp7", online.Interface);
        Assert.Equal("10.64.64.2", online.LocalAddress);
        Assert.Equal("10.64.64.1", online.RemoteAddress);
        Assert.Equal(["10.64.64.1"], online.Dns);

        // The gateway closed its own handle after pppd opened the tty: the call must still be up (no DTR drop).
        var slave = ptys.SlavePathOf(nokia.AtPort.Name)!;
        Assert.Empty(ProcFs.DescriptorsOn("self", slave));
        Assert.Equal(CallState.Connected, nokia.CallState);

        // pppd ends: its last close of the tty hangs the modem up (&D2), and the gateway dials again.
        File.WriteAllText(release, "go");
        var after = await gateway.WaitForAsync("nokia", s => s.Connects >= 2, Within, "a second call");
        Assert.Contains("the modem hung up", after.LastError ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(2, nokia.CommandLog.Count(e => e.Line == "ATD*99#"));
    }

    [Fact]
    public async Task Gateway_should_send_a_wrong_PIN_once_and_never_again_across_restarts()
    {
        using var huawei = new ModemSimulator(HuaweiE367.Profile, SimCard.ForProfile(HuaweiE367.Profile, pin: "1234", pinEnabled: true),
            timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(huawei, _dir.File("huawei-"));
        var device = $$"""{ id = "dongle", port = "{{ptys.PathOf(huawei.AtPort)}}", profile = "huawei-e367", pin = "9876" }""";

        await using (var gateway = await RunningGateway.StartAsync(Config(device)))
        {
            var halted = await gateway.WaitForAsync("dongle", s => s.State == DeviceState.Halted, Within, "halted");
            Assert.Contains("PIN rejected, 2 tries left", halted.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(gateway.Log.Messages, m => m.Contains("9876", StringComparison.Ordinal));
            Assert.Contains(gateway.Log.Messages, m => m.Contains("AT+CPIN=****", StringComparison.Ordinal));
        }

        Assert.Equal(1, huawei.CommandLog.Count(e => e.Line.StartsWith("AT+CPIN=", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(2, huawei.Sim.PinRetriesLeft);

        // A restart (or a brown-out reboot) must not burn another try.
        await using (var gateway = await RunningGateway.StartAsync(Config(device)))
        {
            var halted = await gateway.WaitForAsync("dongle", s => s.State == DeviceState.Halted, Within, "halted again");
            Assert.Contains("will not be sent again", halted.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(1, huawei.CommandLog.Count(e => e.Line.StartsWith("AT+CPIN=", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(2, huawei.Sim.PinRetriesLeft);

        // A corrected PIN in the configuration is sent, once, and the modem goes on to dial.
        await using (var gateway = await RunningGateway.StartAsync(Config(device.Replace("9876", "1234", StringComparison.Ordinal))))
        {
            await gateway.WaitForAsync("dongle", s => s.Connects >= 1, Within, "a call after the right PIN");
        }

        Assert.Equal(2, huawei.CommandLog.Count(e => e.Line.StartsWith("AT+CPIN=", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(3, huawei.Sim.PinRetriesLeft);
    }

    [Fact]
    public async Task Gateway_should_recover_when_the_modem_vanishes_mid_session_and_comes_back()
    {
        using var nokia = Nokia(new ModemFaults { Registration = RegistrationOutcome.NeverRegisters });
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        await using var gateway = await RunningGateway.StartAsync(Config(
            $$"""{ id = "nokia", port = "{{ptys.PathOf(nokia.AtPort)}}", profile = "nokia-c2-01" }"""));

        await gateway.WaitForAsync("nokia", s => s.State == DeviceState.Registering, Within, "registering");
        var slave = ptys.SlavePathOf(nokia.AtPort.Name)!;

        nokia.Vanish();
        var gone = await gateway.WaitForAsync("nokia", s => s.State == DeviceState.Retrying, Within, "retrying after the modem vanished");
        Assert.NotNull(gone.LastError);
        // The port of the vanished device is closed: nothing left for a stale ttyACM to hang on.
        Assert.Empty(ProcFs.DescriptorsOn("self", slave));

        nokia.Return();
        await gateway.WaitForAsync("nokia", s => s.State == DeviceState.Registering && s.Manufacturer == "Nokia", Within, "registering again");
        Assert.True(nokia.CommandLog.Count(e => e.Line == "ATZ") >= 2);
    }

    [Fact]
    public async Task Gateway_should_reach_CONNECT_through_a_line_full_of_garbage()
    {
        using var huawei = new ModemSimulator(HuaweiE367.Profile, SimCard.ForProfile(HuaweiE367.Profile),
            new ModemFaults { Garbage = new GarbageOptions(Seed: 7, Probability: 0.5) }, TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(huawei, _dir.File("huawei-"));
        await using var gateway = await RunningGateway.StartAsync(Config(
            $$"""{ id = "dongle", port = "{{ptys.PathOf(huawei.AtPort)}}", profile = "huawei-e367" }"""));

        var status = await gateway.WaitForAsync("dongle", s => s.Connects >= 1, Within, "CONNECT");
        Assert.Equal("huawei", status.Manufacturer);
        Assert.Contains(gateway.Log.Messages, m => m.Contains("garbage ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_should_recreate_a_device_whose_modem_never_answers()
    {
        using var nokia = Nokia(new ModemFaults { Silent = true });
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        await using var gateway = await RunningGateway.StartAsync(Config(
            $$"""{ id = "nokia", port = "{{ptys.PathOf(nokia.AtPort)}}", profile = "nokia-c2-01" }"""));

        await gateway.WaitForAsync("nokia", _ => gateway.Log.Messages.Count(m => m.Contains("no answer to AT after", StringComparison.Ordinal)) >= 2,
            Within, "two unanswered probes, the device recreated in between");

        // It answers again: the recreated device carries on by itself.
        nokia.Faults = ModemFaults.None;
        await gateway.WaitForAsync("nokia", s => s.Manufacturer == "Nokia", Within, "identified after the modem woke up");
    }
}
