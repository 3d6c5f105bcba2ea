using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests;

/// <summary>V.250 line discipline: echo, result code formats, command lines.</summary>
public sealed class ModemSimulatorCommandLineTests
{
    [Fact]
    public void AT_should_echo_the_line_then_answer_OK_in_verbose_framing()
    {
        var modem = new TestModem(NokiaC2_01.Profile);

        Assert.Equal("AT\r\r\nOK\r\n", modem.Send("AT\r"));
        Assert.Equal("at\r\r\nOK\r\n", modem.Send("at\r"));
    }

    [Fact]
    public void E0_should_stop_the_echo_from_the_next_line_on()
    {
        var modem = new TestModem(NokiaC2_01.Profile);

        Assert.Equal("ATE0\r\r\nOK\r\n", modem.Send("ATE0\r"));
        Assert.Equal("\r\nOK\r\n", modem.Send("AT\r"));
        Assert.Equal("\r\nOK\r\n", modem.Send("ATE1\r"));
        Assert.Equal("AT\r\r\nOK\r\n", modem.Send("AT\r"));
    }

    [Fact]
    public void V0_should_switch_to_numeric_result_codes_and_bare_information_text()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0V0\r");

        Assert.Equal("0\r", modem.Send("AT\r"));
        Assert.Equal("Nokia\r\n0\r", modem.Send("AT+CGMI\r"));
        Assert.Equal("4\r", modem.Send("AT+NOPE\r"));
    }

    [Fact]
    public void Q1_should_suppress_result_codes_but_not_information_text()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0Q1\r");

        Assert.Equal("", modem.Send("AT\r"));
        Assert.Equal("\r\nNokia\r\n", modem.Send("AT+CGMI\r"));
    }

    [Fact]
    public void A_command_line_should_run_its_commands_in_order_and_stop_at_the_first_error()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0\r");

        Assert.Equal("\r\nNokia\r\n\r\nNokia C2-01\r\n\r\nOK\r\n", modem.Send("AT+CGMI;+CGMM\r"));
        Assert.Equal("\r\nNokia\r\n\r\nERROR\r\n", modem.Send("AT+CGMI;+BOGUS;+CGMM\r"));
    }

    [Fact]
    public void Seed_init_line_should_answer_OK_and_apply_every_setting()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0V0\r");

        // Typed while E0 was in force, so not echoed; the answer already uses V1.
        Assert.Equal("\r\nOK\r\n", modem.Send("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\r"));
        Assert.Equal("ATS0?\r\r\n000\r\n\r\nOK\r\n", modem.Send("ATS0?\r"));
    }

    [Fact]
    public void ATZ_should_restore_echo_and_verbose_results()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0 V0 +CMEE=2\r");

        Assert.Equal("\r\nOK\r\n", modem.Send("ATZ\r"));
        Assert.Equal("AT+CMEE?\r\r\n+CMEE: 0\r\n\r\nOK\r\n", modem.Send("AT+CMEE?\r"));
    }

    [Fact]
    public void Nokia_should_replay_the_seed_wvdial_conversation()
    {
        var modem = new TestModem(NokiaC2_01.Profile);

        Assert.Equal("ATZ\r\r\nOK\r\n", modem.Send("ATZ\r"));
        Assert.Equal("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\r\r\nOK\r\n", modem.Send("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\r"));
        modem.Registered();
        Assert.Equal("ATDT*99#\r", modem.Send("ATDT*99#\r"));
        Assert.Equal(CallState.Dialing, modem.Sim.CallState);
        Assert.Equal("\r\nCONNECT\r\n", modem.Advance(NokiaC2_01.Profile.ConnectDelay));
        Assert.Equal(PortMode.OnlineData, modem.Port.Mode);
        Assert.True(modem.Port.CarrierDetect);
    }

    [Fact]
    public void Characters_before_AT_should_be_ignored_and_a_line_without_AT_gets_no_answer()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0\r");

        Assert.Equal("\r\nOK\r\n", modem.Send("\nxyzAT\r"));
        Assert.Equal("", modem.Send("hello\r"));
    }

    [Fact]
    public void Backspace_should_edit_the_line_and_A_slash_should_repeat_it()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0\r");

        Assert.Equal("\r\nNokia\r\n\r\nOK\r\n", modem.Send("AT+CGMX\bI\r"));
        Assert.Equal("\r\nNokia\r\n\r\nOK\r\n", modem.Send("A/"));
    }

    [Fact]
    public void S_registers_should_read_as_three_digits_and_keep_what_was_set()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0\r");

        Assert.Equal("\r\n050\r\n\r\nOK\r\n", modem.Send("ATS12?\r"));
        Assert.Equal("\r\nOK\r\n", modem.Send("ATS12=25\r"));
        Assert.Equal("\r\n025\r\n\r\nOK\r\n", modem.Send("ATS12?\r"));
    }

    [Fact]
    public void Unknown_commands_should_answer_as_each_device_does()
    {
        var nokia = new TestModem(NokiaC2_01.Profile);
        var generic = new TestModem(Generic3gppModem.Profile);
        var huawei = new TestModem(HuaweiE367.Profile);
        foreach (var m in new[] { nokia, generic, huawei })
        {
            m.Send("ATE0+CMEE=1\r");
        }

        Assert.Equal("\r\nERROR\r\n", nokia.Send("AT^ICCID?\r"));
        Assert.Equal("\r\n+CME ERROR: 4\r\n", generic.Send("AT^ICCID?\r"));
        Assert.Equal("\r\nCOMMAND NOT SUPPORT\r\n", huawei.Send("AT+CCID\r"));
        Assert.Equal("\r\nERROR\r\n", generic.Send("ATY\r"));
    }

    [Fact]
    public void Identity_commands_should_report_the_profile()
    {
        var modem = new TestModem(HuaweiE367.Profile);
        modem.Send("ATE0\r");

        Assert.Equal("\r\nhuawei\r\n\r\nE367\r\n\r\n21.157.01.00.00\r\n\r\n861234027654329\r\n\r\nOK\r\n", modem.Send("AT+CGMI;+CGMM;+CGMR;+CGSN\r"));
        Assert.Equal(
            "\r\nManufacturer: huawei\r\nModel: E367\r\nRevision: 21.157.01.00.00\r\nIMEI: 861234027654329\r\n+GCAP: +CGSM,+DS,+ES\r\n\r\nOK\r\n",
            modem.Send("ATI\r"));
    }

    [Fact]
    public void Typed_ahead_lines_should_be_answered_in_order_after_a_slow_response()
    {
        var modem = new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { ResponseDelay = TimeSpan.FromSeconds(1) });

        Assert.Equal("ATE0\r", modem.Send("ATE0\rAT+CGMI\r"));
        Assert.Equal("\r\nOK\r\n", modem.Advance(1));
        Assert.Equal("\r\nNokia\r\n\r\nOK\r\n", modem.Advance(1));
    }

    [Fact]
    public void Command_log_should_record_every_line_with_the_clock_time()
    {
        var modem = new TestModem(HuaweiE367.Profile);
        var start = modem.Clock.GetUtcNow();

        modem.Send("ATZ\r");
        modem.Advance(2);
        modem.Sim.GetPort("ttyUSB2").Receive("AT\r");

        Assert.Equal(
            [new CommandLogEntry(start, "ttyUSB0", "ATZ"), new CommandLogEntry(start + TimeSpan.FromSeconds(2), "ttyUSB2", "AT")],
            modem.Sim.CommandLog);
    }
}
