namespace ActorGateway.Simulation.Tests;

public sealed class SimIdentifiersTests
{
    [Theory]

    // ModemManager's test_iccid_parse_quoted_swap_19_digit / unquoted_swap_20_digit cases, read backwards.
    [InlineData("8944200053671052499", "984402003576012594F9")]
    [InlineData("89324102234690160476", "98231420326409614067")]
    public void ToSwappedBcd_should_encode_EF_ICCID_like_the_card(string iccid, string raw)
    {
        Assert.Equal(raw, SimIdentifiers.ToSwappedBcd(iccid));
    }

    [Theory]
    [InlineData("490154203237518", true)]
    [InlineData("490154203237519", false)]
    public void HasValidLuhn_should_check_the_last_digit(string digits, bool valid)
    {
        Assert.Equal(valid, SimIdentifiers.HasValidLuhn(digits));
    }
}
