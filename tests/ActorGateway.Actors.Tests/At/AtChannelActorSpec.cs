using ActorGateway.Actors.At;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Core.At;
using ActorGateway.Core.Io;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.At;

public sealed class AtChannelActorSpec : VirtualTimeSpec
{
    private const string Path = "/dev/ttyTEST0";
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private readonly ScriptedConnection _line = new(Path);
    private readonly TestProbe _parent;
    private readonly TestProbe _asker;

    public AtChannelActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _parent = CreateTestProbe("parent");
        _asker = CreateTestProbe("asker");
    }

    [Fact]
    public async Task AtChannel_should_write_the_command_and_route_the_answer_to_the_asker()
    {
        var channel = StartChannel();
        var csq = new AtCommand("AT+CSQ", TimeSpan.FromSeconds(3));

        channel.Tell(new AtChannel.Send(csq), _asker.Ref);

        Assert.Equal("AT+CSQ\r", await _line.NextWriteAsync());
        _line.Feed("AT+CSQ\r\r\n+CSQ: 18,99\r\n\r\nOK\r\n");
        var response = _asker.ExpectMsg<AtChannel.Response>();
        Assert.Same(csq, response.Command);
        Assert.Equal(AtOutcome.Ok, response.Result.Outcome);
        Assert.Equal(["+CSQ: 18,99"], response.Result.Lines);
    }

    [Fact]
    public async Task AtChannel_should_keep_one_command_in_flight_and_send_the_next_after_the_answer()
    {
        var channel = StartChannel();
        var other = CreateTestProbe();
        channel.Tell(new AtChannel.Send(new AtCommand("AT+CGMI", TimeSpan.FromSeconds(3))), _asker.Ref);
        channel.Tell(new AtChannel.Send(new AtCommand("AT+CGMM", TimeSpan.FromSeconds(3))), other.Ref);

        Assert.Equal("AT+CGMI\r", await _line.NextWriteAsync());
        SettleLine(channel);
        Assert.True(_line.NothingWritten);
        _line.Feed("\r\nhuawei\r\n\r\nOK\r\n");

        Assert.Equal(["huawei"], _asker.ExpectMsg<AtChannel.Response>().Result.Lines);
        Assert.Equal("AT+CGMM\r", await _line.NextWriteAsync());
        _line.Feed("\r\nE367\r\n\r\nOK\r\n");
        Assert.Equal(["E367"], other.ExpectMsg<AtChannel.Response>().Result.Lines);
        _asker.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task AtChannel_should_send_unsolicited_codes_to_subscribers_and_answers_to_the_asker()
    {
        var channel = StartChannel();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        channel.Tell(new AtChannel.Subscribe(first.Ref));
        channel.Tell(new AtChannel.Subscribe(second.Ref));

        _line.Feed("\r\n+CREG: 1,\"00C1\",\"0012D687\"\r\n");
        Assert.Equal("+CREG: 1,\"00C1\",\"0012D687\"", first.ExpectMsg<AtChannel.Unsolicited>().Line);
        Assert.Equal("+CREG: 1,\"00C1\",\"0012D687\"", second.ExpectMsg<AtChannel.Unsolicited>().Line);

        // A URC between the lines of an answer goes to the subscribers, not into the answer.
        channel.Tell(new AtChannel.Unsubscribe(second.Ref));
        channel.Tell(new AtChannel.Send(new AtCommand("AT+CSQ", TimeSpan.FromSeconds(3))), _asker.Ref);
        await _line.NextWriteAsync();
        _line.Feed("\r\n+CSQ: 17,99\r\n\r\n^RSSI:17\r\n\r\nOK\r\n");

        Assert.Equal(["+CSQ: 17,99"], _asker.ExpectMsg<AtChannel.Response>().Result.Lines);
        Assert.Equal("^RSSI:17", first.ExpectMsg<AtChannel.Unsolicited>().Line);
        second.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task AtChannel_should_answer_timeout_when_the_modem_stays_silent_in_virtual_time()
    {
        var channel = StartChannel();
        channel.Tell(new AtChannel.Send(new AtCommand("AT+COPS?", TimeSpan.FromSeconds(3))), _asker.Ref);
        await _line.NextWriteAsync();
        Settle(channel);

        Advance(TimeSpan.FromMilliseconds(2999));
        _asker.ExpectNoMsg(Quiet);
        Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(AtOutcome.Timeout, _asker.ExpectMsg<AtChannel.Response>().Result.Outcome);

        // The next command waits for a quiet line, so that a late answer is not taken for its own.
        channel.Tell(new AtChannel.Send(new AtCommand("AT", TimeSpan.FromSeconds(1))), _asker.Ref);
        Settle(channel);
        Advance(AtChat.QuietPeriod - TimeSpan.FromMilliseconds(1));
        SettleLine(channel);
        Assert.True(_line.NothingWritten);
        Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("AT\r", await _line.NextWriteAsync());
    }

    [Fact]
    public async Task AtChannel_should_not_take_a_late_answer_for_the_next_command()
    {
        var channel = StartChannel();
        var urcs = CreateTestProbe();
        channel.Tell(new AtChannel.Subscribe(urcs.Ref));
        channel.Tell(new AtChannel.Send(new AtCommand("AT+CGSN", TimeSpan.FromSeconds(3))), _asker.Ref);
        await _line.NextWriteAsync();
        Settle(channel);
        Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(AtOutcome.Timeout, _asker.ExpectMsg<AtChannel.Response>().Result.Outcome);
        var next = CreateTestProbe();
        channel.Tell(new AtChannel.Send(new AtCommand("AT+CGMI", TimeSpan.FromSeconds(3))), next.Ref);
        Settle(channel);

        // 200 ms into the quiet period the old answer straggles in (the URC after it says when it was read).
        Advance(TimeSpan.FromMilliseconds(200));
        _line.Feed("\r\n861234027654329\r\n\r\nOK\r\n\r\n+CREG: 1\r\n");
        urcs.ExpectMsg<AtChannel.Unsolicited>();

        // It answered nobody and restarted the quiet period.
        Advance(AtChat.QuietPeriod - TimeSpan.FromMilliseconds(1));
        SettleLine(channel);
        Assert.True(_line.NothingWritten);
        next.ExpectNoMsg(Quiet);
        Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("AT+CGMI\r", await _line.NextWriteAsync());
        _line.Feed("\r\nhuawei\r\n\r\nOK\r\n");
        Assert.Equal(["huawei"], next.ExpectMsg<AtChannel.Response>().Result.Lines);
    }

    [Fact]
    public async Task AtChannel_should_enter_data_mode_on_connect_and_hand_the_remainder_to_its_parent()
    {
        var channel = StartChannel();
        channel.Tell(new AtChannel.Send(new AtCommand("ATD*99#", TimeSpan.FromSeconds(60))), _asker.Ref);
        await _line.NextWriteAsync();
        byte[] ppp = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21];
        _line.Feed([.. "\r\nCONNECT 7200000\r\n"u8.ToArray(), .. ppp]);

        var dialled = _asker.ExpectMsg<AtChannel.Response>();
        Assert.Equal(AtOutcome.Connect, dialled.Result.Outcome);
        Assert.Equal("7200000", dialled.Result.Detail);
        Assert.Equal(ppp, _parent.FishForMessage<AtChannel.DataMode>(_ => true).Remainder);

        // Commands are refused while the line carries the call, and nothing is written.
        channel.Tell(new AtChannel.Send(new AtCommand("AT", TimeSpan.FromSeconds(1))), _asker.Ref);
        var refused = _asker.ExpectMsg<AtChannel.Response>();
        Assert.Equal(AtOutcome.Aborted, refused.Result.Outcome);
        Assert.Contains("data call", refused.Result.Detail);
        SettleLine(channel);
        Assert.True(_line.NothingWritten);

        // The dial's timer is gone with the answer.
        Advance(TimeSpan.FromMinutes(2));
        _asker.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task AtChannel_should_escalate_a_read_failure_as_a_serial_port_exception_and_close_the_line()
    {
        var channel = StartChannel();
        channel.Tell(new AtChannel.Send(new AtCommand("AT+CSQ", TimeSpan.FromSeconds(3))), _asker.Ref);
        await _line.NextWriteAsync();

        _line.FailReads(new IOException("Input/output error"));

        var failed = _parent.FishForMessage<ChildFailed>(_ => true);
        var e = Assert.IsType<SerialPortException>(failed.Cause);
        Assert.Equal(Path, e.Port);
        Assert.Contains("went away", e.Message);
        Assert.Equal(AtOutcome.Aborted, _asker.ExpectMsg<AtChannel.Response>().Result.Outcome);
        await _line.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, _line.DisposeCount);
    }

    [Fact]
    public async Task AtChannel_should_close_the_line_when_stopped()
    {
        var channel = StartChannel();
        Watch(channel);

        Sys.Stop(channel);

        ExpectTerminated(channel);
        await _line.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, _line.DisposeCount);
    }

    [Fact]
    public async Task AtChannel_should_close_a_line_that_opens_after_it_was_stopped()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var opener = new ScriptedPortOpener(_line) { HoldOpen = hold };
        Sys.ActorOf(ForwardingParent.Props(AtChannelActor.Props(opener, new SerialPortOptions(Path), UnsolicitedCodes.Default), _parent.Ref));
        var channel = _parent.ExpectMsg<ChildStarted>().Child;
        await opener.OpenCalled.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Watch(channel);
        Sys.Stop(channel);
        ExpectTerminated(channel);

        hold.SetResult(); // the open(2) returns after all

        await _line.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        _parent.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task AtChannel_should_never_log_a_pin_even_when_its_echo_comes_late()
    {
        var logs = CaptureLogs();
        var channel = StartChannel();
        var pin = new AtCommand("AT+CPIN=\"8265\"", TimeSpan.FromSeconds(5), isSensitive: true);
        channel.Tell(new AtChannel.Send(pin), _asker.Ref);
        Assert.Equal("AT+CPIN=\"8265\"\r", await _line.NextWriteAsync());
        _line.Feed("AT+CPIN=\"8265\"\r\r\nOK\r\n");
        Assert.True(_asker.ExpectMsg<AtChannel.Response>().Result.IsOk);

        // A second attempt times out, and its echo straggles in afterwards as a stray line.
        channel.Tell(new AtChannel.Send(pin), _asker.Ref);
        await _line.NextWriteAsync();
        Settle(channel);
        Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(AtOutcome.Timeout, _asker.ExpectMsg<AtChannel.Response>().Result.Outcome);
        _line.Feed("AT+CPIN=\"8265\"\r");
        AwaitAssert(() => Assert.Contains(logs.Texts, t => t.Contains("stray", StringComparison.Ordinal)));

        Assert.Contains(logs.Texts, t => t.Contains("AT+CPIN=", StringComparison.Ordinal));
        Assert.All(logs.Texts, t => Assert.DoesNotContain("8265", t, StringComparison.Ordinal));
    }

    /// <summary>The channel and its serial port actor have handled everything sent to them so far.</summary>
    private void SettleLine(IActorRef channel)
    {
        Settle(channel);
        Settle(Sys.ActorSelection(channel.Path / "port").ResolveOne(TimeSpan.FromSeconds(3)).GetAwaiter().GetResult());
    }

    private IActorRef StartChannel()
    {
        var opener = new ScriptedPortOpener(_line);
        Sys.ActorOf(ForwardingParent.Props(AtChannelActor.Props(opener, new SerialPortOptions(Path), UnsolicitedCodes.Default), _parent.Ref));
        var channel = _parent.ExpectMsg<ChildStarted>().Child;
        Assert.Equal(Path, _parent.ExpectMsg<AtChannel.Ready>().Path);
        return channel;
    }
}
