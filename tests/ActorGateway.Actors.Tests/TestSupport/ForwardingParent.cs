using Akka.Actor;

namespace ActorGateway.Actors.Tests.TestSupport;

/// <summary>
/// Stands in for the parent of the actor under test: creates it, tells the target its ref, forwards what the
/// child says to the target (the child stays the sender), forwards everything else to the child, and reports a
/// child's failure to the target (then stops the child, as the real parents do).
/// </summary>
public sealed class ForwardingParent : ReceiveActor
{
    private readonly IActorRef _target;

    public ForwardingParent(Props child, IActorRef target, string name)
    {
        _target = target;
        var created = Context.ActorOf(child, name);
        target.Tell(new ChildStarted(created));
        ReceiveAny(m =>
        {
            if (Sender.Equals(created))
            {
                _target.Forward(m);
            }
            else
            {
                created.Forward(m);
            }
        });
    }

    public static Props Props(Props child, IActorRef target, string name = "child") =>
        Akka.Actor.Props.Create(() => new ForwardingParent(child, target, name));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        e =>
        {
            _target.Tell(new ChildFailed(e));
            return Directive.Stop;
        },
        false);
}

/// <summary>The child was created.</summary>
public sealed record ChildStarted(IActorRef Child);

/// <summary>The child failed with this exception and was stopped.</summary>
public sealed record ChildFailed(Exception Cause);
