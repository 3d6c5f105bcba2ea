using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests.Profiles;

public sealed class HuaweiE367Tests
{
    [Fact]
    public void Wvdial_conversation_should_show_the_truncated_init_echo_from_the_seed()
    {
        var modem = new TestModem(HuaweiE367.Profile);

        Assert.Equal("ATZ\r\r\nOK\r\n", modem.Send("ATZ\r"));
        Assert.Equal("ATQ0 V1 E1 S0=0 &C1 &D2 +F\r\r\nOK\r\n", modem.Send("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\r"));
        Assert.Equal("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", modem.Sim.CommandLog[^1].Line);
        modem.Registered();
        Assert.Equal("ATDT*99#\r", modem.Send("ATDT*99#\r"));
        Assert.Equal("\r\nCONNECT\r\n", modem.Advance(HuaweiE367.Profile.ConnectDelay));
    }

    [Fact]
    public void Only_the_AT_port_should_answer_the_others_are_silent_or_spew_binary()
    {
        var sim = new ModemSimulator(HuaweiE367.Profile, timeProvider: new ManualTimeProvider());
        var clock = (ManualTimeProvider)sim.TimeProvider;
        foreach (var port in sim.Ports)
        {
            port.Open();
            port.Receive("AT\r");
        }

        clock.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(["ttyUSB0", "ttyUSB1", "ttyUSB2"], sim.Ports.Select(p => p.Name));
        Assert.StartsWith("AT\r\r\nOK\r\n", sim.GetPort("ttyUSB0").ReadAllText());
        var diag = sim.GetPort("ttyUSB1").ReadAllText();
        Assert.NotEmpty(diag);
        Assert.EndsWith("\u007e", diag);
        Assert.DoesNotContain("OK", diag);
        Assert.Equal("", sim.GetPort("ttyUSB2").ReadAllText());
    }

    [Fact]
    public void AT_port_index_should_be_configurable()
    {
        var sim = new ModemSimulator(HuaweiE367.Create(atPortIndex: 2), timeProvider: new ManualTimeProvider());

        Assert.Equal("ttyUSB2", sim.AtPort.Name);
        Assert.Equal([PortRole.Diagnostic, PortRole.Silent, PortRole.At], sim.Ports.Select(p => p.Role));
    }

    [Fact]
    public void Boot_and_registration_should_emit_Huawei_reports_in_ModemManager_formats()
    {
        var modem = new TestModem(HuaweiE367.Profile);

        Assert.Equal("\r\n^SIMST:1\r\n\r\n^BOOT:20952617,0,0,0,75\r\n", modem.Advance(HuaweiE367.Profile.BootDelay));
        Assert.Equal("\r\n^MODE:5,7\r\n\r\n^RSSI:21\r\n", modem.Advance(HuaweiE367.Profile.RegistrationDelay - HuaweiE367.Profile.BootDelay));
        Assert.Equal("\r\n^RSSI:21\r\n", modem.Advance(10));
        modem.Sim.SetSignalQuality(9);
        Assert.Equal("\r\n^RSSI:9\r\n", modem.Port.ReadAllText());
    }

    [Fact]
    public void CURC_0_should_silence_the_periodic_reports()
    {
        var modem = new TestModem(HuaweiE367.Profile);
        modem.Send("ATE0^CURC=0\r");

        Assert.Equal("", modem.Advance(60));
        Assert.Equal("\r\n^CURC: 0\r\n\r\nOK\r\n", modem.Send("AT^CURC?\r"));
    }

    [Fact]
    public void DSFLOWRPT_should_report_the_call_while_the_line_is_in_online_command_state()
    {
        var modem = new TestModem(HuaweiE367.Profile);
        modem.Send("ATE0\r");
        modem.Registered().Connected();
        modem.Port.Receive(new byte[100]);

        Assert.Equal("", modem.Advance(1));
        modem.Send("+++");
        modem.Advance(1);
        // 100 bytes of payload plus the three '+' of the escape, which went out as data.
        Assert.Equal(
            "\r\n^DSFLOWRPT:00000004,00000000,00000000,0000000000000067,0000000000000000,0003E800,0003E800\r\n",
            modem.Advance(2));
    }

    [Fact]
    public void SYSINFO_should_describe_service_and_SIM()
    {
        var modem = new TestModem(HuaweiE367.Profile);
        modem.Send("ATE0\r");

        Assert.Equal("\r\n^SYSINFO:0,0,0,0,1\r\n\r\nOK\r\n", modem.Send("AT^SYSINFO\r"));
        modem.Registered();
        Assert.Equal("\r\n^SYSINFO:2,3,0,5,1,,7\r\n\r\nOK\r\n", modem.Send("AT^SYSINFO\r"));
    }

    [Fact]
    public void Removing_the_SIM_should_emit_SIMST_255()
    {
        var modem = new TestModem(HuaweiE367.Profile);
        modem.Advance(5);

        modem.Sim.Faults = modem.Sim.Faults with { SimAbsent = true };

        Assert.StartsWith("\r\n^SIMST:255\r\n", modem.Port.ReadAllText());
    }
}
