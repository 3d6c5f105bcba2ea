using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Core.Tests.Usb.ModeSwitch;

public sealed class ModeSwitchConfigTests
{
    // The seed guide's /etc/usb_modeswitch.conf block for the E367, verbatim.
    private const string SeedBlock = """
        ########################################################
        # Huawei E367
        EnableLogging=1
        DefaultVendor= 0x12d1
        DefaultProduct=0x1506
        TargetVendor= 0x12d1
        TargetProductList="1001,1406,140b,140c,1412,141b,14ac,1506"
        CheckSuccess=20
        MessageEndpoint= 0x01
        MessageContent="55534243123456780000000000000011062000000100000000000000000000"
        ##############################################################
        """;

    [Fact]
    public void Parse_should_read_the_seed_guides_block_as_usb_modeswitch_does()
    {
        var c = ModeSwitchConfig.Parse(SeedBlock);

        Assert.True(c.IsUsable);
        Assert.Equal((ushort)0x12d1, c.TargetVendor);
        Assert.Equal(new ushort[] { 0x1001, 0x1406, 0x140b, 0x140c, 0x1412, 0x141b, 0x14ac, 0x1506 }, c.TargetProducts);
        Assert.Equal(["MessageContent"], c.Methods);
        Assert.Equal("0x01", c.Values["MessageEndpoint"].Trim());
        // EnableLogging belongs to /etc/usb_modeswitch.conf (the dispatcher's global file), not to a device entry.
        Assert.Contains(c.Warnings, w => w.Contains("unknown key EnableLogging", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TargetProdutList", "TargetProductList")]
    [InlineData("targetvendor", "TargetVendor")]
    [InlineData("HuaweiNewmode", "HuaweiNewMode")]
    [InlineData("MesageContent", "MessageContent")]
    public void Parse_should_warn_about_a_misspelled_key_usb_modeswitch_would_ignore(string typo, string meant)
    {
        var c = ModeSwitchConfig.Parse($"TargetVendor=0x12d1\nTargetProduct=0x1506\n{typo}=1\n");

        var warning = Assert.Single(c.Warnings, w => w.Contains(typo, StringComparison.Ordinal));
        Assert.Contains($"did you mean {meant}?", warning, StringComparison.Ordinal);
        Assert.Contains("ignores it without a word", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_should_take_the_first_of_a_repeated_key_and_say_so()
    {
        var c = ModeSwitchConfig.Parse("TargetVendor=0x12d1\nTargetVendor=0x19d2\nTargetProduct=0x1506\nStandardEject=1\n");

        Assert.Equal((ushort)0x12d1, c.TargetVendor);
        Assert.Contains(c.Warnings, w => w.Contains("set again", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_should_skip_lines_with_a_comment_mark_before_the_equals_sign()
    {
        var c = ModeSwitchConfig.Parse("# TargetVendor=0x1111\n;TargetProduct=0x2222\n!StandardEject=1\nTargetVendor=0x12d1 # trailing\nTargetProduct=0x1506\nOptionMode=1\n");

        Assert.Equal((ushort)0x12d1, c.TargetVendor);
        Assert.Equal(new ushort[] { 0x1506 }, c.TargetProducts);
        Assert.Equal(["OptionMode"], c.Methods);
    }

    [Fact]
    public void Parse_should_let_TargetProductList_override_TargetProduct()
    {
        var c = ModeSwitchConfig.Parse("TargetVendor=0x12d1\nTargetProduct=0x1001\nTargetProductList=\"1506,150c\"\nHuaweiNewMode=1\n");

        Assert.Equal(new ushort[] { 0x1506, 0x150c }, c.TargetProducts);
        Assert.Contains(c.Warnings, w => w.Contains("overrides TargetProduct", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TargetVendor=0xZZZZ\nTargetProduct=0x1\nStandardEject=1", "TargetVendor")]
    [InlineData("TargetVendor=0x12d1\nTargetProductList=\"1506,nope\"\nStandardEject=1", "TargetProductList")]
    [InlineData("TargetVendor=0x12d1\nTargetProduct=0x1506\nMessageContent=\"5553424\"", "MessageContent")]
    [InlineData("TargetVendor=0x12d1\nTargetProduct=0x1506\nMessageContent=\"55534243", "missing end quote")]
    public void Parse_should_make_a_broken_entry_unusable(string text, string problem)
    {
        var c = ModeSwitchConfig.Parse(text);

        Assert.False(c.IsUsable);
        Assert.Contains(c.Errors, e => e.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void IsTarget_should_judge_by_target_ids_or_by_class_for_devices_that_keep_their_id()
    {
        var storage = new UsbId(0x12d1, 0x1446);
        var byId = ModeSwitchConfig.Parse("TargetVendor=0x12d1\nTargetProductList=\"1001,1506\"\nHuaweiNewMode=1");
        var byClass = ModeSwitchConfig.Parse("TargetClass=0xff\nStandardEject=1");
        var byAbsence = ModeSwitchConfig.Parse("StandardEject=1");

        Assert.True(byId.IsTarget(storage, new UsbId(0x12d1, 0x1506), 0xff));
        Assert.False(byId.IsTarget(storage, storage, 0x08));
        Assert.True(byClass.IsTarget(storage, storage, 0xff));
        Assert.False(byClass.IsTarget(storage, storage, 0x08));
        Assert.True(byAbsence.IsTarget(storage, new UsbId(0x12d1, 0x1001), null));
    }
}
