using System.Diagnostics;
using ActorGateway.Core.Io;
using ActorGateway.Core.Usb;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Usb;

/// <summary>
/// Finds a device's AT port: asks all its ttys at once (one <see cref="PortProbeActor"/> each), so a silent port costs
/// its few short tries once, not per port — ModemManager gives a silent port 3 s × 6 tries; this aims at well under a
/// second per device. The AT port is the first port, in the order the port map suggests, that answered; the data port
/// is the map's PPP port when it answered too. It decides as soon as no port still pending could change the answer,
/// tells its parent the <see cref="ProbeOutcome"/>, and stops — its port actors stop with it, closing every port
/// before the modem's own device opens them.
/// </summary>
public sealed class UsbProbeActor : ReceiveActor, IWithTimers
{
    private const string DeadlineTimer = "deadline";

    private readonly IReadOnlyList<UsbSerialPort> _order;
    private readonly Dictionary<string, PortVerdict> _verdicts = new(StringComparer.Ordinal);
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly string _devDirectory;
    private readonly ISerialPortOpener _opener;
    private readonly TimeSpan _timeout;
    private readonly int _tries;
    private readonly int _baud;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _done;

    public UsbProbeActor(IReadOnlyList<UsbSerialPort> order, string devDirectory, ISerialPortOpener opener, TimeSpan timeout, int tries, int baud)
    {
        _order = order;
        _devDirectory = devDirectory;
        _opener = opener;
        _timeout = timeout;
        _tries = tries;
        _baud = baud;
        Receive<PortVerdict>(m =>
        {
            _verdicts[m.Tty] = m;
            Evaluate(final: false);
        });
        Receive<Deadline>(_ => Evaluate(final: true));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<UsbSerialPort> order, string devDirectory, ISerialPortOpener opener, TimeSpan timeout, int tries, int baud) =>
        Akka.Actor.Props.Create(() => new UsbProbeActor(order, devDirectory, opener, timeout, tries, baud));

    protected override void PreStart()
    {
        foreach (var port in _order)
        {
            var options = new SerialPortOptions(Path.Combine(_devDirectory, port.Tty), _baud, FlowControl.None);
            Context.ActorOf(PortProbeActor.Props(port.Tty, options, _opener, _timeout, _tries), $"probe-{port.Tty}");
        }

        // Every try of every port, plus room for the opens: after this a port that said nothing counts as silent.
        Timers.StartSingleTimer(DeadlineTimer, Deadline.Instance, (_timeout * (_tries + 2)) + TimeSpan.FromSeconds(1));
        Evaluate(final: _order.Count == 0);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Warning("A port probe failed unexpectedly ({Error}); that port counts as unavailable", e.Message);
        return Directive.Stop;
    }, false);

    private void Evaluate(bool final)
    {
        if (_done)
        {
            return;
        }

        // The AT port: the first in probe order that answered, once every port before it has a verdict.
        UsbSerialPort? at = null;
        var decided = true;
        foreach (var port in _order)
        {
            if (!_verdicts.TryGetValue(port.Tty, out var verdict))
            {
                decided = final;
                if (!final)
                {
                    break;
                }

                continue;
            }

            if (verdict.Kind == PortVerdictKind.Answers)
            {
                at = port;
                break;
            }
        }

        if (!decided && !final)
        {
            return;
        }

        // The data port: the map's PPP port when the AT port is another one, once it has answered.
        UsbSerialPort? data = null;
        if (at is { Hint: PortRoleHint.AtPrimary }
            && _order.FirstOrDefault(p => p.Hint == PortRoleHint.AtPpp && p.Tty != at.Tty) is { } ppp)
        {
            if (!_verdicts.TryGetValue(ppp.Tty, out var pppVerdict) && !final)
            {
                return; // wait for it
            }

            if (pppVerdict?.Kind == PortVerdictKind.Answers)
            {
                data = ppp;
            }
            else
            {
                _log.Warning("{Tty} is the modem's PPP port by its port map but {Kind}; the call goes on {PppPort}",
                    ppp.Tty, pppVerdict is null ? "gave no verdict" : pppVerdict.Kind.ToString().ToLowerInvariant(), at.Tty);
            }
        }

        _done = true;
        Timers.CancelAll();
        var verdicts = _order.Select(p => _verdicts.TryGetValue(p.Tty, out var v) ? v
            : final ? new PortVerdict(p.Tty, PortVerdictKind.Silent, "no verdict before the deadline")
            : new PortVerdict(p.Tty, PortVerdictKind.NotNeeded, string.Empty)).ToList();
        var imei = (at is null ? null : _verdicts[at.Tty].Imei) ?? verdicts.FirstOrDefault(v => v.Imei is not null)?.Imei;
        Context.Parent.Tell(new ProbeOutcome(at, data, imei, verdicts, Stopwatch.GetElapsedTime(_started)));
        Context.Stop(Self);
    }

    private sealed record Deadline
    {
        public static readonly Deadline Instance = new();
    }
}
