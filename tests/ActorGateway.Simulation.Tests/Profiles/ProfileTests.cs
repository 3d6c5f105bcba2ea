using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests.Profiles;

public sealed class ProfileTests
{
    public static TheoryData<string> Names => ["nokia", "huawei", "generic"];

    private static ModemProfile ByName(string name) => name switch
    {
        "nokia" => NokiaC2_01.Profile,
        "huawei" => HuaweiE367.Profile,
        _ => Generic3gppModem.Profile,
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Profile_should_carry_well_formed_identifiers(string name)
    {
        var profile = ByName(name);

        Assert.True(SimIdentifiers.HasValidLuhn(profile.Imei) && profile.Imei.Length == 15, profile.Imei);
        Assert.True(SimIdentifiers.IsValidIccid(profile.DefaultIccid), profile.DefaultIccid);
        Assert.StartsWith("00101", profile.DefaultImsi);
        Assert.Single(profile.Ports, p => p.Role == PortRole.At);
    }

    [Fact]
    public void Seed_devices_should_have_the_seed_USB_ids_and_ttys()
    {
        Assert.Equal("0421:054b", NokiaC2_01.Profile.Usb.ToString());
        Assert.Equal(["ttyACM0"], NokiaC2_01.Profile.Ports.Select(p => p.Name));
        Assert.Equal("12d1:1506", HuaweiE367.Profile.Usb.ToString());
        Assert.Equal("12d1:1446", HuaweiE367.Profile.UsbBeforeModeSwitch.ToString());
        Assert.Equal(3, HuaweiE367.Profile.Ports.Count);
    }
}
