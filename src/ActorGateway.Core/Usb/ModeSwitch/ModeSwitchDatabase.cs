using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace ActorGateway.Core.Usb.ModeSwitch;

/// <summary>What a device file name asks of the device beyond its id (usb_modeswitch_dispatcher's MatchDevice).</summary>
public enum ModeSwitchQualifierKind
{
    /// <summary><c>uMa=</c>: the USB manufacturer string.</summary>
    UsbManufacturer,

    /// <summary><c>uPr=</c>: the USB product string.</summary>
    UsbProduct,

    /// <summary><c>uSe=</c>: the USB serial string.</summary>
    UsbSerial,

    /// <summary><c>sVe=</c>: the SCSI vendor of the storage.</summary>
    ScsiVendor,

    /// <summary><c>sMo=</c>: the SCSI model.</summary>
    ScsiModel,

    /// <summary><c>sRe=</c>: the SCSI revision.</summary>
    ScsiRevision,
}

/// <summary>One <c>:xXx=text</c> part of a file name such as <c>05c6:1000:uMa=Qualcomm</c>.</summary>
public sealed record ModeSwitchQualifier(ModeSwitchQualifierKind Kind, string Text)
{
    /// <summary>
    /// The dispatcher's rule: the device string contains the text, or the text with '_' read as a blank
    /// (file names cannot hold blanks: <c>uMa=USB_Modem</c> matches "USB Modem").
    /// </summary>
    public bool Matches(string? value) =>
        value is not null && (value.Contains(Text, StringComparison.Ordinal) || value.Contains(Text.Replace('_', ' '), StringComparison.Ordinal));
}

/// <summary>The strings of a device that file-name qualifiers are matched against (SCSI ones come from the storage interface).</summary>
public sealed record ModeSwitchCandidate(UsbId Id, string? Manufacturer, string? Product, string? Serial,
    string? ScsiVendor = null, string? ScsiModel = null, string? ScsiRevision = null)
{
    /// <summary>The candidate for a device read from sysfs.</summary>
    public static ModeSwitchCandidate From(UsbDevice device, ScsiIdentity? scsi = null) =>
        new(device.Id, device.Manufacturer, device.Product, device.Serial, scsi?.Vendor, scsi?.Model, scsi?.Revision);
}

/// <summary>The SCSI inquiry strings of a storage interface (sysfs <c>…/host*/target*/*/vendor|model|rev</c>).</summary>
public sealed record ScsiIdentity(string? Vendor, string? Model, string? Revision);

/// <summary>One device file of the database: its name, where it came from, and its parsed configuration.</summary>
/// <param name="FileName">The file's name, e.g. <c>12d1:1446</c> or <c>05c6:1000:uMa=Qualcomm</c>.</param>
/// <param name="Source">The archive or directory it was read from.</param>
/// <param name="DefaultId">The id in mass-storage (default) mode, from the name.</param>
/// <param name="Qualifiers">What else the name asks of the device.</param>
/// <param name="Config">The configuration.</param>
public sealed record ModeSwitchEntry(string FileName, string Source, UsbId DefaultId, IReadOnlyList<ModeSwitchQualifier> Qualifiers, ModeSwitchConfig Config)
{
    /// <summary>True when the entry applies to <paramref name="candidate"/>; a <c>?</c> qualifier never matches (dispatcher).</summary>
    public bool Matches(ModeSwitchCandidate candidate) =>
        candidate.Id == DefaultId && Qualifiers.All(q => q.Kind switch
        {
            ModeSwitchQualifierKind.UsbManufacturer => q.Matches(candidate.Manufacturer),
            ModeSwitchQualifierKind.UsbProduct => q.Matches(candidate.Product),
            ModeSwitchQualifierKind.UsbSerial => q.Matches(candidate.Serial),
            ModeSwitchQualifierKind.ScsiVendor => q.Matches(candidate.ScsiVendor),
            ModeSwitchQualifierKind.ScsiModel => q.Matches(candidate.ScsiModel),
            _ => q.Matches(candidate.ScsiRevision),
        });

    /// <summary>True when the name asks for SCSI strings, which only a storage interface can give.</summary>
    public bool NeedsScsi => Qualifiers.Any(q => q.Kind is ModeSwitchQualifierKind.ScsiVendor or ModeSwitchQualifierKind.ScsiModel or ModeSwitchQualifierKind.ScsiRevision);

    /// <summary><c>12d1:1446 (configPack.tar.gz): HuaweiNewMode → 12d1:1001,…</c></summary>
    public string Describe() => $"{FileName} ({System.IO.Path.GetFileName(Source)}): {Config.Describe(DefaultId)}";
}

/// <summary>A file of the database that could not be used, and why.</summary>
public sealed record ModeSwitchProblem(string Source, string FileName, string Problem);

/// <summary>
/// The usb_modeswitch device database as the dispatcher uses it: the files of <c>/etc/usb_modeswitch.d</c> (local
/// overrides) first, then those packed in usb-modeswitch-data's <c>configPack.tar.gz</c>; within each, names sorted
/// downwards so that <c>05c6:1000:uMa=Qualcomm</c> is tried before <c>05c6:1000</c>; the first file whose name matches
/// wins (usb_modeswitch_dispatcher ConfigGet/MatchDevice). Backup files (<c>.dpkg-*</c>, <c>.rpm*</c>) are skipped.
/// </summary>
public sealed class ModeSwitchDatabase
{
    /// <summary>Where Debian's usb-modeswitch-data puts the packed files.</summary>
    public const string DefaultArchive = "/usr/share/usb_modeswitch/configPack.tar.gz";

    /// <summary>Where local overrides go.</summary>
    public const string DefaultOverrides = "/etc/usb_modeswitch.d";

    private readonly IReadOnlyList<ModeSwitchEntry> _ordered;
    private readonly HashSet<UsbId> _targets;

    private ModeSwitchDatabase(IReadOnlyList<ModeSwitchEntry> ordered, IReadOnlyList<ModeSwitchProblem> problems, IReadOnlyList<string> sources)
    {
        _ordered = ordered;
        Problems = problems;
        Sources = sources;
        _targets = [.. ordered.SelectMany(e => e.Config.TargetIds(e.DefaultId))];
    }

    /// <summary>An empty database (usb-modeswitch-data not installed).</summary>
    public static ModeSwitchDatabase Empty { get; } = new([], [], []);

    /// <summary>The usable entries in lookup order.</summary>
    public IReadOnlyList<ModeSwitchEntry> Entries => _ordered;

    /// <summary>Files that were skipped, each with the reason.</summary>
    public IReadOnlyList<ModeSwitchProblem> Problems { get; }

    /// <summary>What was read, for logs.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The entry usb_modeswitch_dispatcher would pick for <paramref name="candidate"/>, or null.</summary>
    public ModeSwitchEntry? Find(ModeSwitchCandidate candidate) => _ordered.FirstOrDefault(e => e.Matches(candidate));

    /// <summary>Whether any entry exists for <paramref name="id"/> at all (qualifiers aside): the device may need switching.</summary>
    public bool Knows(UsbId id) => _ordered.Any(e => e.DefaultId == id);

    /// <summary>True when <paramref name="id"/> is what some entry switches a device into: a known modem mode.</summary>
    public bool IsTargetId(UsbId id) => _targets.Contains(id);

    /// <summary>
    /// Reads the overrides directory (if it exists) and the archive (if it exists). Missing places give an empty part,
    /// not an error: a machine without usb-modeswitch-data simply switches nothing.
    /// </summary>
    public static ModeSwitchDatabase Load(string? archivePath = DefaultArchive, string? overridesDirectory = DefaultOverrides)
    {
        var overrides = new List<(string Name, string Text)>();
        var sources = new List<string>();
        if (overridesDirectory is not null && Directory.Exists(overridesDirectory))
        {
            sources.Add(overridesDirectory);
            foreach (var path in Directory.EnumerateFiles(overridesDirectory))
            {
                overrides.Add((System.IO.Path.GetFileName(path), File.ReadAllText(path)));
            }
        }

        var packed = new List<(string Name, string Text)>();
        if (archivePath is not null && File.Exists(archivePath))
        {
            sources.Add(archivePath);
            using var stream = File.OpenRead(archivePath);
            packed.AddRange(ReadArchive(stream));
        }

        return Build(overridesDirectory ?? DefaultOverrides, overrides, archivePath ?? DefaultArchive, packed, sources);
    }

    /// <summary>Builds a database from an archive stream (for tests and tools).</summary>
    public static ModeSwitchDatabase FromArchive(Stream gzippedTar, string source = DefaultArchive) =>
        Build(DefaultOverrides, [], source, ReadArchive(gzippedTar), [source]);

    /// <summary>Builds a database from files given as (name, text) pairs, overrides first.</summary>
    public static ModeSwitchDatabase Build(
        string overridesSource,
        IEnumerable<(string Name, string Text)> overrides,
        string packSource,
        IEnumerable<(string Name, string Text)> packed,
        IReadOnlyList<string>? sources = null)
    {
        var problems = new List<ModeSwitchProblem>();
        var ordered = new List<ModeSwitchEntry>();
        foreach (var (source, files) in new[] { (overridesSource, overrides), (packSource, packed) })
        {
            foreach (var (name, text) in files.OrderByDescending(f => f.Name, StringComparer.Ordinal))
            {
                if (name.Contains(".dpkg", StringComparison.Ordinal) || name.Contains(".rpm", StringComparison.Ordinal))
                {
                    continue;
                }

                if (ParseName(name) is not { } parsed)
                {
                    problems.Add(new ModeSwitchProblem(source, name, "not a device file (its name is not vvvv:pppp[:xXx=text…])"));
                    continue;
                }

                var config = ModeSwitchConfig.Parse(text);
                if (!config.IsUsable)
                {
                    problems.Add(new ModeSwitchProblem(source, name, string.Join("; ", config.Errors)));
                    continue;
                }

                ordered.Add(new ModeSwitchEntry(name, source, parsed.Id, parsed.Qualifiers, config));
            }
        }

        return new ModeSwitchDatabase(ordered, problems, sources ?? [overridesSource, packSource]);
    }

    /// <summary>Every regular file of a .tar.gz as (name, text).</summary>
    public static IReadOnlyList<(string Name, string Text)> ReadArchive(Stream gzippedTar)
    {
        var files = new List<(string, string)>();
        using var gzip = new GZipStream(gzippedTar, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
            {
                continue;
            }

            using var reader = new StreamReader(entry.DataStream, Encoding.UTF8);
            files.Add((System.IO.Path.GetFileName(entry.Name), reader.ReadToEnd()));
        }

        return files;
    }

    /// <summary>Splits <c>vvvv:pppp[:xXx=text]…</c>; null when the name is not a device file.</summary>
    public static (UsbId Id, IReadOnlyList<ModeSwitchQualifier> Qualifiers)? ParseName(string name)
    {
        var parts = name.Split(':');
        if (parts.Length < 2 || parts[0].Length != 4 || parts[1].Length != 4
            || !UsbId.TryHex(parts[0], out var vendor) || !UsbId.TryHex(parts[1], out var product))
        {
            return null;
        }

        var qualifiers = new List<ModeSwitchQualifier>();
        foreach (var part in parts.Skip(2))
        {
            var eq = part.IndexOf('=');
            ModeSwitchQualifierKind? kind = eq == 3 ? part[..3] switch
            {
                "uMa" => ModeSwitchQualifierKind.UsbManufacturer,
                "uPr" => ModeSwitchQualifierKind.UsbProduct,
                "uSe" => ModeSwitchQualifierKind.UsbSerial,
                "sVe" => ModeSwitchQualifierKind.ScsiVendor,
                "sMo" => ModeSwitchQualifierKind.ScsiModel,
                "sRe" => ModeSwitchQualifierKind.ScsiRevision,
                _ => null,
            } : null;
            if (kind is null)
            {
                return null;
            }

            qualifiers.Add(new ModeSwitchQualifier(kind.Value, part[(eq + 1)..]));
        }

        return (new UsbId(vendor, product), qualifiers);
    }
}
