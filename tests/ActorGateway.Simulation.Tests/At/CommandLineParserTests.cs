using ActorGateway.Simulation.At;

namespace ActorGateway.Simulation.Tests.At;

public sealed class CommandLineParserTests
{
    [Fact]
    public void Parse_should_split_the_seed_init_line_into_basic_and_extended_commands()
    {
        var commands = CommandLineParser.Parse("Q0 V1 E1 S0=0 &C1 &D2 +FCLASS=0");

        Assert.NotNull(commands);
        Assert.Equal(
            [
                new AtCommand("Q", AtAccess.Action, "", 0),
                new AtCommand("V", AtAccess.Action, "", 1),
                new AtCommand("E", AtAccess.Action, "", 1),
                new AtCommand("S", AtAccess.Set, "0", 0),
                new AtCommand("&C", AtAccess.Action, "", 1),
                new AtCommand("&D", AtAccess.Action, "", 2),
                new AtCommand("+FCLASS", AtAccess.Set, "0"),
            ],
            commands);
    }

    [Fact]
    public void Parse_should_recognise_the_four_extended_forms_and_keep_quoted_text()
    {
        var commands = CommandLineParser.Parse("+cgmi;+CPIN?;+CREG=?;+cgdcont=1,\"IP\",\"Internet apn\"");

        Assert.Equal(
            [
                new AtCommand("+CGMI", AtAccess.Action),
                new AtCommand("+CPIN", AtAccess.Read),
                new AtCommand("+CREG", AtAccess.Test),
                new AtCommand("+CGDCONT", AtAccess.Set, "1,\"IP\",\"Internet apn\""),
            ],
            commands);
    }

    [Fact]
    public void Parse_should_give_D_the_rest_of_the_line()
    {
        Assert.Equal([new AtCommand("D", AtAccess.Action, "T*99#")], CommandLineParser.Parse("DT*99#"));
        Assert.Equal([new AtCommand("E", AtAccess.Action, "", 0), new AtCommand("D", AtAccess.Action, "*99***1#")], CommandLineParser.Parse("E0D*99***1#"));
    }

    [Fact]
    public void Parse_should_accept_huawei_caret_commands()
    {
        Assert.Equal([new AtCommand("^ICCID", AtAccess.Read)], CommandLineParser.Parse("^ICCID?"));
    }

    [Fact]
    public void Parse_should_reject_a_basic_command_glued_to_an_extended_one()
    {
        Assert.Null(CommandLineParser.Parse("+CPIN? E0"));
        Assert.Null(CommandLineParser.Parse("!"));
    }

    [Fact]
    public void SplitArguments_should_split_at_commas_outside_quotes()
    {
        Assert.Equal(["SC", "0", "0,000"], CommandLineParser.SplitArguments("\"SC\",0,\"0,000\""));
        Assert.Equal(["1", "", "x"], CommandLineParser.SplitArguments("1,,\"x\""));
    }
}
