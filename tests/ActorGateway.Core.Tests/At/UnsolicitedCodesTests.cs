using ActorGateway.Core.At;

namespace ActorGateway.Core.Tests.At;

public class UnsolicitedCodesTests
{
    [Theory]
    [InlineData("RING")]
    [InlineData("+CREG: 1")]
    [InlineData("+CGREG: 1,\"00C3\",\"0001EA4F\",2")]
    [InlineData("+CEREG: 5")]
    [InlineData("^RSSI:18")]
    [InlineData("^MODE:5,4")]
    [InlineData("^BOOT:20437583,0,0,0,77")]
    [InlineData("^DSFLOWRPT:0000037E,00000000,00000000,00000000000001E6,00000000000001A3,0003E800,0003E800")]
    [InlineData("^SIMST:1")]
    [InlineData("^SYSSTART")]
    [InlineData("+CMTI: \"SM\",3")]
    [InlineData("RDY")]
    [InlineData("SMS Ready")]
    [InlineData("+cpin: READY")]
    [InlineData("+PACSP0")]
    public void UnsolicitedCodes_should_recognise_standard_and_vendor_URCs(string line)
    {
        Assert.True(UnsolicitedCodes.Default.IsUnsolicited(line));
    }

    [Theory]
    [InlineData("RINGING")]
    [InlineData("RDYX")]
    [InlineData("OK")]
    [InlineData("+CSQ: 20,99")]
    [InlineData("huawei")]
    [InlineData("")]
    public void UnsolicitedCodes_should_not_take_other_lines_for_URCs(string line)
    {
        Assert.False(UnsolicitedCodes.Default.IsUnsolicited(line));
    }

    [Fact]
    public void UnsolicitedCodes_should_recognise_extra_prefixes_from_a_profile()
    {
        var urcs = new UnsolicitedCodes(["+XVENDOR:"]);

        Assert.True(urcs.IsUnsolicited("+XVENDOR: 1"));
        Assert.True(urcs.IsUnsolicited("RING"));
        Assert.False(UnsolicitedCodes.Default.IsUnsolicited("+XVENDOR: 1"));
    }

    [Theory]
    [InlineData("+CMT: ,24", true)]
    [InlineData("+CDS: 25", true)]
    [InlineData("+CBM: 88", true)]
    [InlineData("+CMTI: \"SM\",3", false)]
    [InlineData("RING", false)]
    public void UnsolicitedCodes_should_know_the_two_line_URCs(string line, bool twoLines)
    {
        Assert.Equal(twoLines, UnsolicitedCodes.HasSecondLine(line));
    }
}
