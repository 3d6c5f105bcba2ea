using ActorGateway.Core.Modem;

namespace ActorGateway.Core.Tests.Modem;

public class SimVerdictKeysTests
{
    private const string Pin = "4711";
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public void SimVerdictKeys_should_keep_a_verdict_under_the_iccid_the_imei_and_the_device()
    {
        var keys = SimVerdictKeys.For("89441000301234567890", "861234027654329", "dongle");

        Assert.Equal(3, keys.All.Count);
        Assert.StartsWith("iccid-", keys.IccidKey, StringComparison.Ordinal);
        Assert.Equal(["imei-", "device-"], keys.OtherKeys.Select(k => k[..(k.IndexOf('-') + 1)]));
        Assert.All(keys.All, k => Assert.DoesNotContain("89441000301234567890", k, StringComparison.Ordinal));
    }

    [Fact]
    public void SimVerdictKeys_should_apply_a_verdict_written_without_an_iccid_to_the_sim_once_its_iccid_is_known()
    {
        var unknownIccid = SimVerdictKeys.For(null, "861234027654329", "dongle");
        var rejected = unknownIccid.Stamp(new PinVerdict(PinHash.Create(Pin), PinAttemptState.Rejected, 3, 2, At));
        var found = unknownIccid.All.ToDictionary(k => k, _ => rejected);

        var known = SimVerdictKeys.For("89441000301234567890", "861234027654329", "dongle");

        Assert.Equal(PinAttemptState.Rejected, known.Applicable(found, Pin)?.State);
    }

    [Fact]
    public void SimVerdictKeys_should_ignore_another_sims_verdict_left_under_the_same_modem()
    {
        var other = SimVerdictKeys.For("89441000300000000001", "861234027654329", "dongle");
        var rejected = other.Stamp(new PinVerdict(PinHash.Create(Pin), PinAttemptState.Rejected, 3, 2, At));
        var found = other.OtherKeys.ToDictionary(k => k, _ => rejected);

        var mine = SimVerdictKeys.For("89441000301234567890", "861234027654329", "dongle");

        Assert.Null(mine.Applicable(found, Pin));
    }

    [Fact]
    public void SimVerdictKeys_should_prefer_a_rejection_over_an_acceptance_of_the_same_pin()
    {
        var keys = SimVerdictKeys.For("89441000301234567890", "861234027654329", "dongle");
        var found = new Dictionary<string, PinVerdict>
        {
            [keys.IccidKey!] = keys.Stamp(new PinVerdict(PinHash.Create(Pin), PinAttemptState.Accepted, 3, 3, At)),
            [keys.OtherKeys[0]] = keys.Stamp(new PinVerdict(PinHash.Create(Pin), PinAttemptState.Rejected, 3, 2, At)),
        };

        Assert.Equal(PinAttemptState.Rejected, keys.Applicable(found, Pin)?.State);
    }
}
