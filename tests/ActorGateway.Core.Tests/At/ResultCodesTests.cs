using ActorGateway.Core.At;

namespace ActorGateway.Core.Tests.At;

public class ResultCodesTests
{
    private static readonly string[] NoLines = [];

    [Theory]
    [InlineData("OK", AtOutcome.Ok)]
    [InlineData("ERROR", AtOutcome.Error)]
    [InlineData("NO CARRIER", AtOutcome.NoCarrier)]
    [InlineData("BUSY", AtOutcome.Busy)]
    [InlineData("NO ANSWER", AtOutcome.NoAnswer)]
    [InlineData("NO DIALTONE", AtOutcome.NoDialtone)]
    [InlineData("NO DIAL TONE", AtOutcome.NoDialtone)]
    [InlineData("CONNECT", AtOutcome.Connect)]
    [InlineData("ok", AtOutcome.Ok)]
    [InlineData("No Carrier", AtOutcome.NoCarrier)]
    public void ResultCodes_should_recognise_every_verbose_final_code(string line, AtOutcome outcome)
    {
        var response = ResultCodes.TryParse(line, NoLines, acceptNumeric: false);

        Assert.NotNull(response);
        Assert.Equal(outcome, response.Outcome);
        Assert.Null(response.ErrorCode);
    }

    [Fact]
    public void ResultCodes_should_carry_the_information_lines_into_the_response()
    {
        string[] lines = ["+CSQ: 20,99"];

        var response = ResultCodes.TryParse("OK", lines, acceptNumeric: false);

        Assert.Equal(lines, response!.Lines);
    }

    [Theory]
    [InlineData("CONNECT 7200000", "7200000")]
    [InlineData("CONNECT 115200/V42", "115200/V42")]
    [InlineData("connect  460800 ", "460800")]
    public void ResultCodes_should_take_CONNECT_with_text_and_keep_the_text(string line, string detail)
    {
        var response = ResultCodes.TryParse(line, NoLines, acceptNumeric: false);

        Assert.Equal(AtOutcome.Connect, response!.Outcome);
        Assert.Equal(detail, response.Detail);
    }

    [Theory]
    [InlineData("CONNECTED")]
    [InlineData("OKAY")]
    [InlineData("ERRORS")]
    [InlineData("+CSQ: 20,99")]
    [InlineData("RING")]
    [InlineData("")]
    public void ResultCodes_should_not_take_other_lines_for_final_codes(string line)
    {
        Assert.Null(ResultCodes.TryParse(line, NoLines, acceptNumeric: true));
    }

    [Fact]
    public void ResultCodes_should_read_a_numeric_CME_ERROR()
    {
        var response = ResultCodes.TryParse("+CME ERROR: 16", NoLines, acceptNumeric: false);

        Assert.Equal(AtOutcome.CmeError, response!.Outcome);
        Assert.Equal(CmeErrors.IncorrectPassword, response.ErrorCode);
        Assert.Equal("+CME ERROR: 16 (incorrect password)", response.Describe());
    }

    [Theory]
    [InlineData("+CME ERROR: SIM not inserted", CmeErrors.SimNotInserted)]
    [InlineData("+CME ERROR: SIM PIN required", CmeErrors.SimPinRequired)]
    [InlineData("+CME ERROR: SIM PUK required", CmeErrors.SimPukRequired)]
    [InlineData("+CME ERROR: incorrect password", CmeErrors.IncorrectPassword)]
    [InlineData("+CME ERROR: SIM busy", CmeErrors.SimBusy)]
    [InlineData("+CME ERROR: no network service", CmeErrors.NoNetworkService)]
    [InlineData("+cme error: Operation not allowed", CmeErrors.OperationNotAllowed)]
    public void ResultCodes_should_map_a_verbose_CME_ERROR_back_to_its_code(string line, int code)
    {
        var response = ResultCodes.TryParse(line, NoLines, acceptNumeric: false);

        Assert.Equal(AtOutcome.CmeError, response!.Outcome);
        Assert.Equal(code, response.ErrorCode);
    }

    [Fact]
    public void ResultCodes_should_keep_an_unknown_verbose_CME_ERROR_as_text()
    {
        var response = ResultCodes.TryParse("+CME ERROR: frobnicator overheated", NoLines, acceptNumeric: false);

        Assert.Equal(AtOutcome.CmeError, response!.Outcome);
        Assert.Null(response.ErrorCode);
        Assert.Equal("frobnicator overheated", response.Detail);
        Assert.Equal("+CME ERROR: frobnicator overheated", response.Describe());
    }

    [Fact]
    public void ResultCodes_should_read_a_CMS_ERROR_numeric_and_verbose()
    {
        var numeric = ResultCodes.TryParse("+CMS ERROR: 500", NoLines, acceptNumeric: false);
        var verbose = ResultCodes.TryParse("+CMS ERROR: unknown error", NoLines, acceptNumeric: false);

        Assert.Equal(AtOutcome.CmsError, numeric!.Outcome);
        Assert.Equal(500, numeric.ErrorCode);
        Assert.Equal(AtOutcome.CmsError, verbose!.Outcome);
        Assert.Null(verbose.ErrorCode);
        Assert.Equal("unknown error", verbose.Detail);
    }

    [Theory]
    [InlineData("COMMAND NOT SUPPORT")]
    [InlineData("TOO MANY PARAMETERS")]
    [InlineData("Command Not Support")]
    public void ResultCodes_should_take_vendor_error_spellings_as_ERROR(string line)
    {
        var response = ResultCodes.TryParse(line, NoLines, acceptNumeric: false);

        Assert.Equal(AtOutcome.Error, response!.Outcome);
        Assert.Equal(line.ToUpperInvariant(), response.Detail);
    }

    [Theory]
    [InlineData("0", AtOutcome.Ok)]
    [InlineData("1", AtOutcome.Connect)]
    [InlineData("3", AtOutcome.NoCarrier)]
    [InlineData("4", AtOutcome.Error)]
    [InlineData("6", AtOutcome.NoDialtone)]
    [InlineData("7", AtOutcome.Busy)]
    [InlineData("8", AtOutcome.NoAnswer)]
    public void ResultCodes_should_accept_numeric_codes_only_when_asked(string line, AtOutcome outcome)
    {
        Assert.Equal(outcome, ResultCodes.TryParse(line, NoLines, acceptNumeric: true)!.Outcome);
        Assert.Null(ResultCodes.TryParse(line, NoLines, acceptNumeric: false));
    }

    [Theory]
    [InlineData("2")] // RING: an unsolicited code, not a final one
    [InlineData("5")]
    [InlineData("9")]
    [InlineData("00")]
    public void ResultCodes_should_not_take_other_digits_for_numeric_codes(string line)
    {
        Assert.Null(ResultCodes.TryParse(line, NoLines, acceptNumeric: true));
    }
}
