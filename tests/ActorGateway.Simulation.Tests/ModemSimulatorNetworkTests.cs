using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests;

/// <summary>Registration, signal and operator per 27.007 §7.2, §7.3, §8.5, §10.1.20, §10.1.22.</summary>
public sealed class ModemSimulatorNetworkTests
{
    private static TestModem Quiet(ModemProfile profile, ModemFaults? faults = null)
    {
        var modem = new TestModem(profile, faults: faults);
        modem.Send("ATE0+CMEE=1\r");
        return modem;
    }

    [Fact]
    public void Registration_should_complete_after_the_profile_delay_with_a_URC_when_enabled()
    {
        var modem = Quiet(NokiaC2_01.Profile);
        modem.Send("AT+CREG=1;+CGREG=1\r");

        Assert.Equal("\r\n+CREG: 1,2\r\n\r\nOK\r\n", modem.Send("AT+CREG?\r"));
        Assert.Equal("\r\n+CSQ: 99,99\r\n\r\nOK\r\n", modem.Send("AT+CSQ\r"));
        Assert.Equal("", modem.Advance(NokiaC2_01.Profile.RegistrationDelay - TimeSpan.FromMilliseconds(1)));
        Assert.Equal("\r\n+CREG: 1\r\n\r\n+CGREG: 1\r\n", modem.Advance(TimeSpan.FromMilliseconds(1)));
        Assert.Equal("\r\n+CSQ: 18,99\r\n\r\nOK\r\n", modem.Send("AT+CSQ\r"));
    }

    [Fact]
    public void CREG_2_should_add_location_and_access_technology_once_registered()
    {
        var modem = Quiet(NokiaC2_01.Profile).Registered();

        modem.Send("AT+CREG=2\r");

        Assert.Equal("\r\n+CREG: 2,1,\"00C1\",\"0012D687\",2\r\n\r\nOK\r\n", modem.Send("AT+CREG?\r"));
    }

    [Fact]
    public void CEREG_should_exist_only_on_the_LTE_modem()
    {
        var lte = Quiet(Generic3gppModem.Profile);
        var phone = Quiet(NokiaC2_01.Profile);
        lte.Send("AT+CEREG=2\r");

        Assert.Equal("\r\n+CEREG: 1,\"00C1\",\"0012D687\",7\r\n", lte.Advance(Generic3gppModem.Profile.RegistrationDelay));
        Assert.Equal("\r\n+CEREG: 2,1,\"00C1\",\"0012D687\",7\r\n\r\nOK\r\n", lte.Send("AT+CEREG?\r"));
        Assert.Equal("\r\nERROR\r\n", phone.Send("AT+CEREG?\r"));
    }

    [Fact]
    public void Denied_registration_should_end_in_stat_3()
    {
        var modem = Quiet(NokiaC2_01.Profile, new ModemFaults { Registration = RegistrationOutcome.Denied });
        modem.Send("AT+CREG=1\r");

        Assert.Equal("\r\n+CREG: 3\r\n", modem.Advance(NokiaC2_01.Profile.RegistrationDelay));
        Assert.Equal(RegistrationStatus.Denied, modem.Sim.Registration);
    }

    [Fact]
    public void Never_registering_should_keep_searching()
    {
        var modem = Quiet(NokiaC2_01.Profile, new ModemFaults { Registration = RegistrationOutcome.NeverRegisters });

        modem.Advance(TimeSpan.FromHours(1));

        Assert.Equal("\r\n+CREG: 0,2\r\n\r\nOK\r\n", modem.Send("AT+CREG?\r"));
    }

    [Fact]
    public void Losing_registration_at_run_time_should_report_it_and_drop_the_call()
    {
        var modem = Quiet(NokiaC2_01.Profile).Registered();
        modem.Send("AT+CREG=1\r");
        modem.Connected();

        modem.Sim.Faults = modem.Sim.Faults with { Registration = RegistrationOutcome.NeverRegisters };

        Assert.Equal("\r\nNO CARRIER\r\n\r\n+CREG: 2\r\n", modem.Port.ReadAllText());
        Assert.Equal(CallState.Idle, modem.Sim.CallState);
    }

    [Fact]
    public void COPS_should_name_the_operator_in_the_format_set_with_mode_3()
    {
        var modem = Quiet(NokiaC2_01.Profile);
        Assert.Equal("\r\n+COPS: 0\r\n\r\nOK\r\n", modem.Send("AT+COPS?\r"));
        modem.Registered();

        Assert.Equal("\r\n+COPS: 0,0,\"Test Network\",2\r\n\r\nOK\r\n", modem.Send("AT+COPS?\r"));
        Assert.Equal("\r\nOK\r\n", modem.Send("AT+COPS=3,2\r"));
        Assert.Equal("\r\n+COPS: 0,2,\"00101\",2\r\n\r\nOK\r\n", modem.Send("AT+COPS?\r"));
    }

    [Fact]
    public void CFUN_0_should_deregister_and_CFUN_1_register_again()
    {
        var modem = Quiet(Generic3gppModem.Profile).Registered();

        modem.Send("AT+CFUN=0\r");
        Assert.Equal("\r\n+CFUN: 0\r\n\r\nOK\r\n", modem.Send("AT+CFUN?\r"));
        Assert.Equal(RegistrationStatus.NotSearching, modem.Sim.Registration);
        modem.Send("AT+CFUN=1\r");
        modem.Registered();
    }

    [Fact]
    public void URC_should_come_between_information_text_and_final_result_when_scheduled_there()
    {
        var modem = Quiet(NokiaC2_01.Profile);

        modem.Sim.InjectUrcBeforeNextFinalResult("RING");

        Assert.Equal("\r\nNokia\r\n\r\nRING\r\n\r\nOK\r\n", modem.Send("AT+CGMI\r"));
    }

    [Fact]
    public void URC_falling_due_while_a_response_is_split_should_land_in_its_middle()
    {
        var modem = Quiet(NokiaC2_01.Profile);
        modem.Send("AT+CREG=1\r");
        modem.Advance(1.5);
        modem.Sim.Faults = modem.Sim.Faults with { FinalResultDelay = TimeSpan.FromSeconds(1) };

        // Registration completes at 2 s, while the +CGMM answer waits for its OK until 2.5 s.
        Assert.Equal("\r\nNokia C2-01\r\n", modem.Send("AT+CGMM\r"));
        Assert.Equal("\r\n+CREG: 1\r\n\r\nOK\r\n", modem.Advance(1));
    }

    [Fact]
    public void CGDCONT_should_store_list_and_delete_contexts()
    {
        var modem = Quiet(NokiaC2_01.Profile);

        modem.Send("AT+CGDCONT=1,\"IP\",\"internet\"\r");
        modem.Send("AT+CGDCONT=2,\"IPV4V6\",\"ims\"\r");
        Assert.Equal(
            "\r\n+CGDCONT: 1,\"IP\",\"internet\",\"\",0,0\r\n+CGDCONT: 2,\"IPV4V6\",\"ims\",\"\",0,0\r\n\r\nOK\r\n",
            modem.Send("AT+CGDCONT?\r"));
        modem.Send("AT+CGDCONT=2\r");
        Assert.Equal([new PdpContext(1, "IP", "internet")], modem.Sim.PdpContexts);
        Assert.Equal("\r\nERROR\r\n", modem.Send("AT+CGDCONT=99,\"IP\",\"x\"\r"));
    }
}
