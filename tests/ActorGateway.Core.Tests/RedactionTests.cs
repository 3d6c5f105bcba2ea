namespace ActorGateway.Core.Tests;

public class RedactionTests
{
    [Theory]
    [InlineData("AT+CPIN=\"1234\"", "AT+CPIN=****")]
    [InlineData("AT+CPIN=1234", "AT+CPIN=****")]
    [InlineData("at+cpin=\"1234\"", "at+cpin=****")]
    [InlineData("AT+CLCK=\"SC\",0,\"1234\"", "AT+CLCK=****")]
    [InlineData("AT+CMEE=2;+CPIN=\"1234\"", "AT+CMEE=****")]
    [InlineData("AT+CGAUTH=1,1,user,secret", "AT+CGAUTH=****")]
    public void Redaction_should_mask_the_PIN_in_a_command(string command, string masked)
    {
        var redacted = Redaction.Command(command);

        Assert.Equal(masked, redacted);
        Assert.DoesNotContain("1234", redacted);
    }

    [Fact]
    public void Redaction_should_mask_the_PUK_and_the_new_PIN()
    {
        var redacted = Redaction.Command("AT+CPIN=\"87654321\",\"4321\"");

        Assert.DoesNotContain("87654321", redacted);
        Assert.DoesNotContain("4321", redacted);
        Assert.StartsWith("AT+CPIN=", redacted);
    }

    [Theory]
    [InlineData("AT+CPWD=\"SC\",\"1234\",\"5678\"")]
    [InlineData("AT+CPIN2=\"1234\"")]
    [InlineData("AT^CPIN=\"1234\"")]
    [InlineData("AT+CGAUTH=1,1,\"user\",\"1234\"")]
    [InlineData("AT^AUTHDATA=1,2,\"\",\"1234\",\"user\"")]
    [InlineData("AT+QICSGP=1,1,\"internet\",\"user\",\"1234\",1")]
    [InlineData("AT$QCPDPP=1,1,\"1234\",\"user\"")]
    public void Redaction_should_mask_passwords_in_every_sensitive_command(string command)
    {
        Assert.True(Redaction.IsSensitiveCommand(command));
        Assert.DoesNotContain("1234", Redaction.Command(command));
    }

    [Theory]
    [InlineData("AT+CPIN?")]
    [InlineData("AT+CSQ")]
    [InlineData("AT+CGDCONT=1,\"IP\",\"internet\"")]
    [InlineData("ATDT*99#")]
    public void Redaction_should_leave_ordinary_commands_alone(string command)
    {
        Assert.False(Redaction.IsSensitiveCommand(command));
        Assert.Equal(command, Redaction.Command(command));
    }

    [Theory]
    [InlineData("001010123456789", "00101**********")]
    [InlineData(" 26201123456789 ", "26201*********")]
    [InlineData("12345", Redaction.Mask)]
    [InlineData("", Redaction.Mask)]
    public void Redaction_should_keep_only_the_network_part_of_an_IMSI(string imsi, string masked)
    {
        Assert.Equal(masked, Redaction.Imsi(imsi));
    }

    [Theory]
    [InlineData("AT+CIMI", "001010123456789", "00101**********")]
    [InlineData("AT^CIMI", "001010123456789", "00101**********")]
    [InlineData(null, "+CIMI: 001010123456789", "+CIMI: 00101**********")]
    [InlineData("AT+CIMI", "OK", "OK")]
    public void Redaction_should_mask_the_IMSI_in_an_answer_to_CIMI(string? command, string line, string masked)
    {
        Assert.Equal(masked, Redaction.ResponseLine(command, line));
    }

    [Theory]
    [InlineData("AT+CGSN", "351234567890123")]
    [InlineData("AT+CCID", "+CCID: 89014103211118510720")]
    [InlineData("AT+CSQ", "+CSQ: 20,99")]
    [InlineData(null, "351234567890123")]
    public void Redaction_should_leave_the_IMEI_and_other_answers_alone(string? command, string line)
    {
        Assert.Equal(line, Redaction.ResponseLine(command, line));
    }
}
