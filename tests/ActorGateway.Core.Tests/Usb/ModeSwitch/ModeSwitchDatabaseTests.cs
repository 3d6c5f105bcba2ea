using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using Xunit.Abstractions;

namespace ActorGateway.Core.Tests.Usb.ModeSwitch;

public sealed class ModeSwitchDatabaseTests(ITestOutputHelper output)
{
    [Fact]
    public void Load_should_parse_every_file_of_the_real_usb_modeswitch_data_or_report_it()
    {
        Assert.True(File.Exists(ModeSwitchDatabase.DefaultArchive),
            $"{ModeSwitchDatabase.DefaultArchive} is missing: install usb-modeswitch-data (sudo ./tools/test does)");
        using var stream = File.OpenRead(ModeSwitchDatabase.DefaultArchive);
        var files = ModeSwitchDatabase.ReadArchive(stream);
        var database = ModeSwitchDatabase.Build("/etc/usb_modeswitch.d", [], ModeSwitchDatabase.DefaultArchive, files);

        // Every file is either an entry or a reported problem; nothing vanishes silently.
        Assert.Equal(files.Count, database.Entries.Count + database.Problems.Count);
        var problems = string.Join("\n", database.Problems.Select(p => $"{p.FileName}: {p.Problem}"));
        output.WriteLine($"{files.Count} files: {database.Entries.Count} entries, {database.Problems.Count} reported:\n{problems}");
        // Debian 12's usb-modeswitch-data 20191128: 512 device files and its list of new ones (new.lst).
        Assert.True(database.Entries.Count >= 500, problems);
        Assert.All(database.Problems, p => Assert.Equal("new.lst", p.FileName));

        var warnings = database.Entries.SelectMany(e => e.Config.Warnings.Select(w => $"{e.FileName}: {w}")).ToList();
        output.WriteLine($"{warnings.Count} warnings, e.g.:\n{string.Join("\n", warnings.Take(10))}");
        Assert.All(warnings, w => Assert.DoesNotContain("unknown key", w, StringComparison.Ordinal));
    }

    [Fact]
    public void Find_should_give_the_seed_sticks_entry_from_the_real_database()
    {
        var database = ModeSwitchDatabase.Load(ModeSwitchDatabase.DefaultArchive, overridesDirectory: null);

        var entry = database.Find(new ModeSwitchCandidate(new UsbId(0x12d1, 0x1446), "Huawei Technologies", "HUAWEI Mobile", null));

        Assert.NotNull(entry);
        Assert.Equal(["HuaweiNewMode"], entry.Config.Methods);
        Assert.Contains(new UsbId(0x12d1, 0x1506), entry.Config.TargetIds(entry.DefaultId));
        Assert.True(database.IsTargetId(new UsbId(0x12d1, 0x1506)));
        Assert.False(database.Knows(new UsbId(0x0421, 0x054b))); // the Nokia needs no switching
        Assert.False(database.Knows(new UsbId(0x1004, 0x61da))); // nor the LG
    }

    [Fact]
    public void Find_should_prefer_a_qualified_name_whose_strings_match_as_the_dispatcher_does()
    {
        var database = ModeSwitchDatabase.Build("/etc/usb_modeswitch.d", [], "pack",
        [
            ("05c6:1000", "TargetVendor=0x05c6\nTargetProduct=0x0001\nStandardEject=1"),
            ("05c6:1000:uMa=Qualcomm", "TargetVendor=0x05c6\nTargetProduct=0x0002\nStandardEject=1"),
            ("1c9e:f000:uMa=USB_Modem", "TargetVendor=0x1c9e\nTargetProduct=0x9000\nStandardEject=1"),
            ("05c6:1000:sVe=Option", "TargetVendor=0x0af0\nTargetProduct=0x6901\nOptionMode=1"),
        ]);
        var id = new UsbId(0x05c6, 0x1000);

        Assert.Equal("05c6:1000:uMa=Qualcomm", database.Find(new ModeSwitchCandidate(id, "Qualcomm, Incorporated", "USB MMC Storage", null))!.FileName);
        Assert.Equal("05c6:1000:sVe=Option", database.Find(new ModeSwitchCandidate(id, "Vendor", null, null, ScsiVendor: "Option"))!.FileName);
        Assert.Equal("05c6:1000", database.Find(new ModeSwitchCandidate(id, "ZTE", null, null))!.FileName);
        // '_' in a name stands for a blank.
        Assert.Equal("1c9e:f000:uMa=USB_Modem", database.Find(new ModeSwitchCandidate(new UsbId(0x1c9e, 0xf000), "USB Modem", null, null))!.FileName);
    }

    [Fact]
    public void Load_should_put_local_overrides_before_the_packed_files()
    {
        var overrides = Directory.CreateTempSubdirectory("ag-msd-");
        try
        {
            File.WriteAllText(Path.Combine(overrides.FullName, "12d1:1446"), "TargetVendor=0x12d1\nTargetProduct=0x1506\nStandardEject=1\n");
            File.WriteAllText(Path.Combine(overrides.FullName, "12d1:1446.dpkg-old"), "garbage");
            var archive = Path.Combine(overrides.FullName, "pack.tar.gz");
            WriteArchive(archive, ("12d1:1446", "TargetVendor=0x12d1\nTargetProductList=\"1506\"\nHuaweiNewMode=1\n"));

            var database = ModeSwitchDatabase.Load(archive, overrides.FullName);
            var entry = database.Find(new ModeSwitchCandidate(new UsbId(0x12d1, 0x1446), null, null, null))!;

            Assert.Equal(overrides.FullName, entry.Source);
            Assert.Equal(["StandardEject"], entry.Config.Methods);
            Assert.DoesNotContain(database.Problems, p => p.FileName.Contains("dpkg", StringComparison.Ordinal));
        }
        finally
        {
            overrides.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_should_give_an_empty_database_when_nothing_is_installed()
    {
        var database = ModeSwitchDatabase.Load("/nonexistent/configPack.tar.gz", "/nonexistent/usb_modeswitch.d");

        Assert.Empty(database.Entries);
        Assert.Empty(database.Sources);
    }

    private static void WriteArchive(string path, params (string Name, string Text)[] files)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip);
        foreach (var (name, text) in files)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        }
    }
}
