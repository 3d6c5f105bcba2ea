using System.Net;
using ActorGateway.Actors.Ppp;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Ppp;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Ppp;

public sealed class PppSessionActorSpec : VirtualTimeSpec
{
    private const string Tty = "/dev/ttyUSB0";
    private const string Password = "s3cr3t-pw";
    private static readonly TimeSpan Handover = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HoldPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private readonly FakeProcessRunner _runner = new() { Setup = p => p.Open = false };
    private readonly TestProbe _parent;

    public PppSessionActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _parent = CreateTestProbe("parent");
    }

    [Fact]
    public async Task PppSession_should_start_pppd_with_an_argument_list_and_the_password_only_in_a_private_file()
    {
        var logs = CaptureLogs();
        Start(new ModemProfile { Username = "web", Password = Password });

        var spec = (await _runner.NextStartedAsync()).Spec;

        Assert.Equal("/usr/sbin/pppd", spec.Program);
        Assert.Equal(Tty, spec.Arguments[0]);
        Assert.Contains("nodetach", spec.Arguments);
        Assert.DoesNotContain(spec.Arguments, a => a.Contains(Password, StringComparison.Ordinal));
        var file = Assert.Single(spec.PrivateFiles!);
        Assert.Equal("/run/actorgateway/ppp-dongle.options", file.Path);
        Assert.Contains($"password \"{Password}\"", file.Content);
        Assert.Equal(file.Path, spec.Arguments[spec.Arguments.ToList().IndexOf("file") + 1]);
        AwaitAssert(() => Assert.Contains(logs.Texts, t => t.Contains("starting /usr/sbin/pppd", StringComparison.Ordinal)));
        Assert.All(logs.Texts, t => Assert.DoesNotContain(Password, t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PppSession_should_have_no_private_file_without_credentials()
    {
        Start(new ModemProfile());

        var spec = (await _runner.NextStartedAsync()).Spec;

        Assert.Empty(spec.PrivateFiles!);
        Assert.DoesNotContain("file", spec.Arguments);
    }

    [Fact]
    public async Task PppSession_should_tell_its_parent_when_pppd_holds_the_line()
    {
        var ppp = Start(new ModemProfile());
        var process = await StartedAndFollowed(ppp);

        for (var i = 0; i < 3; i++)
        {
            Advance(HoldPoll);
            _parent.ExpectNoMsg(Quiet);
        }

        process.Open = true;
        Advance(HoldPoll);
        Assert.Equal(Tty, _parent.ExpectMsg<PppSession.HoldsLine>().Tty);

        // Once pppd holds the line the hand-over deadline is gone.
        Settle(ppp);
        Advance(Handover);
        _parent.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task PppSession_should_report_the_link_from_pppd_log_lines()
    {
        var ppp = Start(new ModemProfile());
        var process = await StartedAndFollowed(ppp);

        process.Say("Connect: ppp0 <--> /dev/ttyUSB0");
        process.Say("Using interface ppp0");
        process.Say("local  IP address 10.64.64.2");
        process.Say("remote IP address 10.64.64.1");
        process.Say("primary   DNS address 10.64.64.1");

        Assert.Equal("ppp0", _parent.ExpectMsg<PppSession.LinkChanged>().Link.Interface);
        Assert.False(_parent.ExpectMsg<PppSession.LinkChanged>().Link.IsUp);
        var up = _parent.ExpectMsg<PppSession.LinkChanged>().Link;
        Assert.True(up.IsUp);
        var link = _parent.ExpectMsg<PppSession.LinkChanged>().Link;
        Assert.Equal(new PppLink("ppp0", IPAddress.Parse("10.64.64.2"), IPAddress.Parse("10.64.64.1"), IPAddress.Parse("10.64.64.1")), link);
        _parent.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task PppSession_should_fail_with_kernel_support_missing_when_pppd_exits_4()
    {
        var ppp = Start(new ModemProfile());
        var process = await StartedAndFollowed(ppp);

        process.Say("Couldn't open the /dev/ppp device: No such file or directory");
        process.Exit(4);

        var failure = Assert.IsType<PppKernelSupportMissingException>(_parent.FishForMessage<ChildFailed>(_ => true).Cause);
        Assert.Equal(4, failure.ExitCode);
        Assert.Contains("/dev/ppp", Assert.Single(failure.LastLines));
    }

    [Fact]
    public async Task PppSession_should_fail_with_the_exit_status_and_how_long_the_link_was_up()
    {
        var ppp = Start(new ModemProfile());
        var process = await StartedAndFollowed(ppp);
        process.Open = true;
        Advance(HoldPoll);
        _parent.ExpectMsg<PppSession.HoldsLine>();
        process.Say("local  IP address 10.64.64.2");
        process.Say("remote IP address 10.64.64.1");
        Assert.True(_parent.FishForMessage<PppSession.LinkChanged>(l => l.Link.IsUp).Link.IsUp);

        Advance(TimeSpan.FromSeconds(90));
        process.Say("Modem hangup");
        process.Exit(16);

        var failure = Assert.IsType<PppdExitedException>(_parent.FishForMessage<ChildFailed>(_ => true).Cause);
        Assert.Equal(16, failure.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(90), failure.ConnectedFor);
        Assert.Contains("the modem hung up", failure.Message);
    }

    [Fact]
    public async Task PppSession_should_fail_when_pppd_does_not_open_the_line_in_time()
    {
        var ppp = Start(new ModemProfile());
        await StartedAndFollowed(ppp);

        Advance(Handover - HoldPoll);
        _parent.ExpectNoMsg(Quiet);
        Advance(HoldPoll);

        var failure = Assert.IsType<PppdHandoverTimeoutException>(_parent.FishForMessage<ChildFailed>(_ => true).Cause);
        Assert.Contains(Tty, failure.Message);
    }

    [Fact]
    public async Task PppSession_should_terminate_pppd_when_stopped()
    {
        var ppp = Start(new ModemProfile());
        var process = await StartedAndFollowed(ppp);
        process.Open = true;
        Advance(HoldPoll);
        _parent.ExpectMsg<PppSession.HoldsLine>();
        Watch(ppp);

        Sys.Stop(ppp);

        ExpectTerminated(ppp);
        await process.Terminated.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, process.TerminateCalls);
        AwaitAssert(() => Assert.True(process.Disposed));
        Assert.False(process.Killed);
        _parent.ExpectNoMsg(Quiet); // an exit we caused is no failure
    }

    [Fact]
    public async Task PppSession_should_terminate_a_pppd_that_starts_after_it_was_stopped()
    {
        _runner.HoldStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ppp = Start(new ModemProfile());
        var process = await _runner.NextStartedAsync();
        Watch(ppp);
        Sys.Stop(ppp);
        ExpectTerminated(ppp);

        _runner.HoldStart.SetResult();

        await process.Terminated.Task.WaitAsync(TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PppSession_should_fail_with_a_start_exception_when_pppd_cannot_be_started(bool throwsBeforeTheTask)
    {
        var runner = new ThrowingRunner(new ProcessStartException("/usr/sbin/pppd", "No such file or directory"), throwsBeforeTheTask);
        var command = PppdCommand.Build(new ModemProfile(), Tty, "dongle", "/run/actorgateway");
        Sys.ActorOf(ForwardingParent.Props(PppSessionActor.Props("dongle", command, Tty, runner, Handover, Clock), _parent.Ref, "ppp"));
        _parent.ExpectMsg<ChildStarted>();

        var failure = Assert.IsType<PppdStartException>(_parent.FishForMessage<ChildFailed>(_ => true).Cause);
        Assert.Contains("No such file or directory", failure.Message);
    }

    private IActorRef Start(ModemProfile profile)
    {
        var command = PppdCommand.Build(profile, Tty, "dongle", "/run/actorgateway");
        Sys.ActorOf(ForwardingParent.Props(PppSessionActor.Props("dongle", command, Tty, _runner, Handover, Clock), _parent.Ref, "ppp"));
        return _parent.ExpectMsg<ChildStarted>().Child;
    }

    /// <summary>The process started and the actor handled it (reading its output begins in that handler, before the timers).</summary>
    private async Task<FakeProcess> StartedAndFollowed(IActorRef ppp)
    {
        var process = await _runner.NextStartedAsync();
        await process.Followed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Settle(ppp);
        return process;
    }

    private sealed class ThrowingRunner(Exception failure, bool throwsBeforeTheTask) : IProcessRunner
    {
        public Task<IRunningProcess> StartAsync(ProcessSpec spec, CancellationToken cancellationToken) =>
            throwsBeforeTheTask ? throw failure : Task.FromException<IRunningProcess>(failure);
    }
}
