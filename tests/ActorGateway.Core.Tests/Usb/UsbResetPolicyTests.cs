using ActorGateway.Core.Usb;

namespace ActorGateway.Core.Tests.Usb;

public sealed class UsbResetPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly UsbResetPolicy _policy = new(true, TimeSpan.FromSeconds(60), 3, TimeSpan.FromMinutes(30));

    [Fact]
    public void Ledger_should_allow_a_first_reset_at_once()
    {
        Assert.Equal(new UsbResetDecision.Now(1), new UsbResetLedger().Decide(_policy, T0));
    }

    [Fact]
    public void Ledger_should_hold_resets_apart_by_the_minimum_hold_time()
    {
        var ledger = new UsbResetLedger().Record(_policy, T0);

        Assert.Equal(new UsbResetDecision.After(TimeSpan.FromSeconds(50), 2), ledger.Decide(_policy, T0.AddSeconds(10)));
        Assert.Equal(new UsbResetDecision.Now(2), ledger.Decide(_policy, T0.AddSeconds(60)));
    }

    [Fact]
    public void Ledger_should_give_up_after_the_cap()
    {
        var ledger = new UsbResetLedger();
        for (var i = 0; i < 3; i++)
        {
            ledger = ledger.Record(_policy, T0.AddMinutes(i * 2));
        }

        var decision = Assert.IsType<UsbResetDecision.GiveUp>(ledger.Decide(_policy, T0.AddMinutes(10)));
        Assert.Contains("3 USB resets", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ledger_should_forget_resets_after_a_good_run()
    {
        var ledger = new UsbResetLedger(3, T0);

        Assert.Equal(new UsbResetDecision.Now(1), ledger.Decide(_policy, T0 + TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void Ledger_should_never_reset_when_resets_are_off() =>
        Assert.IsType<UsbResetDecision.GiveUp>(new UsbResetLedger().Decide(_policy with { Enabled = false }, T0));
}
