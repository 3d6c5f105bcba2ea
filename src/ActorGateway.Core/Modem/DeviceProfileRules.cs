using ActorGateway.Core.Usb;

namespace ActorGateway.Core.Modem;

/// <summary>What is known of a device at some point: its USB identity from sysfs, then its IMEI, then its SIM's ICCID.</summary>
public sealed record DeviceFacts(UsbId? UsbId = null, string? UsbSerial = null, string? Imei = null, string? Iccid = null);

/// <summary>
/// The <c>match { … }</c> of an <c>actorgateway.devices</c> entry. Every criterion given must hold; one that cannot be
/// checked yet (no ICCID before the SIM is read) does not hold. Values compare exactly (USB ids case-insensitively).
/// </summary>
public sealed record DeviceMatch(UsbId? UsbId = null, string? UsbSerial = null, string? Imei = null, string? Iccid = null)
{
    /// <summary>True when the rule names nothing (never matches).</summary>
    public bool IsEmpty => UsbId is null && UsbSerial is null && Imei is null && Iccid is null;

    /// <summary>True when the rule can only be decided once the SIM has been read.</summary>
    public bool NeedsSim => Iccid is not null;

    /// <summary>Whether <paramref name="facts"/> satisfy every criterion.</summary>
    public bool Matches(DeviceFacts facts) =>
        !IsEmpty
        && (UsbId is null || UsbId == facts.UsbId)
        && (UsbSerial is null || string.Equals(UsbSerial, facts.UsbSerial, StringComparison.Ordinal))
        && (Imei is null || string.Equals(Imei, facts.Imei, StringComparison.Ordinal))
        && (Iccid is null || (facts.Iccid is not null && IccidEquals(Iccid, facts.Iccid)));

    /// <summary><c>usb-id 12d1:1506, iccid 8949…</c></summary>
    public string Describe() => string.Join(", ", new[]
    {
        UsbId is { } id ? $"usb-id {id}" : null,
        UsbSerial is { } s ? $"usb-serial {s}" : null,
        Imei is { } i ? $"imei {i}" : null,
        Iccid is { } c ? $"iccid {c}" : null,
    }.Where(x => x is not null));

    // Some modems print the ICCID with its filler F (20 digits + F) or swapped nibbles already undone; compare digits.
    private static bool IccidEquals(string a, string b) =>
        string.Equals(a.TrimEnd('F', 'f'), b.TrimEnd('F', 'f'), StringComparison.Ordinal);
}

/// <summary>One <c>actorgateway.devices</c> entry: what it matches, the device id it gives (optional), and its profile.</summary>
/// <param name="Name">Where it was configured, for logs: <c>actorgateway.devices[1]</c>.</param>
/// <param name="Match">What it matches.</param>
/// <param name="Id">The device id to use, or null to let the gateway name it.</param>
/// <param name="Profile">The profile (APN, PIN, …) for the device it matches.</param>
public sealed record DeviceRule(string Name, DeviceMatch Match, string? Id, ModemProfile Profile);

/// <summary>
/// Per-device profiles chosen by identity, so that the right APN and PIN follow the SIM (ICCID), the modem (IMEI) or
/// the stick (USB serial or id), whatever tty or port it ends up on. The first matching rule wins; rules are tried again
/// as facts arrive (USB identity at discovery, the ICCID after identification, before the SIM is unlocked).
/// </summary>
public sealed class DeviceProfileRules(IReadOnlyList<DeviceRule> rules)
{
    /// <summary>No rules.</summary>
    public static DeviceProfileRules None { get; } = new([]);

    /// <summary>The rules, in configuration order.</summary>
    public IReadOnlyList<DeviceRule> Rules { get; } = rules;

    /// <summary>The first rule <paramref name="facts"/> satisfy, or null.</summary>
    public DeviceRule? Find(DeviceFacts facts) => Rules.FirstOrDefault(r => r.Match.Matches(facts));
}
