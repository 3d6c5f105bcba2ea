namespace ActorGateway.Core.Usb;

/// <summary>
/// How far the gateway goes to revive a USB modem whose ports stopped answering: a USB reset, but not again before
/// <see cref="MinHold"/> has passed since the last one (hardware reset too eagerly breaks — vintage_net_mobile holds
/// its power-cycles apart the same way), and at most <see cref="MaxResets"/> before the device is reported dead until
/// it is replugged. A device that then works for <see cref="ForgetAfter"/> starts with a clean slate.
/// </summary>
public sealed record UsbResetPolicy(bool Enabled, TimeSpan MinHold, int MaxResets, TimeSpan ForgetAfter)
{
    /// <summary>On, 60 s apart, 3 resets, forgotten after 30 min of good work.</summary>
    public static UsbResetPolicy Default { get; } = new(true, TimeSpan.FromSeconds(60), 3, TimeSpan.FromMinutes(30));
}

/// <summary>What to do about a device that stopped answering.</summary>
public abstract record UsbResetDecision
{
    private UsbResetDecision()
    {
    }

    /// <summary>Reset it now.</summary>
    public sealed record Now(int Attempt) : UsbResetDecision;

    /// <summary>Reset it, but only after <paramref name="Delay"/> (the hold time since the last reset).</summary>
    public sealed record After(TimeSpan Delay, int Attempt) : UsbResetDecision;

    /// <summary>No more resets: report it dead until it is replugged.</summary>
    public sealed record GiveUp(string Reason) : UsbResetDecision;
}

/// <summary>The resets done to one device (kept by identity, so a brown-out or renumbering does not wipe it). Pure.</summary>
public sealed record UsbResetLedger(int Count = 0, DateTimeOffset? Last = null)
{
    /// <summary>What <paramref name="policy"/> says now.</summary>
    public UsbResetDecision Decide(UsbResetPolicy policy, DateTimeOffset now)
    {
        var ledger = Current(policy, now);
        if (!policy.Enabled)
        {
            return new UsbResetDecision.GiveUp("USB resets are off (actorgateway.usb.reset.enabled)");
        }

        if (ledger.Count >= policy.MaxResets)
        {
            return new UsbResetDecision.GiveUp($"it still does not answer after {ledger.Count} USB reset{(ledger.Count == 1 ? string.Empty : "s")}");
        }

        if (ledger.Last is { } last && now - last < policy.MinHold)
        {
            return new UsbResetDecision.After(policy.MinHold - (now - last), ledger.Count + 1);
        }

        return new UsbResetDecision.Now(ledger.Count + 1);
    }

    /// <summary>The ledger after a reset at <paramref name="now"/>.</summary>
    public UsbResetLedger Record(UsbResetPolicy policy, DateTimeOffset now) => Current(policy, now) with { Count = Current(policy, now).Count + 1, Last = now };

    /// <summary>The ledger with old resets forgotten: nothing went wrong for <see cref="UsbResetPolicy.ForgetAfter"/>.</summary>
    public UsbResetLedger Current(UsbResetPolicy policy, DateTimeOffset now) =>
        Last is { } last && now - last >= policy.ForgetAfter ? new UsbResetLedger() : this;
}
