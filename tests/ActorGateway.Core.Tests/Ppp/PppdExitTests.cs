using ActorGateway.Core.Ppp;

namespace ActorGateway.Core.Tests.Ppp;

public class PppdExitTests
{
    [Fact]
    public void PppdExit_should_point_at_dev_ppp_when_the_kernel_lacks_PPP()
    {
        var text = PppdExit.Describe(4);

        Assert.Contains("/dev/ppp", text);
        Assert.Contains("ppp_generic", text);
    }

    [Fact]
    public void PppdExit_should_describe_every_documented_status()
    {
        foreach (var code in Enum.GetValues<PppdExitCode>())
        {
            Assert.DoesNotContain("exited with status", PppdExit.Describe((int)code));
        }
    }

    [Fact]
    public void PppdExit_should_describe_an_undocumented_status_by_number()
    {
        Assert.Equal("pppd exited with status 42", PppdExit.Describe(42));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(19, true)]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(8, false)]
    [InlineData(10, false)]
    [InlineData(15, false)]
    [InlineData(16, false)]
    [InlineData(42, false)]
    public void PppdExit_should_know_which_exits_need_an_outside_change(int code, bool needsChange)
    {
        Assert.Equal(needsChange, PppdExit.NeedsOutsideChange(code));
    }
}
