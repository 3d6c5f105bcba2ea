using ActorGateway.Actors.Serial;
using ActorGateway.Core;
using ActorGateway.Core.At;
using ActorGateway.Core.Io;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.At;

/// <summary>
/// The AT conversation on one serial line. It owns the line's <see cref="SerialPortActor"/> as its child
/// and carries out what the pure <see cref="AtChat"/> core decides: writes, one command timer, answers to
/// whoever asked, and unsolicited result codes to every subscriber. A failure of the line is escalated
/// to the device, which decides what the loss of its port means.
/// </summary>
public sealed class AtChannelActor : ReceiveActor, IWithTimers, IWithStash
{
    private const string CommandTimer = "command";

    private readonly SerialPortOptions _options;
    private readonly ISerialPortOpener _opener;
    private readonly AtChat _chat;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, IActorRef> _waiting = [];
    private readonly HashSet<IActorRef> _subscribers = [];
    private IActorRef _port = ActorRefs.Nobody;
    private long _nextId;

    public AtChannelActor(ISerialPortOpener opener, SerialPortOptions options, UnsolicitedCodes urcs)
    {
        _opener = opener;
        _options = options;
        _chat = new AtChat(urcs);
        Opening();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(ISerialPortOpener opener, SerialPortOptions options, UnsolicitedCodes urcs) =>
        Akka.Actor.Props.Create(() => new AtChannelActor(opener, options, urcs));

    protected override void PreStart()
    {
        _port = Context.ActorOf(SerialPortActor.Props(_opener, _options), "port");
    }

    protected override void PostStop()
    {
        // Nobody waits forever on a line that is gone.
        Carry(_chat.Abort($"{_options.Path} closed"));
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        e =>
        {
            _log.Warning("Serial line {Port} failed ({Error}); escalating to the device", _options.Path, e.Message);
            return Directive.Escalate;
        },
        false);

    private void Opening()
    {
        Receive<SerialPort.Opened>(_ =>
        {
            Context.Parent.Tell(new AtChannel.Ready(_options.Path));
            Become(CommandMode);
            Stash.UnstashAll();
        });
        Receive<AtChannel.Subscribe>(m => Subscribe(m.Subscriber));
        Receive<AtChannel.Unsubscribe>(m => _subscribers.Remove(m.Subscriber));
        Receive<Terminated>(m => _subscribers.Remove(m.ActorRef));
        ReceiveAny(_ => Stash.Stash());
    }

    private void CommandMode()
    {
        Receive<AtChannel.Send>(m =>
        {
            var id = ++_nextId;
            _waiting[id] = Sender;
            _log.Debug("{Port} <- {Command}", _options.Path, m.Command.ForLog);
            Carry(_chat.Submit(id, m.Command));
        });
        Receive<SerialPort.Received>(m => Carry(_chat.Receive(m.Bytes)));
        Receive<CommandTimedOut>(m => Carry(_chat.TimedOut(m.Id)));
        Receive<AtChannel.Subscribe>(m => Subscribe(m.Subscriber));
        Receive<AtChannel.Unsubscribe>(m => _subscribers.Remove(m.Subscriber));
        Receive<Terminated>(m => _subscribers.Remove(m.ActorRef));
        Receive<AtChannel.ReleaseForHandover>(_ => _port.Forward(SerialPort.ReleaseForHandover.Instance));
        Receive<AtChannel.SendRaw>(m =>
        {
            _log.Debug("{Port} <- raw {Bytes} bytes", _options.Path, m.Bytes.Length);
            _port.Tell(new SerialPort.Write(m.Bytes));
        });
    }

    private void DataMode()
    {
        Receive<AtChannel.Send>(m => Sender.Tell(new AtChannel.Response(m.Command, AtResponse.Aborted($"{_options.Path} carries a data call"))));
        Receive<SerialPort.Received>(_ => { });
        Receive<CommandTimedOut>(_ => { });
        Receive<AtChannel.Subscribe>(m => Subscribe(m.Subscriber));
        Receive<AtChannel.Unsubscribe>(m => _subscribers.Remove(m.Subscriber));
        Receive<Terminated>(m => _subscribers.Remove(m.ActorRef));
        Receive<AtChannel.ReleaseForHandover>(_ => _port.Forward(SerialPort.ReleaseForHandover.Instance));
        Receive<AtChannel.LeaveDataMode>(_ =>
        {
            Carry(_chat.LeaveDataMode());
            Become(CommandMode);
        });
    }

    private void Subscribe(IActorRef subscriber)
    {
        if (_subscribers.Add(subscriber))
        {
            Context.Watch(subscriber);
        }
    }

    private void Carry(IReadOnlyList<AtAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case AtAction.Write w:
                    _port.Tell(new SerialPort.Write(w.Bytes));
                    break;
                case AtAction.ArmTimeout t:
                    Timers.StartSingleTimer(CommandTimer, new CommandTimedOut(t.Id), t.After);
                    break;
                case AtAction.DisarmTimeout:
                    Timers.Cancel(CommandTimer);
                    break;
                case AtAction.Complete c:
                    LogCompletion(c);
                    if (_waiting.Remove(c.Id, out var asker))
                    {
                        asker.Tell(new AtChannel.Response(c.Command, c.Response));
                    }

                    break;
                case AtAction.Unsolicited u:
                    _log.Debug("{Port} URC {Line}", _options.Path, u.Line);
                    foreach (var subscriber in _subscribers)
                    {
                        subscriber.Tell(new AtChannel.Unsolicited(u.Line, u.SecondLine));
                    }

                    break;
                case AtAction.Stray s:
                    _log.Debug("{Port} stray line ignored: {Command}", _options.Path, Redaction.Command(s.Line));
                    break;
                case AtAction.Garbage g:
                    _log.Debug("{Port} garbage ignored: {Command}", _options.Path, Redaction.Command(g.Line.Length > 80 ? g.Line[..80] + "…" : g.Line));
                    break;
                case AtAction.EnteredDataMode d:
                    _log.Info("{Port} is in data mode", _options.Path);
                    Become(DataMode);
                    Context.Parent.Tell(new AtChannel.DataMode(d.Remainder));
                    break;
            }
        }
    }

    private void LogCompletion(AtAction.Complete c)
    {
        if (!_log.IsDebugEnabled)
        {
            return;
        }

        var lines = c.Response.Lines.Select(l => Redaction.Command(Redaction.ResponseLine(c.Command.Text, l)));
        _log.Debug("{Port} -> {Command}: {Lines}{Result}", _options.Path, c.Command.ForLog, string.Join(" | ", lines), c.Response.Lines.Count > 0 ? " | " + c.Response.Describe() : c.Response.Describe());
    }

    private sealed record CommandTimedOut(long Id);
}

/// <summary>The public protocol of <see cref="AtChannelActor"/>.</summary>
public static class AtChannel
{
    /// <summary>Run a command; the sender gets a <see cref="Response"/>.</summary>
    public sealed record Send(AtCommand Command);

    /// <summary>The answer to <see cref="Send"/>.</summary>
    public sealed record Response(AtCommand Command, AtResponse Result);

    /// <summary>Receive every <see cref="Unsolicited"/> code from now on.</summary>
    public sealed record Subscribe(IActorRef Subscriber);

    /// <summary>Stop receiving unsolicited codes.</summary>
    public sealed record Unsubscribe(IActorRef Subscriber);

    /// <summary>An unsolicited result code, with the second line of a two-line one.</summary>
    public sealed record Unsolicited(string Line, string? SecondLine);

    /// <summary>To the parent: the line is open and takes commands.</summary>
    public sealed record Ready(string Path);

    /// <summary>To the parent: <c>CONNECT</c> was received and the line carries data now.</summary>
    public sealed record DataMode(byte[] Remainder);

    /// <summary>Stop reading and let pppd open the tty; the sender gets <see cref="SerialPort.Released"/>.</summary>
    public sealed record ReleaseForHandover
    {
        public static readonly ReleaseForHandover Instance = new();
    }

    /// <summary>
    /// Write bytes as they are, outside the conversation: the V.250 escape sequence (<c>+++</c>, which must not be
    /// followed by a carriage return) that brings a modem left in data mode back to command mode.
    /// </summary>
    public sealed record SendRaw(byte[] Bytes);

    /// <summary>The call is over and the line takes commands again.</summary>
    public sealed record LeaveDataMode
    {
        public static readonly LeaveDataMode Instance = new();
    }
}
