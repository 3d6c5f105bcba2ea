using ActorGateway.Core.Modem;

namespace ActorGateway.Core.Tests.Modem;

public class PinHashTests
{
    // Eight digits: a four-digit PIN could turn up in the base64 of a random salt by chance.
    private const string Pin = "73519264";
    private const string Iccid = "8944110068256270054";
    private const string Imei = "351234567890123";

    [Fact]
    public void PinHash_should_never_contain_the_PIN()
    {
        var hash = PinHash.Create(Pin);

        Assert.DoesNotContain(Pin, hash);
        Assert.StartsWith("pbkdf2-sha256$", hash);
    }

    [Fact]
    public void PinHash_should_be_salted_so_two_hashes_of_one_PIN_differ()
    {
        var first = PinHash.Create(Pin);
        var second = PinHash.Create(Pin);

        Assert.NotEqual(first, second);
        Assert.True(PinHash.Matches(first, Pin));
        Assert.True(PinHash.Matches(second, Pin));
    }

    [Theory]
    [InlineData("73519265")]
    [InlineData("7351926")]
    [InlineData("")]
    [InlineData(" 73519264")]
    public void PinHash_should_not_match_another_PIN(string other)
    {
        Assert.False(PinHash.Matches(PinHash.Create(Pin), other));
    }

    [Theory]
    [InlineData("")]
    [InlineData("73519264")]
    [InlineData("sha1$1$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$many$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$not base64!")]
    [InlineData("pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("pbkdf2-sha256$-5$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AA==")]
    [InlineData("pbkdf2-sha256$2000000000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("pbkdf2-sha256$1000$AAAA$AAAA$AAAA")]
    public void PinHash_should_not_match_a_malformed_stored_hash(string stored)
    {
        // A damaged verdict file must not crash the PIN decision; it simply matches nothing.
        Assert.False(PinHash.Matches(stored, Pin));
    }

    [Fact]
    public void PinHash_should_key_a_SIM_by_its_ICCID_without_showing_it()
    {
        var key = PinHash.SimKey(Iccid, Imei, "modem0");

        Assert.StartsWith("iccid-", key);
        Assert.DoesNotContain(Iccid, key);
        Assert.DoesNotContain(Imei, key);
        Assert.Equal("iccid-".Length + 24, key.Length);
    }

    [Fact]
    public void PinHash_should_key_a_SIM_the_same_in_another_modem()
    {
        Assert.Equal(PinHash.SimKey(Iccid, Imei, "modem0"), PinHash.SimKey(Iccid, "867530912345678", "modem1"));
    }

    [Fact]
    public void PinHash_should_key_different_SIMs_differently()
    {
        Assert.NotEqual(PinHash.SimKey(Iccid, Imei, "modem0"), PinHash.SimKey("89014103211118510720", Imei, "modem0"));
    }

    [Fact]
    public void PinHash_should_fall_back_to_the_IMEI_and_then_the_device()
    {
        var byImei = PinHash.SimKey(null, Imei, "modem0");
        var byEmptyIccid = PinHash.SimKey(string.Empty, Imei, "modem0");
        var byDevice = PinHash.SimKey(null, null, "modem0");

        Assert.StartsWith("imei-", byImei);
        Assert.DoesNotContain(Imei, byImei);
        Assert.Equal(byImei, byEmptyIccid);
        Assert.StartsWith("device-", byDevice);
        Assert.NotEqual(PinHash.SimKey(null, null, "modem1"), byDevice);
    }

    [Fact]
    public void PinHash_should_not_confuse_an_IMEI_key_with_an_ICCID_key_of_the_same_digits()
    {
        Assert.NotEqual(PinHash.SimKey(Imei, null, "d"), PinHash.SimKey(null, Imei, "d"));
    }
}
