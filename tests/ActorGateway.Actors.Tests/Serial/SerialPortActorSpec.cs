using ActorGateway.Actors.Serial;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Core.Io;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.Serial;

public sealed class SerialPortActorSpec : VirtualTimeSpec
{
    private const string Path = "/dev/ttyUSB0";
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private readonly ScriptedConnection _line = new(Path);
    private readonly TestProbe _parent;

    public SerialPortActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _parent = CreateTestProbe("parent");
    }

    [Fact]
    public async Task SerialPort_should_open_with_the_options_and_pass_bytes_both_ways()
    {
        var opener = new ScriptedPortOpener(_line);
        var port = Start(opener, new SerialPortOptions(Path, 460800, FlowControl.RtsCtsAndXonXoff));
        Assert.Equal(Path, _parent.ExpectMsg<SerialPort.Opened>().Path);
        Assert.Equal(new SerialPortOptions(Path, 460800, FlowControl.RtsCtsAndXonXoff), Assert.Single(opener.Opened));

        port.Tell(new SerialPort.Write("AT\r"u8.ToArray()));
        Assert.Equal("AT\r", await _line.NextWriteAsync());
        _line.Feed("\r\nOK\r\n");
        Assert.Equal("\r\nOK\r\n"u8.ToArray(), _parent.ExpectMsg<SerialPort.Received>().Bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SerialPort_should_fail_with_a_serial_port_exception_naming_the_port_when_it_cannot_open(bool throwsBeforeTheTask)
    {
        Start(new FailingOpener(new UnauthorizedAccessException("Permission denied"), throwsBeforeTheTask), new SerialPortOptions(Path));

        var failure = Assert.IsType<SerialPortException>(_parent.FishForMessage<ChildFailed>(_ => true).Cause);
        Assert.Equal(Path, failure.Port);
        Assert.Contains("Permission denied", failure.Message);
    }

    [Fact]
    public async Task SerialPort_should_hold_writes_until_the_line_is_open()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = Start(new ScriptedPortOpener(_line) { HoldOpen = hold }, new SerialPortOptions(Path));
        port.Tell(new SerialPort.Write("ATZ\r"u8.ToArray()));
        Settle(port);
        Assert.True(_line.NothingWritten);

        hold.SetResult();

        Assert.Equal("ATZ\r", await _line.NextWriteAsync());
    }

    [Fact]
    public async Task SerialPort_should_keep_the_line_open_but_stop_reading_after_release_for_handover()
    {
        var port = Start(new ScriptedPortOpener(_line), new SerialPortOptions(Path));
        _parent.ExpectMsg<SerialPort.Opened>();
        var asker = CreateTestProbe();

        port.Tell(SerialPort.ReleaseForHandover.Instance, asker.Ref);

        Assert.Equal(Path, asker.ExpectMsg<SerialPort.Released>().Path);
        Assert.True(_line.Released);
        Assert.Equal(0, _line.DisposeCount); // DTR must stay up until pppd has the tty

        // Whatever the old read loop still delivers is pppd's now, and a read error no longer fails the port.
        _line.Feed("~\u00ff}#");
        _line.FailReads(new IOException("EIO"));
        _parent.ExpectNoMsg(Quiet);

        Watch(port);
        Sys.Stop(port);
        ExpectTerminated(port);
        await _line.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task SerialPort_should_close_the_line_exactly_once_when_it_fails()
    {
        Start(new ScriptedPortOpener(_line), new SerialPortOptions(Path));
        _parent.ExpectMsg<SerialPort.Opened>();

        _line.Feed([]); // a read of 0 bytes: end of file, the device is gone

        var failure = Assert.IsType<SerialPortException>(_parent.FishForMessage<ChildFailed>(_ => true).Cause);
        Assert.Contains("end of file", failure.Message);
        await _line.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, _line.DisposeCount);
    }

    private IActorRef Start(ISerialPortOpener opener, SerialPortOptions options)
    {
        Sys.ActorOf(ForwardingParent.Props(SerialPortActor.Props(opener, options), _parent.Ref, "port"));
        return _parent.ExpectMsg<ChildStarted>().Child;
    }

    private sealed class FailingOpener(Exception failure, bool throwsBeforeTheTask) : ISerialPortOpener
    {
        public Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken) =>
            throwsBeforeTheTask ? throw failure : Task.FromException<ISerialConnection>(failure);
    }
}
