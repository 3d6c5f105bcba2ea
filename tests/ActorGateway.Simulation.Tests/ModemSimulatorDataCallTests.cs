using System.Text;
using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests;

/// <summary>Dialling (V.250 §6.3.1, 27.007 §10.2.1.1), online data, the +++ escape, ATH/ATO and DTR.</summary>
public sealed class ModemSimulatorDataCallTests
{
    private static TestModem Ready(ModemProfile profile, ModemFaults? faults = null)
    {
        var modem = new TestModem(profile, faults: faults);
        modem.Send("ATE0\r");
        return modem.Registered();
    }

    [Theory]
    [InlineData("ATD*99#")]
    [InlineData("ATD*99***1#")]
    [InlineData("ATDT*99#")]
    public void Dial_should_connect_after_the_profile_delay(string dial)
    {
        var modem = Ready(Generic3gppModem.Profile);

        Assert.Equal("", modem.Send(dial + "\r"));
        Assert.Equal("\r\nCONNECT 150000000\r\n", modem.Advance(Generic3gppModem.Profile.ConnectDelay));
        Assert.Equal(CallState.Connected, modem.Sim.CallState);
    }

    [Fact]
    public void Online_data_should_record_host_bytes_and_deliver_injected_frames()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();
        byte[] lcp = [0x7E, 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x04, 0x7E];

        modem.Port.Receive(lcp);
        Assert.True(modem.Port.InjectData(lcp));

        Assert.Equal(lcp, modem.Port.DataFromHost);
        Assert.Equal(lcp.Length, modem.Port.DataBytesFromHost);
        Assert.Equal(Encoding.Latin1.GetString(lcp), modem.Port.ReadAllText());
        Assert.DoesNotContain(modem.Sim.CommandLog, e => e.Line.Contains('~'));
    }

    [Fact]
    public void Escape_with_guard_times_should_enter_online_command_state_and_ATO_return()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();

        modem.Advance(1);
        Assert.Equal("", modem.Send("+++"));
        Assert.Equal("", modem.Advance(TimeSpan.FromMilliseconds(999)));
        Assert.Equal("\r\nOK\r\n", modem.Advance(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(PortMode.OnlineCommand, modem.Port.Mode);
        Assert.Equal(CallState.Connected, modem.Sim.CallState);

        Assert.Equal("\r\n+CSQ: 18,99\r\n\r\nOK\r\n", modem.Send("AT+CSQ\r"));
        Assert.Equal("\r\nCONNECT\r\n", modem.Send("ATO\r"));
        Assert.Equal(PortMode.OnlineData, modem.Port.Mode);
    }

    [Fact]
    public void Plus_signs_without_the_leading_guard_time_should_stay_data()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();

        modem.Advance(TimeSpan.FromMilliseconds(500));
        modem.Send("+++");
        modem.Advance(2);

        Assert.Equal(PortMode.OnlineData, modem.Port.Mode);
        Assert.Equal("+++"u8.ToArray(), modem.Port.DataFromHost);
    }

    [Fact]
    public void Data_after_the_third_plus_within_the_guard_time_should_cancel_the_escape()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();

        modem.Advance(1);
        modem.Send("+++");
        modem.Advance(TimeSpan.FromMilliseconds(500));
        modem.Send("x");
        modem.Advance(2);

        Assert.Equal(PortMode.OnlineData, modem.Port.Mode);
    }

    [Fact]
    public void ATH_in_online_command_state_should_hang_up()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();
        modem.Advance(1);
        modem.Send("+++");
        modem.Advance(1);

        Assert.Equal("\r\nOK\r\n", modem.Send("ATH\r"));

        Assert.Equal(CallState.Idle, modem.Sim.CallState);
        Assert.Equal(PortMode.Command, modem.Port.Mode);
        Assert.False(modem.Port.CarrierDetect);
        Assert.Equal("\r\nNO CARRIER\r\n", modem.Send("ATO\r"));
    }

    [Fact]
    public void Closing_the_port_with_AND_D2_should_hang_up()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();

        modem.Port.Close(modem.Incarnation);

        Assert.Equal(CallState.Idle, modem.Sim.CallState);
        Assert.False(modem.Port.Dtr);
    }

    [Fact]
    public void DTR_drop_with_AND_D0_should_keep_the_call_and_AND_D1_should_escape()
    {
        var modem = new TestModem(NokiaC2_01.Profile);
        modem.Send("ATE0&D0\r");
        modem.Registered().Connected();

        modem.Port.SetDtr(false);
        Assert.Equal(CallState.Connected, modem.Sim.CallState);
        Assert.Equal(PortMode.OnlineData, modem.Port.Mode);

        modem.Port.SetDtr(true);
        modem.Advance(1);
        modem.Send("+++");
        modem.Advance(1);
        modem.Send("AT&D1O\r");
        modem.Port.SetDtr(false);
        Assert.Equal(PortMode.OnlineCommand, modem.Port.Mode);
        Assert.EndsWith("\r\nOK\r\n", modem.Port.ReadAllText());
    }

    [Fact]
    public void A_handover_should_keep_DTR_up_until_the_last_close()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();

        var pppd = modem.Port.Open();
        modem.Port.Close(modem.Incarnation);
        Assert.Equal(CallState.Connected, modem.Sim.CallState);

        modem.Port.Close(pppd);
        Assert.Equal(CallState.Idle, modem.Sim.CallState);
    }

    [Fact]
    public void Carrier_drop_should_send_NO_CARRIER_and_return_to_command_state()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();

        modem.Sim.DropCarrier();

        Assert.Equal("\r\nNO CARRIER\r\n", modem.Port.ReadAllText());
        Assert.Equal(PortMode.Command, modem.Port.Mode);
        Assert.Equal("\r\nOK\r\n", modem.Send("AT\r"));
    }

    [Fact]
    public void URCs_during_online_data_should_be_held_until_command_state()
    {
        var modem = Ready(NokiaC2_01.Profile).Connected();

        modem.Sim.Ring();
        Assert.Equal("", modem.Port.ReadAllText());
        modem.Advance(1);
        modem.Send("+++");

        Assert.Equal("\r\nOK\r\n\r\nRING\r\n", modem.Advance(1));
    }

    [Fact]
    public void A_character_while_dialling_should_abort_with_NO_CARRIER()
    {
        var modem = Ready(NokiaC2_01.Profile);
        modem.Send("ATD*99#\r");

        Assert.Equal("\r\nNO CARRIER\r\n", modem.Send("x"));
        Assert.Equal(CallState.Idle, modem.Sim.CallState);
        Assert.Equal("", modem.Advance(5));
    }

    [Fact]
    public void Dialling_without_registration_should_fail_as_the_device_does()
    {
        var phone = new TestModem(NokiaC2_01.Profile);
        var module = new TestModem(Generic3gppModem.Profile);
        phone.Send("ATE0\r");
        module.Send("ATE0+CMEE=1\r");

        phone.Send("ATD*99#\r");
        Assert.Equal("\r\nNO CARRIER\r\n", phone.Advance(NokiaC2_01.Profile.ConnectDelay));
        Assert.Equal("\r\n+CME ERROR: 30\r\n", module.Send("ATD*99#\r"));
    }

    [Fact]
    public void Voice_and_circuit_switched_dials_should_not_connect()
    {
        var modem = Ready(NokiaC2_01.Profile);

        Assert.Equal("\r\nERROR\r\n", modem.Send("ATD123456;\r"));
        modem.Send("ATD123456\r");
        Assert.Equal("\r\nNO CARRIER\r\n", modem.Advance(NokiaC2_01.Profile.ConnectDelay));
    }

    [Fact]
    public void Numeric_mode_should_give_CONNECT_as_1()
    {
        var modem = Ready(NokiaC2_01.Profile);
        modem.Send("ATV0\r");

        modem.Send("ATD*99#\r");

        Assert.Equal("1\r", modem.Advance(NokiaC2_01.Profile.ConnectDelay));
    }
}
