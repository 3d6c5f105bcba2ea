using System.Text;

namespace ActorGateway.Core.Usb;

/// <summary>
/// One kernel uevent as it arrives on a NETLINK_KOBJECT_UEVENT socket (lib/kobject_uevent.c): a header
/// <c>ACTION@DEVPATH</c>, then <c>KEY=VALUE</c> strings, each ended by a NUL. <see cref="DevPath"/> is the sysfs path
/// without <c>/sys</c>. Actions: add, remove, change, move, online, offline, bind, unbind (Documentation/ABI/testing/sysfs-uevent).
/// </summary>
public sealed record Uevent(string Action, string DevPath, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>When it was read from the socket (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), for latency figures.</summary>
    public long ReceivedAt { get; init; }

    /// <summary><c>SUBSYSTEM</c>: usb, tty, net, usb-serial, scsi, block…</summary>
    public string? Subsystem => Get("SUBSYSTEM");

    /// <summary><c>DEVTYPE</c>: for usb, <c>usb_device</c> or <c>usb_interface</c>.</summary>
    public string? DevType => Get("DEVTYPE");

    /// <summary><c>SEQNUM</c>, the kernel's running event number.</summary>
    public long? SequenceNumber => long.TryParse(Get("SEQNUM"), out var n) ? n : null;

    /// <summary>True for the add or remove of a whole USB device (not one of its interfaces).</summary>
    public bool IsUsbDevice => Subsystem == "usb" && DevType == "usb_device";

    /// <summary>The last part of the path: <c>1-1.2</c>, <c>1-1.2:1.0</c>, <c>ttyUSB0</c>, <c>usb0</c>.</summary>
    public string Name => DevPath[(DevPath.LastIndexOf('/') + 1)..];

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? Get(string key) => Properties.TryGetValue(key, out var value) ? value : null;

    /// <summary>The uevent in the kernel's wire format (for tests and replay).</summary>
    public byte[] ToBytes()
    {
        var sb = new StringBuilder().Append(Action).Append('@').Append(DevPath).Append('\0');
        foreach (var (key, value) in Properties)
        {
            sb.Append(key).Append('=').Append(value).Append('\0');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public override string ToString() => $"{Action}@{DevPath} {string.Join(' ', Properties.Where(p => p.Key is "SUBSYSTEM" or "DEVTYPE" or "PRODUCT" or "DRIVER" or "INTERFACE" or "DEVNAME").Select(p => $"{p.Key}={p.Value}"))}";
}

/// <summary>Parses uevent datagrams; pure.</summary>
public static class UeventParser
{
    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal)
    {
        "add", "remove", "change", "move", "online", "offline", "bind", "unbind",
    };

    /// <summary>
    /// The uevent in <paramref name="datagram"/>, or null when it is not a kernel uevent: udev's re-broadcasts start with
    /// <c>libudev\0</c> and a binary header (they arrive only on group 2, which the gateway does not join, but a stray one
    /// must not be mistaken for a device), and anything without <c>ACTION@/path</c> is refused.
    /// </summary>
    public static Uevent? Parse(ReadOnlySpan<byte> datagram)
    {
        if (datagram.StartsWith("libudev\0"u8))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(datagram);
        var parts = text.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        var at = parts[0].IndexOf('@');
        if (at <= 0 || at + 1 >= parts[0].Length || parts[0][at + 1] != '/')
        {
            return null;
        }

        var action = parts[0][..at];
        if (!Actions.Contains(action))
        {
            return null;
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=');
            if (eq > 0)
            {
                properties.TryAdd(part[..eq], part[(eq + 1)..]);
            }
        }

        // The header and DEVPATH= say the same; the property is authoritative when both are there.
        var devPath = properties.TryGetValue("DEVPATH", out var p) && p.StartsWith('/') ? p : parts[0][(at + 1)..];
        return new Uevent(properties.GetValueOrDefault("ACTION", action), devPath, properties);
    }
}
