using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests;

/// <summary>SIM behaviour per 27.007 §8.3, §8.18, §8.65, §7.4 and Huawei's ^CPIN/^ICCID.</summary>
public sealed class ModemSimulatorSimTests
{
    private static TestModem PinLocked(ModemProfile profile) =>
        Quiet(new TestModem(profile, SimCard.ForProfile(profile, pin: "0000", pinEnabled: true)));

    private static TestModem Quiet(TestModem modem)
    {
        modem.Send("ATE0+CMEE=1\r");
        return modem;
    }

    [Fact]
    public void CPIN_should_report_READY_for_a_card_without_PIN_lock()
    {
        var modem = Quiet(new TestModem(NokiaC2_01.Profile));

        Assert.Equal("\r\n+CPIN: READY\r\n\r\nOK\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("\r\n+CME ERROR: 3\r\n", modem.Send("AT+CPIN=\"0000\"\r"));
    }

    [Fact]
    public void CPIN_should_accept_the_right_PIN_unquoted_as_in_the_seed_and_then_register()
    {
        var modem = PinLocked(HuaweiE367.Profile);

        Assert.Equal("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("\r\n+CME ERROR: 11\r\n", modem.Send("AT+CIMI\r"));
        modem.Advance(10);
        Assert.Equal(RegistrationStatus.NotSearching, modem.Sim.Registration);

        Assert.Equal("\r\nOK\r\n", modem.Send("AT+CPIN=0000\r"));
        Assert.Equal("\r\n+CPIN: READY\r\n\r\nOK\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("\r\n001010123456789\r\n\r\nOK\r\n", modem.Send("AT+CIMI\r"));
        modem.Advance(HuaweiE367.Profile.RegistrationDelay);
        Assert.Equal(RegistrationStatus.Home, modem.Sim.Registration);
    }

    [Fact]
    public void CPIN_should_burn_a_try_per_wrong_PIN_and_want_the_PUK_after_three()
    {
        var modem = PinLocked(NokiaC2_01.Profile);

        Assert.Equal("\r\n+CME ERROR: 16\r\n", modem.Send("AT+CPIN=\"1111\"\r"));
        Assert.Equal("\r\n+CPINR: SIM PIN,2,3\r\n\r\nOK\r\n", modem.Send("AT+CPINR=\"SIM PIN\"\r"));
        modem.Send("AT+CPIN=\"2222\"\r");
        Assert.Equal("\r\n+CME ERROR: 16\r\n", modem.Send("AT+CPIN=\"3333\"\r"));

        Assert.Equal("\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("\r\n+CME ERROR: 12\r\n", modem.Send("AT+CIMI\r"));
        Assert.Equal(
            "\r\n+CPINR: SIM PIN,0,3\r\n+CPINR: SIM PUK,10,10\r\n+CPINR: SIM PIN2,3,3\r\n+CPINR: SIM PUK2,10,10\r\n\r\nOK\r\n",
            modem.Send("AT+CPINR\r"));
        Assert.Equal(SimLockState.PukRequired, modem.Sim.Sim.State);
    }

    [Fact]
    public void CPIN_with_PUK_and_new_PIN_should_unblock_the_card()
    {
        var modem = Quiet(new TestModem(NokiaC2_01.Profile, SimCard.PukLocked(NokiaC2_01.Profile)));

        Assert.Equal("\r\n+CME ERROR: 12\r\n", modem.Send("AT+CPIN=\"12345678\"\r"));
        Assert.Equal("\r\n+CME ERROR: 16\r\n", modem.Send("AT+CPIN=\"87654321\",\"4321\"\r"));
        Assert.Equal(9, modem.Sim.Sim.PukRetriesLeft);
        Assert.Equal("\r\nOK\r\n", modem.Send("AT+CPIN=\"12345678\",\"4321\"\r"));

        Assert.Equal("\r\n+CPIN: READY\r\n\r\nOK\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("4321", modem.Sim.Sim.Pin);
        Assert.Equal(10, modem.Sim.Sim.PukRetriesLeft);
    }

    [Fact]
    public void PIN_counter_should_survive_unplug_and_replug_of_the_same_device()
    {
        var modem = PinLocked(HuaweiE367.Profile);
        modem.Send("AT+CPIN=\"1111\"\r");
        modem.Send("AT+CPIN=\"2222\"\r");

        modem.Sim.Vanish();
        modem.Sim.Return();
        modem.Reopen();
        modem.Send("ATE0\r");

        Assert.Equal("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("\r\n^CPIN: SIM PIN,1,10,1,10,3\r\n\r\nOK\r\n", modem.Send("AT^CPIN?\r"));
        Assert.Equal("\r\nERROR\r\n", modem.Send("AT+CPIN=\"3333\"\r"));
        Assert.Equal(SimLockState.PukRequired, modem.Sim.Sim.State);
    }

    [Fact]
    public void PIN_counter_should_survive_a_CFUN_reset_but_the_PIN_must_be_given_again()
    {
        var modem = PinLocked(NokiaC2_01.Profile);
        modem.Send("AT+CPIN=\"1111\"\r");

        Assert.Equal("\r\nOK\r\n", modem.Send("AT+CFUN=1,1\r"));
        modem.Advance(NokiaC2_01.Profile.ResetDelay);
        Assert.False(modem.Sim.IsPresent);
        modem.Advance(NokiaC2_01.Profile.ResetOutage);
        Assert.True(modem.Sim.IsPresent);
        modem.Reopen();
        modem.Send("ATE0\r");

        Assert.Equal("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("\r\n+CPINR: SIM PIN,2,3\r\n\r\nOK\r\n", modem.Send("AT+CPINR=\"SIM PIN\"\r"));
        Assert.Equal("\r\nOK\r\n", modem.Send("AT+CPIN=\"0000\"\r"));
        Assert.Equal(3, modem.Sim.Sim.PinRetriesLeft);
    }

    [Fact]
    public void Huawei_CPIN_should_list_the_remaining_tries_as_ModemManager_parses_them()
    {
        var modem = PinLocked(HuaweiE367.Profile);

        Assert.Equal("\r\n^CPIN: SIM PIN,3,10,3,10,3\r\n\r\nOK\r\n", modem.Send("AT^CPIN?\r"));
        modem.Send("AT+CPIN=0000\r");
        Assert.Equal("\r\n^CPIN: READY,,10,3,10,3\r\n\r\nOK\r\n", modem.Send("AT^CPIN?\r"));
    }

    [Fact]
    public void CLCK_SC_0_should_disable_the_PIN_lock_as_in_the_seed_and_a_wrong_PIN_should_burn_a_try()
    {
        var modem = PinLocked(HuaweiE367.Profile);
        Assert.Equal("\r\n+CME ERROR: 11\r\n", modem.Send("AT+CLCK=\"SC\",2\r"));
        modem.Send("AT+CPIN=0000\r");

        Assert.Equal("\r\n+CLCK: 1\r\n\r\nOK\r\n", modem.Send("AT+CLCK=\"SC\",2\r"));
        Assert.Equal("\r\n+CME ERROR: 16\r\n", modem.Send("AT+CLCK=\"SC\",0,\"9999\"\r"));
        Assert.Equal(2, modem.Sim.Sim.PinRetriesLeft);
        Assert.Equal("\r\nOK\r\n", modem.Send("AT+CLCK=\"SC\",0,\"0000\"\r"));
        Assert.Equal("\r\n+CLCK: 0\r\n\r\nOK\r\n", modem.Send("AT+CLCK=\"SC\",2\r"));

        modem.Sim.Vanish();
        modem.Sim.Return();
        modem.Reopen();
        Assert.Contains("+CPIN: READY", modem.Send("AT+CPIN?\r"));
    }

    [Fact]
    public void CRSM_should_read_EF_ICCID_as_swapped_BCD_even_before_the_PIN()
    {
        var modem = PinLocked(NokiaC2_01.Profile);

        // 8900101000000000019 padded with F and nibble-swapped per byte.
        Assert.Equal("\r\n+CRSM: 144,0,\"980001010000000010F9\"\r\n\r\nOK\r\n", modem.Send("AT+CRSM=176,12258,0,0,10\r"));
        Assert.Equal("\r\n+CRSM: 106,130\r\n\r\nOK\r\n", modem.Send("AT+CRSM=176,28423,0,0,9\r"));
    }

    [Fact]
    public void ICCID_should_be_readable_through_each_vendor_command()
    {
        var huawei = Quiet(new TestModem(HuaweiE367.Profile));
        var generic = Quiet(new TestModem(Generic3gppModem.Profile));

        Assert.Equal("\r\n^ICCID: 98000101000000003046\r\n\r\nOK\r\n", huawei.Send("AT^ICCID?\r"));
        Assert.Equal("\r\n+CCID: 8900101123456789016\r\n\r\nOK\r\n", generic.Send("AT+CCID\r"));
    }

    [Fact]
    public void Absent_SIM_should_answer_CME_10_and_never_register()
    {
        var modem = Quiet(new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { SimAbsent = true }));

        Assert.Equal("\r\n+CME ERROR: 10\r\n", modem.Send("AT+CPIN?\r"));
        Assert.Equal("\r\n+CME ERROR: 10\r\n", modem.Send("AT+CIMI\r"));
        Assert.Equal("\r\n+CME ERROR: 10\r\n", modem.Send("AT+CRSM=176,12258,0,0,10\r"));
        modem.Advance(60);
        Assert.Equal("\r\n+CREG: 0,0\r\n\r\nOK\r\n", modem.Send("AT+CREG?\r"));
        modem.Send("AT+CMEE=2\r");
        Assert.Equal("\r\n+CME ERROR: SIM not inserted\r\n", modem.Send("AT+CPIN?\r"));
    }

    [Fact]
    public void PIN_lock_switched_on_at_run_time_should_ask_for_the_PIN_after_the_next_power_on()
    {
        var modem = Quiet(new TestModem(NokiaC2_01.Profile));

        modem.Sim.Sim.SetPinLock(true);
        Assert.Contains("+CPIN: READY", modem.Send("AT+CPIN?\r"));
        modem.Sim.Brownout(TimeSpan.Zero);
        modem.Reopen();

        Assert.Contains("+CPIN: SIM PIN", modem.Send("AT+CPIN?\r"));
    }

    [Fact]
    public void Inserting_the_SIM_at_run_time_should_start_registration()
    {
        var modem = Quiet(new TestModem(NokiaC2_01.Profile, faults: new ModemFaults { SimAbsent = true }));

        modem.Sim.Faults = modem.Sim.Faults with { SimAbsent = false };
        modem.Advance(NokiaC2_01.Profile.RegistrationDelay);

        Assert.Equal(RegistrationStatus.Home, modem.Sim.Registration);
    }
}
