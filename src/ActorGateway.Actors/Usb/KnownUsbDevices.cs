using ActorGateway.Core.Modem;

namespace ActorGateway.Actors.Usb;

/// <summary>A device seen before, with the id it was given and what identifies it.</summary>
internal sealed record KnownUsbDevice(string Id, Core.Usb.UsbId? UsbId, string? Serial, string? Imei);

/// <summary>
/// Which device seen before a device is, so a renumbered or browned-out device keeps its id. The IMEI decides when
/// both sides know one: cheap sticks share one USB serial (Huawei's "0123456789ABCDEF"), so a USB serial only counts
/// when the IMEIs do not disagree, and when it names exactly one device that is not present elsewhere.
/// </summary>
internal static class KnownUsbDevices
{
    /// <summary>The known device <paramref name="facts"/> describe and what matched, or null; <paramref name="present"/> says whether an id is in use by another present device.</summary>
    public static (KnownUsbDevice Device, string MatchedBy)? Find(IReadOnlyList<KnownUsbDevice> known, DeviceFacts facts, Func<string, bool> present)
    {
        if (facts.Imei is { } imei && known.FirstOrDefault(k => k.Imei == imei) is { } byImei)
        {
            return (byImei, "IMEI");
        }

        if (facts.UsbSerial is not { } serial)
        {
            return null;
        }

        var bySerial = known.Where(k => k.Serial == serial && k.UsbId == facts.UsbId).ToList();
        if (bySerial.Count != 1 || bySerial[0] is not { } one)
        {
            return null; // none, or a serial several devices share: it says nothing about which one this is
        }

        return (one.Imei is not null && facts.Imei is not null) || present(one.Id) ? null : (one, "USB serial");
    }
}
