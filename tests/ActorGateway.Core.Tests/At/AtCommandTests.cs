using ActorGateway.Core.At;

namespace ActorGateway.Core.Tests.At;

public class AtCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData("AT+CSQ", "+CSQ:")]
    [InlineData("AT+CREG?", "+CREG:")]
    [InlineData("AT+cpin?", "+CPIN:")]
    [InlineData("AT+CGDCONT=1,\"IP\",\"internet\"", "+CGDCONT:")]
    [InlineData("AT^SYSINFO", "^SYSINFO:")]
    [InlineData("AT+CPINR=\"SIM PIN\"", "+CPINR:")]
    [InlineData("ATZ", null)]
    [InlineData("AT", null)]
    [InlineData("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", null)]
    [InlineData("ATDT*99#", null)]
    public void AtCommand_should_derive_the_response_prefix_of_extended_commands(string text, string? prefix)
    {
        Assert.Equal(prefix, new AtCommand(text, Timeout).ResponsePrefix);
    }

    [Theory]
    [InlineData("ATDT*99#", true)]
    [InlineData("ATD*99***1#", true)]
    [InlineData("AT D*99#", true)]
    [InlineData("ATA", true)]
    [InlineData("ATO", true)]
    [InlineData("ATZ", false)]
    [InlineData("AT+CSQ", false)]
    [InlineData("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", false)]
    public void AtCommand_should_know_which_commands_may_answer_CONNECT(string text, bool canConnect)
    {
        Assert.Equal(canConnect, new AtCommand(text, Timeout).CanConnect);
    }

    [Theory]
    [InlineData("AT", true)]
    [InlineData("ATZ", true)]
    [InlineData("ATE0", true)]
    [InlineData("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", true)]
    [InlineData("AT+CSQ", false)]
    [InlineData("AT^SYSINFO", false)]
    [InlineData("AT$QCPDPP=1", false)]
    [InlineData("AT!GSTATUS?", false)]
    public void AtCommand_should_accept_numeric_results_only_for_basic_commands(string text, bool accepts)
    {
        Assert.Equal(accepts, new AtCommand(text, Timeout).AcceptsNumericResult);
    }

    [Fact]
    public void AtCommand_should_trim_the_text()
    {
        Assert.Equal("AT+CSQ", new AtCommand("  AT+CSQ ", Timeout).Text);
    }

    [Theory]
    [InlineData("AT+CSQ\r")]
    [InlineData("AT\nATZ")]
    [InlineData("")]
    [InlineData("   ")]
    public void AtCommand_should_refuse_text_that_is_not_one_line(string text)
    {
        Assert.ThrowsAny<ArgumentException>(() => new AtCommand(text, Timeout));
    }

    [Fact]
    public void AtCommand_should_not_show_the_PIN_when_it_refuses_a_multi_line_command()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new AtCommand("AT+CPIN=\"4711\"\r\nAT", Timeout));

        Assert.DoesNotContain("4711", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AtCommand_should_refuse_a_timeout_that_is_not_positive(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AtCommand("AT", TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void AtCommand_should_mark_PIN_commands_sensitive_and_mask_them_in_logs()
    {
        var command = new AtCommand("AT+CPIN=\"4711\"", Timeout);

        Assert.True(command.IsSensitive);
        Assert.DoesNotContain("4711", command.ForLog);
        Assert.DoesNotContain("4711", command.ToString());
        Assert.Equal("AT+CPIN=\"4711\"", command.Text);
    }

    [Fact]
    public void AtCommand_should_log_ordinary_commands_as_they_are()
    {
        var command = new AtCommand("AT+CPIN?", Timeout);

        Assert.False(command.IsSensitive);
        Assert.Equal("AT+CPIN?", command.ForLog);
    }

    [Fact]
    public void AtCommand_should_stay_sensitive_when_the_caller_says_so()
    {
        var command = new AtCommand("AT+XSECRET=1", Timeout, isSensitive: true);

        Assert.True(command.IsSensitive);
    }
}
