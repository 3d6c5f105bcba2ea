using ActorGateway.Core.At;
using ActorGateway.Core.Modem;

namespace ActorGateway.Core.Tests.Modem;

public class ResponsesTests
{
    private static AtResponse Ok(params string[] lines) => new(AtOutcome.Ok, lines);

    [Theory]
    [InlineData("+CPIN: READY", SimLock.Ready, "READY")]
    [InlineData("+CPIN: SIM PIN", SimLock.Pin, "SIM PIN")]
    [InlineData("+CPIN: SIM PUK", SimLock.Puk, "SIM PUK")]
    [InlineData("+CPIN: \"SIM PIN\"", SimLock.Pin, "SIM PIN")]
    [InlineData("+cpin: sim pin", SimLock.Pin, "SIM PIN")]
    [InlineData("+CPIN: PH-SIM PIN", SimLock.Other, "PH-SIM PIN")]
    [InlineData("+CPIN: SIM PIN2", SimLock.Ready, "SIM PIN2")]
    [InlineData("+CPIN: SIM PUK2", SimLock.Ready, "SIM PUK2")]
    [InlineData("+CPIN: PH-NET PIN", SimLock.Other, "PH-NET PIN")]
    public void Responses_should_read_what_the_SIM_waits_for_from_CPIN(string line, SimLock simLock, string code)
    {
        Assert.Equal(new SimStatus(simLock, code), Responses.ParseCpin(Ok(line)));
    }

    [Fact]
    public void Responses_should_return_no_SIM_status_without_a_CPIN_line()
    {
        Assert.Null(Responses.ParseCpin(Ok("+CSQ: 20,99")));
    }

    [Fact]
    public void Responses_should_read_PIN_and_PUK_tries_from_CPINR_one_line_per_code()
    {
        // 27.007 §8.65: +CPINR: <code>,<retries>,<default_retries>
        var response = Ok("+CPINR: SIM PIN,2,3", "+CPINR: SIM PUK,10,10", "+CPINR: SIM PIN2,3,3", "+CPINR: SIM PUK2,10,10");

        Assert.Equal(new PinRetries(2, 10), Responses.ParsePinRetries(response));
    }

    [Fact]
    public void Responses_should_read_PIN_tries_from_a_lone_CPINR_line()
    {
        Assert.Equal(new PinRetries(1, null), Responses.ParsePinRetries(Ok("+CPINR: \"SIM PIN\",1,3")));
    }

    [Theory]
    [InlineData("^CPIN: SIM PIN,3,10,3,10,3", 3, 10)]
    [InlineData("^CPIN: SIM PIN,2,10,2,10,3", 2, 10)]
    [InlineData("^CPIN: READY,,10,3,10,3", 3, 10)]
    [InlineData("^CPIN: SIM PUK,10,10,0,10,3", 0, 10)]
    public void Responses_should_read_tries_from_Huawei_CPIN(string line, int pin, int puk)
    {
        // <code>,[<times>],<puk_times>,<pin_times>,<puk2_times>,<pin2_times>
        Assert.Equal(new PinRetries(pin, puk), Responses.ParsePinRetries(Ok(line)));
    }

    [Fact]
    public void Responses_should_read_tries_from_Sierra_CPINC()
    {
        // <pin1>,<pin2>,<puk1>,<puk2>
        Assert.Equal(new PinRetries(2, 9), Responses.ParsePinRetries(Ok("+CPINC: 2,3,9,10")));
    }

    [Fact]
    public void Responses_should_read_tries_from_Quectel_QPINC_for_the_SIM_PIN_only()
    {
        var response = Ok("+QPINC: \"P2\",3,10", "+QPINC: \"SC\",1,8");

        Assert.Equal(new PinRetries(1, 8), Responses.ParsePinRetries(response));
    }

    [Theory]
    [InlineData("+CSQ: 20,99")]
    [InlineData("+CPINR: SIM PIN2,3,3")]
    [InlineData("^CPIN: SIM PIN,3")]
    [InlineData("+QPINC: \"P2\",3,10")]
    public void Responses_should_return_no_tries_when_no_line_gives_them(string line)
    {
        Assert.Null(Responses.ParsePinRetries(Ok(line)));
    }

    [Theory]
    [InlineData("+CREG: 0,1", "CREG", RegistrationState.Home, null)]
    [InlineData("+CREG: 2,1,\"00C3\",\"0001EA4F\",7", "CREG", RegistrationState.Home, 7)]
    [InlineData("+CGREG: 2,5,\"00C3\",\"0001EA4F\",2", "CGREG", RegistrationState.Roaming, 2)]
    [InlineData("+CEREG: 0,1", "CEREG", RegistrationState.Home, null)]
    [InlineData("+CEREG: 2,5,\"1A2B\",\"01A2B3C4\",7", "CEREG", RegistrationState.Roaming, 7)]
    [InlineData("+CREG: 0,3", "CREG", RegistrationState.Denied, null)]
    [InlineData("+CREG: 1,2", "CREG", RegistrationState.Searching, null)]
    [InlineData("+CGREG: 0,0", "CGREG", RegistrationState.NotSearching, null)]
    public void Responses_should_read_registration_in_query_shape(string line, string domain, RegistrationState state, int? act)
    {
        Assert.Equal(new Registration(domain, state, act), Responses.ParseRegistration(line));
    }

    [Theory]
    [InlineData("+CREG: 1", "CREG", RegistrationState.Home, null)]
    [InlineData("+CREG: 5", "CREG", RegistrationState.Roaming, null)]
    [InlineData("+CREG: 3", "CREG", RegistrationState.Denied, null)]
    [InlineData("+CREG: 1,\"00C3\",\"0001EA4F\",7", "CREG", RegistrationState.Home, 7)]
    [InlineData("+CGREG: 5,\"00C3\",\"0001EA4F\",2", "CGREG", RegistrationState.Roaming, 2)]
    [InlineData("+CEREG: 1,\"1A2B\",\"01A2B3C4\"", "CEREG", RegistrationState.Home, null)]
    public void Responses_should_read_registration_in_URC_shape(string line, string domain, RegistrationState state, int? act)
    {
        Assert.Equal(new Registration(domain, state, act), Responses.ParseRegistration(line));
    }

    [Theory]
    [InlineData(RegistrationState.Home, true, false)]
    [InlineData(RegistrationState.Roaming, true, true)]
    [InlineData(RegistrationState.Denied, false, false)]
    [InlineData(RegistrationState.Searching, false, false)]
    [InlineData(RegistrationState.RoamingSmsOnly, false, true)]
    [InlineData(RegistrationState.EmergencyOnly, false, false)]
    public void Registration_should_say_whether_data_can_flow_and_whether_it_roams(RegistrationState state, bool registered, bool roaming)
    {
        var registration = new Registration("CREG", state, null);

        Assert.Equal(registered, registration.IsRegistered);
        Assert.Equal(roaming, registration.IsRoaming);
    }

    [Theory]
    [InlineData("+CSQ: 20,99")]
    [InlineData("+CREG: 0,12")]
    [InlineData("+CREG: x")]
    [InlineData("+CREG:")]
    [InlineData("CREG: 0,1")]
    public void Responses_should_reject_lines_that_are_no_registration(string line)
    {
        Assert.Null(Responses.ParseRegistration(line));
    }

    [Theory]
    [InlineData("+CSQ: 0,99", 0, -113, 0)]
    [InlineData("+CSQ: 31,0", 31, -51, 100)]
    [InlineData("+CSQ: 20,99", 20, -73, 65)]
    public void Responses_should_convert_CSQ_rssi_to_dBm(string line, int rssi, int dbm, int percent)
    {
        var signal = Responses.ParseCsq(Ok(line));

        Assert.NotNull(signal);
        Assert.Equal(rssi, signal.Rssi);
        Assert.True(signal.IsKnown);
        Assert.Equal(dbm, signal.Dbm);
        Assert.Equal(percent, signal.Percent);
    }

    [Fact]
    public void Responses_should_read_CSQ_99_as_unknown_signal()
    {
        var signal = Responses.ParseCsq(Ok("+CSQ: 99,99"));

        Assert.NotNull(signal);
        Assert.False(signal.IsKnown);
        Assert.Null(signal.Dbm);
        Assert.Null(signal.Percent);
        Assert.Equal(99, signal.BitErrorRate);
    }

    [Theory]
    [InlineData("+CSQ: -1,99")]
    [InlineData("+CSQ: 100,99")]
    [InlineData("+CSQ: ,99")]
    [InlineData("+CREG: 0,1")]
    public void Responses_should_reject_an_implausible_CSQ(string line)
    {
        Assert.Null(Responses.ParseCsq(Ok(line)));
    }

    [Theory]
    [InlineData("^RSSI:18", 18, -77)]
    [InlineData("^RSSI: 31", 31, -51)]
    [InlineData("^RSSI:99", 99, null)]
    public void Responses_should_read_Huawei_RSSI_on_the_CSQ_scale(string line, int rssi, int? dbm)
    {
        var signal = Responses.ParseHuaweiRssi(line);

        Assert.Equal(rssi, signal!.Rssi);
        Assert.Equal(dbm, signal.Dbm);
    }

    [Theory]
    [InlineData("^RSSI:")]
    [InlineData("^RSSI:x")]
    [InlineData("+CSQ: 18,99")]
    public void Responses_should_reject_what_is_no_Huawei_RSSI(string line)
    {
        Assert.Null(Responses.ParseHuaweiRssi(line));
    }

    [Fact]
    public void Responses_should_read_the_operator_with_its_name_and_technology()
    {
        Assert.Equal(new OperatorInfo(0, "Vodafone.de", 7), Responses.ParseCops(Ok("+COPS: 0,0,\"Vodafone.de\",7")));
    }

    [Fact]
    public void Responses_should_keep_a_comma_inside_a_quoted_operator_name()
    {
        Assert.Equal(new OperatorInfo(1, "Telef\u00f3nica, S.A.", 2), Responses.ParseCops(Ok("+COPS: 1,0,\"Telef\u00f3nica, S.A.\",2")));
    }

    [Fact]
    public void Responses_should_read_the_operator_without_a_name()
    {
        Assert.Equal(new OperatorInfo(0, null, null), Responses.ParseCops(Ok("+COPS: 0")));
        Assert.Equal(new OperatorInfo(2, null, null), Responses.ParseCops(Ok("+COPS: 2,0,\"\"")));
    }

    [Fact]
    public void Responses_should_return_no_operator_without_a_COPS_line()
    {
        Assert.Null(Responses.ParseCops(Ok("+CSQ: 1,1")));
        Assert.Null(Responses.ParseCops(Ok("+COPS: x")));
    }

    // EF_ICCID (ETSI TS 102 221 §13.2, referenced by 3GPP TS 31.102; 11.11 §10.1.1): BCD with the first digit in
    // the low nibble, so the hex a modem prints swaps each pair; a 19-digit ICCID is padded with F.
    [Theory]
    [InlineData("+CRSM: 144,0,\"984411008652260750F4\"", "8944110068256270054")]
    [InlineData("+CRSM: 144,0,\"98101430121181157002\"", "89014103211118510720")]
    [InlineData("+CRSM: 144,0,984411008652260750F4", "8944110068256270054")]
    public void Responses_should_read_the_ICCID_from_nibble_swapped_EF_ICCID(string line, string iccid)
    {
        Assert.Equal(iccid, Responses.ParseIccid(Ok(line)));
    }

    [Theory]
    [InlineData("^ICCID: 984411008652260750F4", "8944110068256270054")]
    [InlineData("^ICCID: \"98101430121181157002\"", "89014103211118510720")]
    [InlineData("+CCID: 89014103211118510720", "89014103211118510720")]
    [InlineData("+CCID: \"8944110068256270054F\"", "8944110068256270054")]
    [InlineData("+ICCID: 8944110068256270054", "8944110068256270054")]
    [InlineData("+QCCID: 8944110068256270054F", "8944110068256270054")]
    [InlineData("89014103211118510720", "89014103211118510720")]
    public void Responses_should_read_the_ICCID_from_vendor_commands_and_bare_digits(string line, string iccid)
    {
        Assert.Equal(iccid, Responses.ParseIccid(Ok(line)));
    }

    [Fact]
    public void Responses_should_skip_lines_that_are_no_ICCID_and_take_the_first_that_is()
    {
        Assert.Equal("89014103211118510720", Responses.ParseIccid(Ok("^RSSI:18", "+CCID: 89014103211118510720")));
    }

    [Theory]
    [InlineData("+CRSM: 106,130")] // sw1 0x6A: file not found
    [InlineData("+CRSM: 148,4,\"984411008652260750F4\"")] // sw1 0x94: not a success
    [InlineData("+CRSM: 144,0,\"FFFFFFFFFFFFFFFFFFFF\"")]
    [InlineData("+CRSM: 144,0,\"\"")]
    [InlineData("+CRSM: 144")]
    [InlineData("+CCID: 1234567890")]
    [InlineData("+CCID: 12345678901234567890")] // not 89: no telecom ICCID
    [InlineData("+CCID: 8901410321111851072012345")] // too long
    [InlineData("+CCID: 89014103211118X10720")]
    [InlineData("ERROR")]
    public void Responses_should_reject_implausible_ICCIDs(string line)
    {
        Assert.Null(Responses.ParseIccid(Ok(line)));
    }

    [Theory]
    [InlineData("huawei", "huawei")]
    [InlineData("+CGMI: \"Quectel\"", "Quectel")]
    [InlineData("+CGMM: EC25", "EC25")]
    [InlineData("+CGMR: 21.157.00.00.143", "21.157.00.00.143")]
    [InlineData("Manufacturer: Sierra Wireless", "Manufacturer: Sierra Wireless")]
    public void Responses_should_read_an_identity_with_or_without_its_prefix(string line, string identity)
    {
        Assert.Equal(identity, Responses.ParseIdentity(Ok(line)));
    }

    [Fact]
    public void Responses_should_return_no_identity_for_an_error_or_an_empty_answer()
    {
        Assert.Null(Responses.ParseIdentity(new AtResponse(AtOutcome.Error, ["huawei"])));
        Assert.Null(Responses.ParseIdentity(Ok()));
        Assert.Null(Responses.ParseIdentity(Ok("+CGMI: \"\"")));
    }

    [Theory]
    [InlineData("351234567890123", "351234567890123")]
    [InlineData("+CGSN: 351234567890123", "351234567890123")]
    [InlineData("+CGSN: \"351234567890123\"", "351234567890123")]
    [InlineData("35123456789012", "35123456789012")]
    [InlineData("3512345678901234", "3512345678901234")]
    [InlineData("3512345678901", null)]
    [InlineData("35123456789012345", null)]
    [InlineData("35123456789O123", null)]
    public void Responses_should_read_an_IMEI_of_14_to_16_digits(string line, string? imei)
    {
        Assert.Equal(imei, Responses.ParseImei(Ok(line)));
    }

    [Theory]
    [InlineData(0, "GSM")]
    [InlineData(2, "UMTS")]
    [InlineData(7, "LTE")]
    [InlineData(13, "E-UTRA-NR")]
    [InlineData(14, null)]
    [InlineData(null, null)]
    public void Responses_should_name_the_access_technology(int? act, string? name)
    {
        Assert.Equal(name, Responses.DescribeAccessTechnology(act));
    }

    [Theory]
    [InlineData("^MODE:5,4", "WCDMA")]
    [InlineData("^MODE:5,9", "HSPA+")]
    [InlineData("^MODE:3,3", "EDGE")]
    [InlineData("^MODE:7", "LTE")]
    [InlineData("^MODE:0", "no service")]
    [InlineData("^MODE:5,8", "WCDMA")]
    [InlineData("+CREG: 1", null)]
    public void Responses_should_name_the_technology_of_a_Huawei_MODE_URC(string line, string? name)
    {
        Assert.Equal(name, Responses.ParseHuaweiMode(line));
    }

    [Theory]
    [InlineData("0,0,\"Vodafone, UK\",7", new[] { "0", "0", "\"Vodafone, UK\"", "7" })]
    [InlineData(" 1 , 2 ", new[] { "1", "2" })]
    [InlineData("1,,3", new[] { "1", "", "3" })]
    [InlineData("", new string[0])]
    public void Responses_should_split_fields_at_commas_outside_quotes(string value, string[] fields)
    {
        Assert.Equal(fields, Responses.SplitFields(value));
    }

    [Fact]
    public void Responses_should_decode_a_UCS2_operator_name()
    {
        var cops = new AtResponse(AtOutcome.Ok, ["+COPS: 0,0,\"0054002D004D006F00620069006C0065\",7"]);

        Assert.Equal("T-Mobile", Responses.ParseCops(cops)!.Name);
        Assert.Equal("1234", Responses.DecodeUcs2("1234"));
        Assert.Equal("Vodafone", Responses.DecodeUcs2("Vodafone"));
    }

    [Fact]
    public void Responses_should_take_the_identity_after_a_scrap_of_noise()
    {
        var cgmi = new AtResponse(AtOutcome.Ok, ["g: <A e", "huawei", ")"]);
        var cgsn = new AtResponse(AtOutcome.Ok, ["}~", "861234027654329"]);

        Assert.Equal("huawei", Responses.ParseIdentity(cgmi));
        Assert.Equal("861234027654329", Responses.ParseImei(cgsn));
    }
}
