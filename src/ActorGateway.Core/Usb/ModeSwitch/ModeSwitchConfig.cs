using System.Globalization;

namespace ActorGateway.Core.Usb.ModeSwitch;

/// <summary>
/// One usb_modeswitch device configuration (a file of usb-modeswitch-data, or <c>/etc/usb_modeswitch.d/…</c>), read
/// the way usb_modeswitch 2.6 reads it: one <c>Key=Value</c> per line, a line with a comment mark
/// (<c>#</c>, <c>;</c> or <c>!</c>) before its <c>=</c> is skipped, a value in double quotes is what lies between the
/// first and the last quote, the first line with a key wins, keys are case-sensitive, hex values are read like
/// <c>strtol(…, 16)</c> and booleans by their first letter (Y, T or 1). usb_modeswitch ignores keys it does not know
/// without a word, so a misspelled <c>TargetProdutList</c> silently does nothing; <see cref="Warnings"/> says so.
/// </summary>
public sealed record ModeSwitchConfig
{
    /// <summary>
    /// Keys usb_modeswitch 2.6.1 reads (its readConfigFile; the same names are its long options), plus
    /// <c>WaitBefore</c> and <c>NoMBIMCheck</c>, which its dispatcher reads (usb_modeswitch_dispatcher(1)).
    /// </summary>
    public static readonly IReadOnlySet<string> KnownKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "DefaultVendor", "DefaultProduct", "TargetVendor", "TargetProduct", "TargetProductList", "TargetClass",
        "MessageEndpoint", "MessageContent", "MessageContent2", "MessageContent3", "ResponseEndpoint", "ReleaseDelay",
        "StandardEject", "DetachStorageOnly", "HuaweiMode", "HuaweiNewMode", "HuaweiAltMode", "SierraMode", "SonyMode",
        "GCTMode", "KobilMode", "SequansMode", "MobileActionMode", "CiscoMode", "QisdaMode", "QuantaMode", "OptionMode",
        "BlackberryMode", "PantechMode", "NoDriverLoading", "ResetUSB", "CheckSuccess", "Interface", "Configuration",
        "AltSetting", "WaitBefore", "NoMBIMCheck",
    };

    /// <summary>Keys older versions read and 2.x no longer does (the CSW is always read now: usb_modeswitch(1) -n, -I).</summary>
    public static readonly IReadOnlySet<string> ObsoleteKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "NeedResponse", "InquireDevice",
    };

    /// <summary>The switching methods: a control message of a vendor, an SCSI eject, a raw bulk message, or a driver detach.</summary>
    private static readonly string[] MethodKeys =
    [
        "StandardEject", "HuaweiMode", "HuaweiNewMode", "HuaweiAltMode", "SierraMode", "SonyMode", "GCTMode", "KobilMode",
        "SequansMode", "MobileActionMode", "CiscoMode", "QisdaMode", "QuantaMode", "OptionMode", "BlackberryMode",
        "DetachStorageOnly",
    ];

    /// <summary>The text as read (usb_modeswitch gets it verbatim with <c>-f</c>).</summary>
    public required string Text { get; init; }

    /// <summary>Every key with the value usb_modeswitch would use (the first line wins), unknown keys included.</summary>
    public required IReadOnlyDictionary<string, string> Values { get; init; }

    /// <summary>Things usb_modeswitch passes over in silence: unknown or misspelled keys, repeated keys, stray text.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Mistakes that make the entry unusable (no target to judge success by, a bad hex value, a missing quote).</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary><c>TargetVendor</c>, or null.</summary>
    public ushort? TargetVendor { get; init; }

    /// <summary><c>TargetProductList</c> (which overrides <c>TargetProduct</c>, as usb_modeswitch warns), or <c>TargetProduct</c>.</summary>
    public IReadOnlyList<ushort> TargetProducts { get; init; } = [];

    /// <summary><c>TargetClass</c>: the class the first interface has after switching, for devices that keep their id.</summary>
    public byte? TargetClass { get; init; }

    /// <summary><c>Configuration</c>: the configuration to select after switching.</summary>
    public int? Configuration { get; init; }

    /// <summary><c>WaitBefore</c> in seconds: the dispatcher waits this long before switching.</summary>
    public int? WaitBefore { get; init; }

    /// <summary>The switching methods the entry turns on (e.g. <c>HuaweiNewMode</c>, <c>StandardEject</c>, <c>MessageContent</c>).</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>True when usb_modeswitch can act on it (no <see cref="Errors"/>).</summary>
    public bool IsUsable => Errors.Count == 0;

    /// <summary>The ids the device may come back with: TargetVendor (or <paramref name="defaultId"/>'s vendor) with each target product.</summary>
    public IReadOnlyList<UsbId> TargetIds(UsbId defaultId) =>
        [.. TargetProducts.Select(p => new UsbId(TargetVendor ?? defaultId.Vendor, p))];

    /// <summary>
    /// Whether a device that appeared where the switched one was is its modem mode: its id is a target, or — for an
    /// entry that names only a <see cref="TargetClass"/> — it kept the id and its first interface now has that class.
    /// With neither, usb_modeswitch counts the old id's disappearance as likely proof (usb_modeswitch(1) -s), and so do we.
    /// </summary>
    public bool IsTarget(UsbId defaultId, UsbId appeared, byte? firstInterfaceClass)
    {
        if (TargetProducts.Count > 0)
        {
            return TargetIds(defaultId).Contains(appeared);
        }

        if (TargetClass is { } cls)
        {
            return firstInterfaceClass == cls && appeared.Vendor == (TargetVendor ?? defaultId.Vendor);
        }

        if (Configuration is not null)
        {
            return true; // same id, another configuration: coming back at all is the switch
        }

        return appeared != defaultId;
    }

    /// <summary>A short summary for <c>scan</c>: methods and targets.</summary>
    public string Describe(UsbId defaultId)
    {
        var methods = Methods.Count == 0 ? "no method" : string.Join("+", Methods);
        var targets = TargetProducts.Count > 0
            ? string.Join(",", TargetIds(defaultId).Select(t => t.ToString()))
            : TargetClass is { } c ? $"class {c:x2}" : "any other id";
        return $"{methods} → {targets}";
    }

    /// <summary>Reads <paramref name="text"/> as usb_modeswitch would.</summary>
    public static ModeSwitchConfig Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var equal = line.IndexOf('=');
            var comment = line.IndexOfAny([';', '#', '!']);
            if (equal < 0 || (comment >= 0 && comment < equal))
            {
                if (equal < 0 && comment < 0 && line.Trim().Length > 0)
                {
                    warnings.Add($"line {lineNumber}: \"{line.Trim()}\" is not Key=Value; usb_modeswitch skips it");
                }

                continue;
            }

            var key = line[..equal].Trim(' ', '\t');
            var value = line[(equal + 1)..];
            var firstQuote = value.IndexOf('"');
            if (firstQuote >= 0)
            {
                var lastQuote = value.LastIndexOf('"');
                if (lastQuote == firstQuote)
                {
                    errors.Add($"line {lineNumber}: {key}: missing end quote");
                    continue;
                }

                value = value[(firstQuote + 1)..lastQuote];
            }
            else
            {
                value = value.TrimStart(' ', '\t');
            }

            if (key.Length == 0)
            {
                errors.Add($"line {lineNumber}: missing key before '='");
                continue;
            }

            if (value.Trim().Length == 0)
            {
                warnings.Add($"line {lineNumber}: {key} has no value; usb_modeswitch skips it");
                continue;
            }

            if (!values.TryAdd(key, value))
            {
                warnings.Add($"line {lineNumber}: {key} is set again; usb_modeswitch uses the first value (\"{values[key]}\")");
                continue;
            }

            if (ObsoleteKeys.Contains(key))
            {
                warnings.Add($"line {lineNumber}: {key} is obsolete; usb_modeswitch 2.x ignores it");
            }
            else if (!KnownKeys.Contains(key))
            {
                warnings.Add($"line {lineNumber}: unknown key {key}{Suggest(key)}; usb_modeswitch ignores it without a word");
            }
        }

        ushort? Hex16(string key)
        {
            if (!values.TryGetValue(key, out var v))
            {
                return null;
            }

            if (UsbId.TryHex(LeadingToken(v), out var n))
            {
                return n;
            }

            errors.Add($"{key}: \"{v}\" is not a hex number");
            return null;
        }

        int? Int(string key)
        {
            if (!values.TryGetValue(key, out var v))
            {
                return null;
            }

            if (int.TryParse(LeadingToken(v), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            errors.Add($"{key}: \"{v}\" is not a number");
            return null;
        }

        var targetVendor = Hex16("TargetVendor");
        var targetProduct = Hex16("TargetProduct");
        var targetClass = Hex16("TargetClass");
        if (targetClass is > 0xff)
        {
            errors.Add($"TargetClass: 0x{targetClass:x} is not a class (one byte)");
        }

        var products = new List<ushort>();
        if (values.TryGetValue("TargetProductList", out var list))
        {
            if (targetProduct is not null)
            {
                warnings.Add("TargetProductList overrides TargetProduct (usb_modeswitch says so too)");
            }

            foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (UsbId.TryHex(item, out var p))
                {
                    products.Add(p);
                }
                else
                {
                    errors.Add($"TargetProductList: \"{item}\" is not a hex product id");
                }
            }
        }
        else if (targetProduct is { } single)
        {
            products.Add(single);
        }

        foreach (var key in new[] { "MessageContent", "MessageContent2", "MessageContent3" })
        {
            if (values.TryGetValue(key, out var hex) && (hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit)))
            {
                errors.Add($"{key}: not an even-length hex string");
            }
        }

        foreach (var key in new[] { "DefaultVendor", "DefaultProduct", "MessageEndpoint", "ResponseEndpoint", "Interface", "ResetUSB" })
        {
            _ = Hex16(key);
        }

        var methods = MethodKeys.Where(k => values.TryGetValue(k, out var v) && IsTrue(v)).ToList();
        if (Int("PantechMode") is > 0)
        {
            methods.Add("PantechMode");
        }

        if (values.ContainsKey("MessageContent"))
        {
            methods.Add("MessageContent");
        }

        // Selecting another configuration is a switch of its own (the dispatcher's MBIM handling: Configuration=0
        // asks it to find the MBIM configuration with usb_modeswitch -j).
        var configuration = Hex16("Configuration");
        if (configuration is not null)
        {
            methods.Add("Configuration");
        }

        if (methods.Count == 0)
        {
            warnings.Add("no switching method (MessageContent, StandardEject or a vendor mode): usb_modeswitch will not send anything");
        }

        if (products.Count == 0 && targetClass is null && targetVendor is null && configuration is null && values.Count > 0)
        {
            warnings.Add("no TargetVendor, TargetProduct(List) or TargetClass: success can only be judged by the old id going away");
        }

        return new ModeSwitchConfig
        {
            Text = text,
            Values = values,
            Warnings = warnings,
            Errors = errors,
            TargetVendor = targetVendor,
            TargetProducts = products,
            TargetClass = targetClass is <= 0xff ? (byte)targetClass.Value : null,
            Configuration = configuration,
            WaitBefore = Int("WaitBefore"),
            Methods = methods,
        };
    }

    private static bool IsTrue(string value) => value.Length > 0 && char.ToUpperInvariant(value[0]) is 'Y' or 'T' or '1';

    // strtol and atoi stop at the first character that is not part of the number.
    private static string LeadingToken(string value)
    {
        var t = value.Trim();
        var end = t.IndexOfAny([' ', '\t', '#', ';', '!']);
        return end < 0 ? t : t[..end];
    }

    private static string Suggest(string key)
    {
        var best = KnownKeys
            .Select(k => (Key: k, Distance: EditDistance(k.ToLowerInvariant(), key.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Key, StringComparer.Ordinal)
            .First();
        return best.Distance <= Math.Max(2, key.Length / 5) ? $" (did you mean {best.Key}?)" : string.Empty;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
