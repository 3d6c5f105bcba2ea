using ActorGateway.Core.At;
using ActorGateway.Core.Modem;

namespace ActorGateway.Core.Tests.Modem;

public class ModemProfileTests
{
    [Fact]
    public void ModemProfile_should_default_to_the_seed_guides_wvdial_settings()
    {
        var profile = new ModemProfile();

        Assert.Equal(["ATZ", "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0"], profile.Init);
        Assert.Equal("*99#", profile.Number);
        Assert.Equal(115200, profile.BaudRate);
        Assert.Empty(profile.Username);
        Assert.Empty(profile.Password);
    }

    [Fact]
    public void ModemProfile_should_not_risk_the_last_PIN_try_by_default()
    {
        Assert.False(new ModemProfile().AllowLastPinTry);
    }

    [Fact]
    public void ModemProfile_should_have_init_commands_the_chat_accepts()
    {
        foreach (var line in new ModemProfile().Init)
        {
            var command = new AtCommand(line, new ModemTimeouts().Command);

            Assert.False(command.IsSensitive);
            Assert.False(command.CanConnect);
            Assert.True(command.AcceptsNumericResult);
        }
    }
}
