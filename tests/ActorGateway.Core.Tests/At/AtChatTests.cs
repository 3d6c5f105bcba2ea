using ActorGateway.Core.At;
using static ActorGateway.Core.Tests.At.ChatScript;

namespace ActorGateway.Core.Tests.At;

public class AtChatTests
{
    private const string DataCall = "the line carries a data call";

    private static readonly AtCommand Csq = new("AT+CSQ", TimeSpan.FromSeconds(3));
    private static readonly AtCommand CregQuery = new("AT+CREG?", TimeSpan.FromSeconds(3));
    private static readonly AtCommand Atz = new("ATZ", TimeSpan.FromSeconds(10));
    private static readonly AtCommand SeedInit2 = new("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", TimeSpan.FromSeconds(3));
    private static readonly AtCommand Dial = new("ATDT*99#", TimeSpan.FromSeconds(60));

    // An LCP Configure-Request as pppd's peer sends it right after CONNECT (RFC 1662 framing), with
    // bytes that would look like line ends and a result code if they were parsed as text.
    private static readonly byte[] Ppp = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x21, .. Bytes("\r\nNO CARRIER\r\n"), 0x7E];

    private static string[] Receive(AtChat chat, string text) => Show(chat.Receive(Bytes(text)));

    [Fact]
    public void AtChat_should_write_the_command_and_arm_the_timeout_when_idle()
    {
        var chat = new AtChat();

        Assert.Equal(["write 1 AT+CSQ\\r", "arm 1 3s"], Show(chat.Submit(1, Csq)));
        Assert.Equal(AtChatMode.Busy, chat.Mode);
        Assert.Same(Csq, chat.InFlight);
    }

    [Fact]
    public void AtChat_should_queue_second_command_until_first_completes()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Empty(chat.Submit(2, CregQuery));
        Assert.Equal(1, chat.QueuedCount);
        Assert.Same(Csq, chat.InFlight);

        Assert.Equal(
            ["complete 1 Ok [+CSQ: 20,99]", "write 2 AT+CREG?\\r", "arm 2 3s"],
            Receive(chat, "\r\n+CSQ: 20,99\r\n\r\nOK\r\n"));
        Assert.Equal(["complete 2 Ok [+CREG: 0,1]", "disarm"], Receive(chat, "\r\n+CREG: 0,1\r\n\r\nOK\r\n"));
        Assert.Equal(AtChatMode.Idle, chat.Mode);
        Assert.Null(chat.InFlight);
        Assert.Equal(0, chat.QueuedCount);
    }

    [Fact]
    public void AtChat_should_complete_only_when_the_final_code_arrives()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Empty(Receive(chat, "\r\n+CSQ: 20,99\r\n"));
        Assert.Empty(Receive(chat, "\r\nO"));
        Assert.Equal(["complete 1 Ok [+CSQ: 20,99]", "disarm"], Receive(chat, "K\r\n"));
    }

    [Fact]
    public void AtChat_should_skip_the_echo_of_the_command()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Equal(["complete 1 Ok [+CSQ: 20,99]", "disarm"], Receive(chat, "AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_skip_the_truncated_echo_of_the_seed_guides_Huawei()
    {
        var chat = new AtChat();
        chat.Submit(1, SeedInit2);

        Assert.Equal(["complete 1 Ok", "disarm"], Receive(chat, "ATQ0 V1 E1 S0=0 &C1 &D2 +F\r\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_run_the_seed_guides_wvdial_session_through_to_data_mode()
    {
        var chat = new AtChat();
        Assert.Equal(["write 1 ATZ\\r", "arm 1 10s"], Show(chat.Submit(1, Atz)));
        Assert.Empty(chat.Submit(2, SeedInit2));
        Assert.Empty(chat.Submit(3, Dial));

        Assert.Equal(
            ["complete 1 Ok", "write 2 ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\\r", "arm 2 3s"],
            Receive(chat, "ATZ\r\r\nOK\r\n"));
        Assert.Equal(
            ["complete 2 Ok", "write 3 ATDT*99#\\r", "arm 3 60s"],
            Receive(chat, "ATQ0 V1 E1 S0=0 &C1 &D2 +F\r\r\nOK\r\n"));
        Assert.Equal(
            ["complete 3 Connect", "disarm", Show(new AtAction.EnteredDataMode(Ppp))],
            Show(chat.Receive([.. Bytes("ATDT*99#\r\r\nCONNECT\r\n"), .. Ppp])));
        Assert.Equal(AtChatMode.Data, chat.Mode);
    }

    [Fact]
    public void AtChat_should_not_take_an_information_line_that_starts_with_AT_for_the_echo()
    {
        var chat = new AtChat();
        chat.Submit(1, new AtCommand("AT+CGMI", TimeSpan.FromSeconds(3)));

        Assert.Equal(["complete 1 Ok [ATMEL]", "disarm"], Receive(chat, "\r\nATMEL\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_collect_every_information_line_in_order()
    {
        var chat = new AtChat();
        chat.Submit(1, new AtCommand("ATI", TimeSpan.FromSeconds(3)));

        Assert.Equal(
            ["complete 1 Ok [Manufacturer: huawei | Model: E367 | Revision: 21.157.00.00.143 | IMEI: 351234567890123 | +GCAP: +CGSM,+DS,+ES]", "disarm"],
            Receive(chat, "ATI\r\r\nManufacturer: huawei\r\nModel: E367\r\nRevision: 21.157.00.00.143\r\nIMEI: 351234567890123\r\n+GCAP: +CGSM,+DS,+ES\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_emit_URCs_in_the_middle_of_a_response_without_adding_them_to_it()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        var actions = Receive(
            chat,
            "AT+CSQ\r\r\n^RSSI:18\r\n\r\n+CSQ: 20,99\r\n\r\nRING\r\n\r\n+CREG: 1\r\n\r\n^MODE:5,4\r\n\r\n^BOOT:20437583,0,0,0,77\r\n"
            + "\r\n^DSFLOWRPT:0000037E,00000000,00000000,00000000000001E6,00000000000001A3,0003E800,0003E800\r\n\r\n^SIMST:1\r\n\r\nOK\r\n");

        Assert.Equal(
            [
                "urc ^RSSI:18",
                "urc RING",
                "urc +CREG: 1",
                "urc ^MODE:5,4",
                "urc ^BOOT:20437583,0,0,0,77",
                "urc ^DSFLOWRPT:0000037E,00000000,00000000,00000000000001E6,00000000000001A3,0003E800,0003E800",
                "urc ^SIMST:1",
                "complete 1 Ok [+CSQ: 20,99]",
                "disarm",
            ],
            actions);
    }

    [Fact]
    public void AtChat_should_take_a_CREG_line_as_the_answer_to_AT_CREG_query()
    {
        var chat = new AtChat();
        chat.Submit(1, CregQuery);

        Assert.Equal(
            ["urc +CGREG: 1", "complete 1 Ok [+CREG: 2,1,\"00C3\",\"0001EA4F\",7]", "disarm"],
            Receive(chat, "\r\n+CGREG: 1\r\n\r\n+CREG: 2,1,\"00C3\",\"0001EA4F\",7\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_emit_a_two_line_CMT_URC_with_its_second_line()
    {
        var chat = new AtChat();
        const string Pdu = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";

        Assert.Empty(Receive(chat, "\r\n+CMT: ,24\r\n"));
        Assert.Equal([$"urc +CMT: ,24 / {Pdu}"], Receive(chat, $"{Pdu}\r\n"));
    }

    [Fact]
    public void AtChat_should_keep_a_CMT_URC_out_of_the_response_it_interrupts()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Equal(
            ["urc +CMT: \"+31628870634\",,\"11/01/09,10:26:26+04\" / This is text", "complete 1 Ok [+CSQ: 20,99]", "disarm"],
            Receive(chat, "\r\n+CMT: \"+31628870634\",,\"11/01/09,10:26:26+04\"\r\nThis is text\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_report_NO_CARRIER_with_nothing_in_flight_as_a_lost_call()
    {
        var chat = new AtChat();

        Assert.Equal(["urc NO CARRIER"], Receive(chat, "\r\nNO CARRIER\r\n"));
    }

    [Fact]
    public void AtChat_should_report_lines_nobody_asked_for_as_stray()
    {
        var chat = new AtChat();

        Assert.Equal(["stray OK", "stray hello", "urc RING"], Receive(chat, "\r\nOK\r\n\r\nhello\r\n\r\nRING\r\n"));
    }

    [Fact]
    public void AtChat_should_report_garbage_without_adding_it_to_the_response()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Equal(
            ["garbage \\x01\\x02", "complete 1 Ok [+CSQ: 1,1]", "disarm"],
            Receive(chat, "\r\n\x01\x02\r\n+CSQ: 1,1\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_complete_on_an_error_code_and_send_the_next_command()
    {
        var chat = new AtChat();
        chat.Submit(1, new AtCommand("AT+CPIN=\"1234\"", TimeSpan.FromSeconds(20)));
        chat.Submit(2, Csq);

        Assert.Equal(
            ["complete 1 CmeError code=16 detail=16", "write 2 AT+CSQ\\r", "arm 2 3s"],
            Receive(chat, "\r\n+CME ERROR: 16\r\n"));
    }

    [Fact]
    public void AtChat_should_report_a_late_OK_after_a_timeout_as_stray()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Equal(["complete 1 Timeout", "arm 0 0.3s"], Show(chat.TimedOut(1)));
        Assert.Equal(["stray OK", "arm 0 0.3s"], Receive(chat, "\r\nOK\r\n"));
        Assert.Equal(["disarm"], Show(chat.TimedOut(AtChat.QuietTimerId)));
        Assert.Equal(AtChatMode.Idle, chat.Mode);
        Assert.Equal(["stray OK"], Receive(chat, "\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_hold_the_next_command_until_the_line_is_quiet_after_a_timeout()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);
        chat.TimedOut(1);

        // Queued during the quiet period: not written until the quiet timer fires.
        Assert.Empty(chat.Submit(2, CregQuery));
        Assert.Equal(["stray OK", "arm 0 0.3s"], Receive(chat, "\r\nOK\r\n"));
        Assert.Equal(["urc +CREG: 1", "arm 0 0.3s"], Receive(chat, "\r\n+CREG: 1\r\n"));
        Assert.Equal(["write 2 AT+CREG?\\r", "arm 2 3s"], Show(chat.TimedOut(AtChat.QuietTimerId)));
        Assert.Equal(["complete 2 Ok [+CREG: 0,1]", "disarm"], Receive(chat, "\r\n+CREG: 0,1\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_refuse_the_quiet_timer_id_as_a_command_id()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AtChat().Submit(AtChat.QuietTimerId, Csq));
    }

    [Fact]
    public void AtChat_should_ignore_a_timeout_with_a_stale_id()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);
        chat.Submit(2, CregQuery);
        Receive(chat, "\r\nOK\r\n");

        Assert.Empty(chat.TimedOut(1));
        Assert.Empty(chat.TimedOut(99));
        Assert.Same(CregQuery, chat.InFlight);
        Assert.Equal(["complete 2 Ok", "disarm"], Receive(chat, "\r\nOK\r\n"));
        Assert.Empty(chat.TimedOut(2));
    }

    [Fact]
    public void AtChat_should_complete_a_timed_out_command_with_its_partial_lines_and_send_the_next()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);
        chat.Submit(2, CregQuery);
        Receive(chat, "\r\n+CSQ: 20,99\r\n");

        Assert.Equal(["complete 1 Timeout [+CSQ: 20,99]", "arm 0 0.3s"], Show(chat.TimedOut(1)));
        Assert.Equal(["write 2 AT+CREG?\\r", "arm 2 3s"], Show(chat.TimedOut(AtChat.QuietTimerId)));
        Assert.Equal(["complete 2 Ok [+CREG: 0,1]", "disarm"], Receive(chat, "\r\n+CREG: 0,1\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_enter_data_mode_on_CONNECT_to_a_dial_and_abort_the_queued_commands()
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);
        chat.Submit(2, Csq);
        chat.Submit(3, CregQuery);

        var actions = Show(chat.Receive([.. Bytes("\r\nCONNECT 7200000\r\n"), .. Ppp]));

        Assert.Equal(
            [
                "complete 1 Connect detail=7200000",
                "disarm",
                $"complete 2 Aborted detail={DataCall}",
                $"complete 3 Aborted detail={DataCall}",
                Show(new AtAction.EnteredDataMode(Ppp)),
            ],
            actions);
        Assert.Equal(AtChatMode.Data, chat.Mode);
        Assert.Null(chat.InFlight);
        Assert.Equal(0, chat.QueuedCount);
    }

    [Fact]
    public void AtChat_should_hand_over_the_exact_bytes_that_followed_CONNECT()
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);

        var actions = chat.Receive([.. Bytes("\r\nCONNECT\r\n"), .. Ppp]);

        var data = Assert.IsType<AtAction.EnteredDataMode>(actions[^1]);
        Assert.Equal(Ppp, data.Remainder);
    }

    [Fact]
    public void AtChat_should_hand_over_an_empty_remainder_when_CONNECT_ends_the_read()
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);

        Assert.Equal(["complete 1 Connect", "disarm", "data "], Receive(chat, "\r\nCONNECT\r\n"));
    }

    [Fact]
    public void AtChat_should_not_parse_bytes_received_in_data_mode()
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);
        Receive(chat, "\r\nCONNECT\r\n");

        Assert.Empty(chat.Receive(Ppp));
        Assert.Empty(Receive(chat, "\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_not_take_CONNECT_as_final_for_a_command_that_cannot_connect()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Equal(["complete 1 Ok [CONNECT]", "disarm"], Receive(chat, "\r\nCONNECT\r\n\r\nOK\r\n"));
        Assert.Equal(AtChatMode.Idle, chat.Mode);
    }

    [Theory]
    [InlineData("NO CARRIER", "NoCarrier")]
    [InlineData("BUSY", "Busy")]
    [InlineData("NO DIALTONE", "NoDialtone")]
    [InlineData("ERROR", "Error")]
    public void AtChat_should_stay_in_command_mode_when_a_dial_fails(string code, string outcome)
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);
        chat.Submit(2, Csq);

        Assert.Equal([$"complete 1 {outcome}", "write 2 AT+CSQ\\r", "arm 2 3s"], Receive(chat, $"\r\n{code}\r\n"));
        Assert.Equal(AtChatMode.Busy, chat.Mode);
    }

    [Fact]
    public void AtChat_should_abort_a_command_submitted_in_data_mode_at_once()
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);
        Receive(chat, "\r\nCONNECT\r\n");

        Assert.Equal([$"complete 5 Aborted detail={DataCall}"], Show(chat.Submit(5, Csq)));
        Assert.Equal(AtChatMode.Data, chat.Mode);
        Assert.Equal(0, chat.QueuedCount);
    }

    [Fact]
    public void AtChat_should_resume_command_mode_after_LeaveDataMode()
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);
        chat.Receive([.. Bytes("\r\nCONNECT\r\n"), .. Ppp]);

        Assert.Empty(chat.LeaveDataMode());
        Assert.Equal(AtChatMode.Idle, chat.Mode);
        Assert.Equal(["write 6 AT+CSQ\\r", "arm 6 3s"], Show(chat.Submit(6, Csq)));
        Assert.Equal(["complete 6 Ok [+CSQ: 9,99]", "disarm"], Receive(chat, "\r\n+CSQ: 9,99\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_leave_a_command_in_flight_alone_on_LeaveDataMode_outside_data_mode()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);
        chat.Submit(2, CregQuery);
        Receive(chat, "\r\n+CSQ: 20,99\r\n");

        Assert.Empty(chat.LeaveDataMode());

        Assert.Equal(AtChatMode.Busy, chat.Mode);
        Assert.Same(Csq, chat.InFlight);
        Assert.Equal(
            ["complete 1 Ok [+CSQ: 20,99]", "write 2 AT+CREG?\\r", "arm 2 3s"],
            Receive(chat, "\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_abort_the_command_in_flight_and_the_queued_ones_and_disarm()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);
        chat.Submit(2, CregQuery);
        chat.Submit(3, Atz);

        Assert.Equal(
            [
                "complete 1 Aborted detail=port closed",
                "complete 2 Aborted detail=port closed",
                "complete 3 Aborted detail=port closed",
                "disarm",
            ],
            Show(chat.Abort("port closed")));
        Assert.Equal(AtChatMode.Idle, chat.Mode);
        Assert.Null(chat.InFlight);
        Assert.Equal(0, chat.QueuedCount);
        Assert.Equal(["stray OK"], Receive(chat, "\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_forget_buffered_bytes_on_Abort()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);
        Receive(chat, "\r\n+CSQ: 20,99\r\n\r\n+CS");
        chat.Abort("reopened");

        chat.Submit(2, Csq);

        Assert.Equal(["complete 2 Ok [Q: 1,1]", "disarm"], Receive(chat, "Q: 1,1\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_only_disarm_on_Abort_when_idle()
    {
        Assert.Equal(["disarm"], Show(new AtChat().Abort("closed")));
    }

    [Fact]
    public void AtChat_should_leave_data_mode_on_Abort()
    {
        var chat = new AtChat();
        chat.Submit(1, Dial);
        Receive(chat, "\r\nCONNECT\r\n");

        Assert.Equal(["disarm"], Show(chat.Abort("pppd exited")));
        Assert.Equal(AtChatMode.Idle, chat.Mode);
    }

    [Fact]
    public void AtChat_should_refuse_more_than_MaxQueued_waiting_commands()
    {
        var chat = new AtChat();
        chat.Submit(100, Csq);
        for (var id = 1; id <= AtChat.MaxQueued; id++)
        {
            Assert.Empty(chat.Submit(id, Csq));
        }

        Assert.Equal(
            [$"complete 65 Aborted detail=more than {AtChat.MaxQueued} commands waiting"],
            Show(chat.Submit(AtChat.MaxQueued + 1, Csq)));
        Assert.Equal(AtChat.MaxQueued, chat.QueuedCount);
    }

    [Fact]
    public void AtChat_should_accept_a_numeric_result_for_a_basic_command()
    {
        var chat = new AtChat();
        chat.Submit(1, Atz);
        chat.Submit(2, new AtCommand("ATE0", TimeSpan.FromSeconds(3)));

        Assert.Equal(["complete 1 Ok", "write 2 ATE0\\r", "arm 2 3s"], Receive(chat, "ATZ\r0\r"));
        Assert.Equal(["complete 2 Error", "disarm"], Receive(chat, "4\r"));
    }

    [Fact]
    public void AtChat_should_not_accept_a_numeric_result_for_an_extended_command()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Empty(Receive(chat, "0\r"));
        Assert.Equal(["complete 1 Ok [0]", "disarm"], Receive(chat, "\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_cut_a_runaway_response_at_MaxLinesPerResponse()
    {
        var chat = new AtChat();
        chat.Submit(1, new AtCommand("AT+COPS=?", TimeSpan.FromSeconds(120)));
        var lines = string.Concat(Enumerable.Range(0, AtChat.MaxLinesPerResponse + 50).Select(i => $"+COPS: {i}\r\n"));

        var complete = Assert.IsType<AtAction.Complete>(chat.Receive(Bytes(lines + "OK\r\n"))[0]);

        Assert.Equal(AtChat.MaxLinesPerResponse, complete.Response.Lines.Count);
        Assert.Equal("+COPS: 0", complete.Response.Lines[0]);
        Assert.Equal($"+COPS: {AtChat.MaxLinesPerResponse - 1}", complete.Response.Lines[^1]);
    }

    [Fact]
    public void AtChat_should_recognise_a_profiles_extra_URC()
    {
        var chat = new AtChat(new UnsolicitedCodes(["+XVENDOR:"]));
        chat.Submit(1, Csq);

        Assert.Equal(
            ["urc +XVENDOR: 7", "complete 1 Ok [+CSQ: 5,99]", "disarm"],
            Receive(chat, "\r\n+XVENDOR: 7\r\n+CSQ: 5,99\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_not_take_the_final_result_for_the_second_line_of_a_two_line_URC()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);

        Assert.Equal(
            ["urc +CMT: ,24", "complete 1 Ok [+CSQ: 20,99]", "disarm"],
            Receive(chat, "\r\n+CSQ: 20,99\r\n\r\n+CMT: ,24\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_enter_data_mode_on_CONNECT_to_CGDATA()
    {
        var chat = new AtChat();
        chat.Submit(1, new AtCommand("AT+CGDATA=\"PPP\",1", TimeSpan.FromSeconds(30)));

        Assert.Equal(["complete 1 Connect", "disarm", Show(new AtAction.EnteredDataMode([]))], Receive(chat, "\r\nCONNECT\r\n"));
    }

    [Fact]
    public void AtChat_should_not_take_the_digits_of_a_query_for_a_numeric_result()
    {
        var chat = new AtChat();
        chat.Submit(1, new AtCommand("ATS0?", TimeSpan.FromSeconds(3)));

        Assert.Empty(Receive(chat, "0\r"));
        Assert.Equal(["complete 1 Ok [0]", "disarm"], Receive(chat, "\r\nOK\r\n"));
    }

    [Fact]
    public void AtChat_should_not_let_a_chatty_line_hold_queued_commands_back_forever()
    {
        var chat = new AtChat();
        chat.Submit(1, Csq);
        chat.TimedOut(1);
        chat.Submit(2, CregQuery);

        for (var i = 0; i < AtChat.MaxQuietRearms; i++)
        {
            Assert.Equal(["stray chatter", "arm 0 0.3s"], Receive(chat, "chatter\r\n"));
        }

        // Past the cap the line may talk on: the quiet timer already armed ends the wait.
        Assert.Equal(["stray chatter"], Receive(chat, "chatter\r\n"));
        Assert.Equal(["write 2 AT+CREG?\\r", "arm 2 3s"], Show(chat.TimedOut(AtChat.QuietTimerId)));
    }
}
