using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ActorGateway.Core.Usb;

/// <summary>A USB vendor:product pair as <c>lsusb</c> prints it, e.g. <c>12d1:1506</c> (the seed guide identifies devices this way).</summary>
public readonly record struct UsbId(ushort Vendor, ushort Product)
{
    public override string ToString() => $"{Vendor:x4}:{Product:x4}";

    /// <summary>Parses <c>vvvv:pppp</c> (hex, as lsusb and usb-modeswitch-data write it).</summary>
    public static UsbId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"\"{text}\" is not a USB id (vvvv:pppp in hex, e.g. 12d1:1506)");

    /// <summary>Parses <c>vvvv:pppp</c>; false when it is not one.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out UsbId id)
    {
        id = default;
        var parts = text?.Trim().Split(':');
        if (parts is not { Length: 2 } || !TryHex(parts[0], out var vendor) || !TryHex(parts[1], out var product))
        {
            return false;
        }

        id = new UsbId(vendor, product);
        return true;
    }

    /// <summary>
    /// The id from a uevent's <c>PRODUCT=</c> value, <c>vendor/product/bcdDevice</c> in hex without leading zeros
    /// (drivers/usb/core/driver.c usb_uevent: "PRODUCT=%x/%x/%x"), e.g. <c>421/54b/100</c>.
    /// </summary>
    public static UsbId? FromUeventProduct(string? value)
    {
        var parts = value?.Split('/');
        return parts is { Length: >= 2 } && TryHex(parts[0], out var vendor) && TryHex(parts[1], out var product)
            ? new UsbId(vendor, product)
            : null;
    }

    internal static bool TryHex(string? text, out ushort value)
    {
        value = 0;
        var t = text?.Trim() ?? string.Empty;
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            t = t[2..];
        }

        return t.Length is > 0 and <= 4 && ushort.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
