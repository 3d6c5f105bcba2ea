using System.Diagnostics;
using System.Text;
using ActorGateway.Actors.Serial;
using ActorGateway.Core.At;
using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Usb;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Usb;

/// <summary>
/// Asks one tty <c>AT</c>, the seed guide's minicom test without minicom: opens it through its own
/// <see cref="SerialPortActor"/> (so the port is closed when this actor stops, always), writes <c>AT\r</c> up to
/// <c>tries</c> times with a short timeout each, and judges the bytes with <see cref="AtProbeReply"/>: an answer, or
/// NULs and binary (rejected at once). A port that answers is asked <c>AT+CGSN</c> too, so the device's identity is
/// known before it is named. Tells its parent a <see cref="PortVerdict"/> and stops.
/// </summary>
public sealed class PortProbeActor : ReceiveActor, IWithTimers
{
    private const string TryTimer = "try";

    private readonly string _tty;
    private readonly SerialPortOptions _options;
    private readonly ISerialPortOpener _opener;
    private readonly TimeSpan _timeout;
    private readonly int _tries;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<byte> _received = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private IActorRef _port = ActorRefs.Nobody;
    private int _try;
    private bool _done;

    public PortProbeActor(string tty, SerialPortOptions options, ISerialPortOpener opener, TimeSpan timeout, int tries)
    {
        _tty = tty;
        _options = options;
        _opener = opener;
        _timeout = timeout;
        _tries = tries;
        Opening();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string tty, SerialPortOptions options, ISerialPortOpener opener, TimeSpan timeout, int tries) =>
        Akka.Actor.Props.Create(() => new PortProbeActor(tty, options, opener, timeout, tries));

    protected override void PreStart() => _port = Context.ActorOf(SerialPortActor.Props(_opener, _options), "port");

    /// <summary>The port's failures (cannot open: held, gone) end the probe of this port with a verdict, never a crash.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Debug("Probe of {Port}: {Error}", _options.Path, e.Message);
        Verdict(PortVerdictKind.Unavailable, e is SerialPortException ? StripPort(e.Message) : e.Message);
        return Directive.Stop;
    }, false);

    private void Opening()
    {
        Receive<SerialPort.Opened>(_ =>
        {
            Become(AskingAt);
            SendAt();
        });
    }

    private void AskingAt()
    {
        Receive<SerialPort.Received>(m =>
        {
            _received.AddRange(m.Bytes);
            switch (AtProbeReply.Judge(_received.ToArray()))
            {
                case AtProbeVerdict.Garbage:
                    Verdict(PortVerdictKind.Garbage, "NULs or binary");
                    break;
                case AtProbeVerdict.Answers:
                    // Who it is, while the port is open anyway: the IMEI names the device across renumbering.
                    _received.Clear();
                    _try = 0;
                    Become(AskingImei);
                    Write("AT+CGSN\r");
                    break;
            }
        });
        Receive<TryTimedOut>(_ =>
        {
            if (AtProbeReply.Judge(_received.ToArray(), timedOut: true) == AtProbeVerdict.Garbage)
            {
                Verdict(PortVerdictKind.Garbage, "binary, no answer");
                return;
            }

            if (_try >= _tries)
            {
                Verdict(PortVerdictKind.Silent, $"no answer to {_tries} × AT");
                return;
            }

            SendAt();
        });
    }

    private void AskingImei()
    {
        Receive<SerialPort.Received>(m =>
        {
            _received.AddRange(m.Bytes);
            if (AtProbeReply.Judge(_received.ToArray()) == AtProbeVerdict.Answers)
            {
                var lines = AtProbeReply.Lines(_received.ToArray()).Where(l => !l.StartsWith("AT", StringComparison.OrdinalIgnoreCase)).ToList();
                Verdict(PortVerdictKind.Answers, string.Empty, Responses.ParseImei(new AtResponse(AtOutcome.Ok, lines)));
            }
        });
        Receive<TryTimedOut>(_ => Verdict(PortVerdictKind.Answers, "no answer to AT+CGSN"));
    }

    private void SendAt()
    {
        _try++;
        Write("AT\r");
    }

    private void Write(string text)
    {
        _port.Tell(new SerialPort.Write(Encoding.ASCII.GetBytes(text)));
        Timers.StartSingleTimer(TryTimer, TryTimedOut.Instance, _timeout);
    }

    private void Verdict(PortVerdictKind kind, string detail, string? imei = null)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        Timers.CancelAll();
        Context.Parent.Tell(new PortVerdict(_tty, kind, detail, imei, Stopwatch.GetElapsedTime(_started)));
        Context.Stop(Self);
    }

    private string StripPort(string message) =>
        message.StartsWith(_options.Path + ": ", StringComparison.Ordinal) ? message[(_options.Path.Length + 2)..] : message;

    private sealed record TryTimedOut
    {
        public static readonly TryTimedOut Instance = new();
    }
}
