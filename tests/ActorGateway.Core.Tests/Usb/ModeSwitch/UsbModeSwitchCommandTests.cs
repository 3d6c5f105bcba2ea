using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Core.Tests.Usb.ModeSwitch;

public sealed class UsbModeSwitchCommandTests
{
    private const string Entry = "# Huawei, newer modems, and rebrandings\nTargetVendor=0x12d1\nTargetProductList=\"1001,1506\"\nHuaweiNewMode=1\n";

    [Fact]
    public void Build_should_name_exactly_this_device_and_pass_the_entry_verbatim()
    {
        var device = SeedDevices.HuaweiStorage;
        var entry = new ModeSwitchEntry("12d1:1446", "pack", device.Id, [], ModeSwitchConfig.Parse(Entry));

        var spec = UsbModeSwitchCommand.Build("/usr/sbin/usb_modeswitch", device, entry);

        Assert.Equal("/usr/sbin/usb_modeswitch", spec.Program);
        Assert.Equal(["-W", "-D", "-b", "1", "-g", "4", "-v", "12d1", "-p", "1446", "-f", Entry], spec.Arguments);
        Assert.DoesNotContain("-s", spec.Arguments); // its own success check is not trusted, so not waited for
    }

    [Theory]
    [InlineData(0, "ok:12d1:1506", ModeSwitchClaim.Switched)]
    [InlineData(0, "ok:busdev", ModeSwitchClaim.Sent)]
    [InlineData(0, "ok:no_data", ModeSwitchClaim.Sent)]
    [InlineData(0, "Mode switch has failed. Bye!", ModeSwitchClaim.ClaimsFailure)]
    [InlineData(0, " No devices in default mode found. Nothing to do. Bye!", ModeSwitchClaim.NoDevice)]
    [InlineData(0, "fail:", ModeSwitchClaim.Error)]
    [InlineData(1, "Error: could not get description string \"manufacturer\"", ModeSwitchClaim.Error)]
    public void Report_should_read_what_usb_modeswitch_claims(int exit, string line, ModeSwitchClaim claim)
    {
        var report = new ModeSwitchReport(exit, ["Look for default devices ...", line]);

        Assert.Equal(claim, report.Claim);
        Assert.Contains(line.Trim(), report.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_should_give_the_id_usb_modeswitch_saw_come_back() =>
        Assert.Equal(new UsbId(0x12d1, 0x1506), new ModeSwitchReport(0, ["ok:12d1:1506"]).ClaimedTarget);
}
