using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests;

/// <summary>Every injectable fault, at construction and at run time.</summary>
public sealed class ModemSimulatorFaultTests
{
    [Fact]
    public void Silent_device_should_never_answer_but_still_log_what_it_got()
    {
        var modem = new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { Silent = true });

        Assert.Equal("", modem.Send("AT\r"));
        Assert.Equal("", modem.Advance(60));
        Assert.Equal(["AT"], modem.Sim.CommandLog.Select(e => e.Line));

        modem.Sim.Faults = modem.Sim.Faults with { Silent = false };
        Assert.Equal("AT\r\r\nOK\r\n", modem.Send("AT\r"));
    }

    [Fact]
    public void Slow_device_should_echo_at_once_and_answer_after_the_delay()
    {
        var modem = new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { ResponseDelay = TimeSpan.FromSeconds(2) });

        Assert.Equal("AT\r", modem.Send("AT\r"));
        Assert.Equal("", modem.Advance(1.999));
        Assert.Equal("\r\nOK\r\n", modem.Advance(0.001));
    }

    [Fact]
    public void Garbage_should_precede_responses_and_be_the_same_for_the_same_seed()
    {
        var faults = new ModemFaults { Garbage = new GarbageOptions(Seed: 42) };
        var first = new TestModem(NokiaC2_01.Profile, faults: faults);
        var second = new TestModem(NokiaC2_01.Profile, faults: faults);
        first.Send("ATE0\r");
        second.Send("ATE0\r");

        var a = first.Send("AT\r");
        var b = second.Send("AT\r");

        Assert.Equal(a, b);
        Assert.EndsWith("\r\nOK\r\n", a);
        Assert.True(a.Length > "\r\nOK\r\n".Length);
        Assert.DoesNotContain('\n', a[..^"\r\nOK\r\n".Length]);
    }

    [Fact]
    public void Garbage_should_include_NUL_runs()
    {
        var modem = new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { Garbage = new GarbageOptions(Seed: 7, MaxNulRun: 8) });

        var output = string.Concat(Enumerable.Range(0, 20).Select(_ => modem.Send("AT\r")));

        Assert.Contains("\0\0", output);
    }

    [Fact]
    public void Failed_dials_should_be_used_up_in_order_then_connect()
    {
        var modem = new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { DialFailures = [DialOutcome.NoAnswer, DialOutcome.NoDialtone] });
        modem.Send("ATE0\r");
        modem.Registered();
        modem.Sim.FailNextDials(DialOutcome.Busy);

        string Dial()
        {
            modem.Send("ATD*99#\r");
            return modem.Advance(NokiaC2_01.Profile.ConnectDelay);
        }

        Assert.Equal([DialOutcome.NoAnswer, DialOutcome.NoDialtone, DialOutcome.Busy], modem.Sim.Faults.DialFailures);
        Assert.Equal("\r\nNO ANSWER\r\n", Dial());
        Assert.Equal("\r\nNO DIALTONE\r\n", Dial());
        Assert.Equal("\r\nBUSY\r\n", Dial());
        Assert.Equal("\r\nCONNECT\r\n", Dial());
    }

    [Fact]
    public void Vanish_should_fail_reads_writes_and_opens_until_return()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        var presence = new List<bool>();
        modem.Sim.PresenceChanged += s => presence.Add(s.IsPresent);

        modem.Sim.Vanish();

        Assert.Throws<IOException>(() => modem.Port.Receive("AT\r"));
        Assert.Throws<IOException>(() => modem.Port.Open());
        modem.Sim.Return();
        Assert.Equal([false, true], presence);
        Assert.Equal(2, modem.Sim.Incarnation);
        modem.Reopen();
        Assert.Equal("AT\r\r\nOK\r\n", modem.Send("AT\r"));
    }

    [Fact]
    public void Return_should_restore_factory_state_like_a_power_cycle()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0+CREG=1;+CGDCONT=1,\"IP\",\"internet\"\r");
        modem.Registered().Connected();

        modem.Sim.Vanish();
        modem.Sim.Return();
        modem.Reopen();

        Assert.Equal(CallState.Idle, modem.Sim.CallState);
        Assert.Empty(modem.Sim.PdpContexts);
        Assert.Equal("AT+CREG?\r\r\n+CREG: 0,2\r\n\r\nOK\r\n", modem.Send("AT+CREG?\r"));
    }

    [Fact]
    public void Vanish_on_command_should_drop_the_device_mid_command_without_an_answer()
    {
        var modem = new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { VanishOnCommand = "+CGDCONT" });

        modem.Send("AT+CGDCONT=1,\"IP\",\"internet\"\r");

        Assert.False(modem.Sim.IsPresent);
        Assert.Equal("", modem.Port.ReadAllText());
        Assert.Equal("AT+CGDCONT=1,\"IP\",\"internet\"", modem.Sim.CommandLog.Last().Line);
    }

    [Fact]
    public void Brownout_should_bring_the_device_back_after_the_outage()
    {
        var modem = new TestModem(NokiaC2_01.Profile);

        modem.Sim.Brownout(TimeSpan.FromSeconds(3));
        modem.Advance(2.9);
        Assert.False(modem.Sim.IsPresent);
        modem.Advance(0.1);

        Assert.True(modem.Sim.IsPresent);
    }

    [Fact]
    public void CFUN_reset_should_answer_OK_then_vanish_and_return()
    {
        var modem = new TestModem(Generic3gppModem.Profile);
        modem.Send("ATE0\r");

        Assert.Equal("\r\nOK\r\n", modem.Send("AT+CFUN=1,1\r"));
        Assert.True(modem.Sim.IsPresent);
        modem.Advance(Generic3gppModem.Profile.ResetDelay);
        Assert.False(modem.Sim.IsPresent);
        modem.Advance(Generic3gppModem.Profile.ResetOutage);
        Assert.True(modem.Sim.IsPresent);
        modem.Reopen();
        Assert.Equal("AT\r\r\nOK\r\n", modem.Send("AT\r"));
    }

    [Fact]
    public void Output_should_be_dropped_while_nobody_has_the_port_open()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Port.Close(modem.Incarnation);

        modem.Port.Receive("AT\r");
        modem.Sim.Ring();
        modem.Reopen();

        Assert.Equal("", modem.Port.ReadAllText());
    }
}
