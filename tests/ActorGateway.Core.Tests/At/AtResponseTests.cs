using ActorGateway.Core.At;

namespace ActorGateway.Core.Tests.At;

public class AtResponseTests
{
    [Fact]
    public void AtResponse_should_find_the_first_line_with_a_prefix_and_strip_it()
    {
        var response = new AtResponse(AtOutcome.Ok, ["^RSSI:3", "+CSQ: 20,99", "+CSQ: 1,1"]);

        Assert.Equal("20,99", response.Find("+CSQ:"));
        Assert.Equal("20,99", response.Find("+csq:"));
        Assert.Null(response.Find("+CREG:"));
    }

    [Theory]
    [InlineData(AtOutcome.Ok, null, null, "OK")]
    [InlineData(AtOutcome.Connect, null, "7200000", "CONNECT 7200000")]
    [InlineData(AtOutcome.Connect, null, null, "CONNECT")]
    [InlineData(AtOutcome.Error, null, "COMMAND NOT SUPPORT", "COMMAND NOT SUPPORT")]
    [InlineData(AtOutcome.Error, null, null, "ERROR")]
    [InlineData(AtOutcome.CmeError, 10, "10", "+CME ERROR: 10 (SIM not inserted)")]
    [InlineData(AtOutcome.CmeError, 999, "999", "+CME ERROR: 999 (error 999)")]
    [InlineData(AtOutcome.CmsError, 500, "500", "+CMS ERROR: 500")]
    [InlineData(AtOutcome.NoCarrier, null, null, "NO CARRIER")]
    [InlineData(AtOutcome.Timeout, null, null, "no answer (timeout)")]
    [InlineData(AtOutcome.Aborted, null, "port closed", "aborted: port closed")]
    public void AtResponse_should_describe_itself_for_logs(AtOutcome outcome, int? code, string? detail, string expected)
    {
        Assert.Equal(expected, new AtResponse(outcome, [], code, detail).Describe());
    }

    [Fact]
    public void AtResponse_should_be_ok_only_for_OK()
    {
        Assert.True(new AtResponse(AtOutcome.Ok, []).IsOk);
        Assert.False(new AtResponse(AtOutcome.Error, []).IsOk);
        Assert.False(AtResponse.Timeout([]).IsOk);
    }

    [Fact]
    public void CmeErrors_should_map_texts_and_codes_both_ways()
    {
        Assert.Equal("SIM PUK required", CmeErrors.Describe(CmeErrors.SimPukRequired));
        Assert.Equal(CmeErrors.SimPukRequired, CmeErrors.FromText(" sim puk required "));
        Assert.Null(CmeErrors.FromText("no such error"));
    }
}
