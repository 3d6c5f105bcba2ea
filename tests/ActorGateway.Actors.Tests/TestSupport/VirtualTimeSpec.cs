using ActorGateway.Actors.Testing;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit;
using Xunit.Abstractions;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>
/// A TestKit whose scheduler is Akka's <see cref="TestScheduler"/>: every timer, timeout and backoff in the
/// actors under test moves only when a spec calls <see cref="Advance"/>. Real time is used only to wait for
/// asynchronous message delivery.
/// </summary>
public abstract class VirtualTimeSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string BaseConfig = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = DEBUG
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """;

    protected VirtualTimeSpec(ITestOutputHelper output, string? extraConfig = null)
        : base(ConfigurationFactory.ParseString(extraConfig ?? string.Empty).WithFallback(BaseConfig), output: output)
    {
        Clock = new SchedulerTimeProvider(Sys.Scheduler);
    }

    /// <summary>The virtual clock, for components that take a <see cref="TimeProvider"/>.</summary>
    protected TimeProvider Clock { get; }

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    /// <summary>Moves virtual time forward; due timers fire (their messages are delivered asynchronously).</summary>
    protected void Advance(TimeSpan by) => Scheduler.Advance(by);

    /// <summary>
    /// Waits until each actor has processed everything already in its mailbox (an <see cref="Identify"/>
    /// round trip), so that timers its last message started are known to be scheduled before time moves.
    /// </summary>
    protected void Settle(params IActorRef[] actors)
    {
        foreach (var actor in actors)
        {
            actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        }
    }

    /// <summary>Collects every log event from now on (the sink is thread-safe).</summary>
    protected LogCapture CaptureLogs()
    {
        var capture = new LogCapture();
        var listener = Sys.ActorOf(Props.Create(() => new LogCaptureActor(capture)));
        Sys.EventStream.Subscribe(listener, typeof(LogEvent));
        return capture;
    }

    private sealed class LogCaptureActor : ReceiveActor
    {
        public LogCaptureActor(LogCapture capture) => Receive<LogEvent>(capture.Add);
    }
}

/// <summary>Log events seen on the event stream, rendered as text.</summary>
public sealed class LogCapture
{
    private readonly List<LogEvent> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<LogEvent> Events
    {
        get { lock (_gate) { return [.. _events]; } }
    }

    /// <summary>Every event as text, with the message and the cause.</summary>
    public IReadOnlyList<string> Texts => [.. Events.Select(Render)];

    public static string Render(LogEvent e) => $"{e.LogLevel()} {e.Message} {e.Cause}";

    internal void Add(LogEvent e)
    {
        lock (_gate)
        {
            _events.Add(e);
        }
    }
}
