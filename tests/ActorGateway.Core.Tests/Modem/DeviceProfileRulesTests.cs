using ActorGateway.Core.Modem;
using ActorGateway.Core.Usb;

namespace ActorGateway.Core.Tests.Modem;

public sealed class DeviceProfileRulesTests
{
    private static readonly UsbId Huawei = new(0x12d1, 0x1506);

    private static readonly DeviceProfileRules Rules = new(
    [
        new DeviceRule("devices[0]", new DeviceMatch(Iccid: "89490200001234567890"), null, new ModemProfile { Apn = "work.example" }),
        new DeviceRule("devices[1]", new DeviceMatch(UsbId: Huawei), "dongle", new ModemProfile { Apn = "internet" }),
        new DeviceRule("devices[2]", new DeviceMatch(Imei: "351051041234566"), "nokia", new ModemProfile { Apn = "nokia.example" }),
    ]);

    [Fact]
    public void Find_should_follow_the_sim_once_its_iccid_is_known()
    {
        var before = Rules.Find(new DeviceFacts(Huawei));
        var after = Rules.Find(new DeviceFacts(Huawei, Imei: "861234027654329", Iccid: "89490200001234567890F"));

        Assert.Equal("devices[1]", before!.Name); // before the SIM is read: the stick's rule
        Assert.Equal("devices[0]", after!.Name);  // then the SIM's own rule comes first
    }

    [Fact]
    public void Find_should_match_a_modem_by_imei_whatever_its_usb_id()
    {
        Assert.Equal("nokia", Rules.Find(new DeviceFacts(new UsbId(0x0421, 0x054b), Imei: "351051041234566"))!.Id);
    }

    [Fact]
    public void Match_should_need_every_criterion_it_names()
    {
        var both = new DeviceMatch(UsbId: Huawei, UsbSerial: "ABC");

        Assert.True(both.Matches(new DeviceFacts(Huawei, "ABC")));
        Assert.False(both.Matches(new DeviceFacts(Huawei, "XYZ")));
        Assert.False(both.Matches(new DeviceFacts(Huawei)));
        Assert.False(new DeviceMatch().Matches(new DeviceFacts(Huawei)));
        Assert.True(new DeviceMatch(Iccid: "8949").NeedsSim);
    }
}
