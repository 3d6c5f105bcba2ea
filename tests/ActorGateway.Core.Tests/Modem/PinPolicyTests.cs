using ActorGateway.Core.Modem;

namespace ActorGateway.Core.Tests.Modem;

public class PinPolicyTests
{
    private const string Pin = "1234";
    private static readonly string PinHashed = PinHash.Create(Pin);
    private static readonly DateTimeOffset Before = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Before.AddMinutes(3);

    private static PinVerdict Verdict(PinAttemptState state, int? before, int? after = null) =>
        new(PinHashed, state, before, after, Before);

    private static PinDecision.Refuse Refused(PinDecision decision)
    {
        var refuse = Assert.IsType<PinDecision.Refuse>(decision);
        Assert.DoesNotContain(Pin, refuse.Reason);
        return refuse;
    }

    [Fact]
    public void PinPolicy_should_refuse_when_no_PIN_is_configured()
    {
        var refuse = Refused(PinPolicy.Decide(string.Empty, null, 3, allowLastTry: true, Now));

        Assert.Contains("none is configured", refuse.Reason);
        Assert.Null(refuse.NewVerdict);
    }

    [Fact]
    public void PinPolicy_should_send_a_PIN_to_a_SIM_with_tries_to_spare()
    {
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide(Pin, null, 3, allowLastTry: false, Now));
    }

    [Fact]
    public void PinPolicy_should_send_when_the_tries_are_unknown_and_nothing_was_pending()
    {
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide(Pin, null, null, allowLastTry: false, Now));
    }

    [Fact]
    public void PinPolicy_should_never_send_a_rejected_PIN_again()
    {
        var refuse = Refused(PinPolicy.Decide(Pin, Verdict(PinAttemptState.Rejected, 3, 2), 2, allowLastTry: true, Now));

        Assert.Contains("PIN rejected, 2 tries left", refuse.Reason);
        Assert.Contains("will not be sent again", refuse.Reason);
        Assert.Null(refuse.NewVerdict);
    }

    [Fact]
    public void PinPolicy_should_tell_the_tries_left_now_when_the_rejected_verdict_has_none()
    {
        var refuse = Refused(PinPolicy.Decide(Pin, Verdict(PinAttemptState.Rejected, null, null), 1, allowLastTry: true, Now));

        Assert.Contains("PIN rejected, 1 try left", refuse.Reason);
    }

    [Fact]
    public void PinPolicy_should_send_a_changed_PIN_after_a_rejection()
    {
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide("4321", Verdict(PinAttemptState.Rejected, 3, 2), 2, allowLastTry: false, Now));
    }

    [Fact]
    public void PinPolicy_should_judge_a_lost_attempt_rejected_when_the_SIM_counted_it()
    {
        var pending = Verdict(PinAttemptState.Pending, 3);

        var refuse = Refused(PinPolicy.Decide(Pin, pending, 2, allowLastTry: true, Now));

        Assert.Contains("2 tries left", refuse.Reason);
        Assert.Equal(pending with { State = PinAttemptState.Rejected, TriesAfter = 2, At = Now }, refuse.NewVerdict);
    }

    [Fact]
    public void PinPolicy_should_send_again_when_a_lost_attempt_did_not_cost_a_try()
    {
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide(Pin, Verdict(PinAttemptState.Pending, 3), 3, allowLastTry: false, Now));
    }

    [Fact]
    public void PinPolicy_should_send_again_when_the_tries_went_up_since_a_lost_attempt()
    {
        // The SIM was unblocked by hand with its PUK in the meantime.
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide(Pin, Verdict(PinAttemptState.Pending, 1), 3, allowLastTry: false, Now));
    }

    [Fact]
    public void PinPolicy_should_refuse_a_lost_attempt_when_the_tries_cannot_be_read()
    {
        var refuse = Refused(PinPolicy.Decide(Pin, Verdict(PinAttemptState.Pending, 3), null, allowLastTry: true, Now));

        Assert.Contains("cannot tell how many tries are left", refuse.Reason);
        Assert.Null(refuse.NewVerdict);
    }

    [Fact]
    public void PinPolicy_should_refuse_a_lost_attempt_whose_tries_before_were_unknown()
    {
        Refused(PinPolicy.Decide(Pin, Verdict(PinAttemptState.Pending, null), 3, allowLastTry: true, Now));
    }

    [Fact]
    public void PinPolicy_should_treat_a_pending_attempt_with_another_PIN_as_no_verdict()
    {
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide("4321", Verdict(PinAttemptState.Pending, 3), null, allowLastTry: false, Now));
    }

    [Fact]
    public void PinPolicy_should_send_an_accepted_PIN_again()
    {
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide(Pin, Verdict(PinAttemptState.Accepted, 3, 3), 3, allowLastTry: false, Now));
    }

    [Fact]
    public void PinPolicy_should_not_risk_the_last_try_unless_allowed()
    {
        var refuse = Refused(PinPolicy.Decide(Pin, null, 1, allowLastTry: false, Now));

        Assert.Contains("only one PIN try left", refuse.Reason);
        Assert.Same(PinDecision.Send.Instance, PinPolicy.Decide(Pin, null, 1, allowLastTry: true, Now));
    }

    [Fact]
    public void PinPolicy_should_refuse_when_no_tries_are_left_even_if_the_last_try_is_allowed()
    {
        var refuse = Refused(PinPolicy.Decide(Pin, null, 0, allowLastTry: true, Now));

        Assert.Contains("needs its PUK", refuse.Reason);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData(1, ", 1 try left")]
    [InlineData(0, ", 0 tries left")]
    [InlineData(3, ", 3 tries left")]
    public void PinPolicy_should_word_the_tries_left(int? tries, string text)
    {
        Assert.Equal(text, PinPolicy.TriesText(tries));
    }
}
