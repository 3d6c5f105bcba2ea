using System.Diagnostics;
using System.Globalization;
using ActorGateway.Actors.Service;
using ActorGateway.Actors.Settings;
using ActorGateway.Host;

namespace ActorGateway.Integration.Tests.Install;

/// <summary>
/// tools/install.sh staged into a temporary root (<c>--root</c>, as DESTDIR), with a tiny fake publish directory
/// (<c>--from</c>): every file and its mode, the unit through <c>systemd-analyze verify</c>, re-install and uninstall.
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private static readonly string Repo = RepositoryRoot();
    private readonly TempDir _dir = new();
    private readonly string _root;
    private readonly string _publish;

    public InstallScriptTests()
    {
        _root = Directory.CreateDirectory(_dir.File("root")).FullName;
        _publish = Directory.CreateDirectory(_dir.File("publish")).FullName;
        WriteProgram("#!/bin/sh\necho fake actorgateway 1\n");
        File.WriteAllText(Path.Combine(_publish, "actorgateway.dll"), "not really a dll");
    }

    public void Dispose() => _dir.Dispose();

    private void WriteProgram(string text)
    {
        var program = Path.Combine(_publish, "actorgateway");
        File.WriteAllText(program, text);
        File.SetUnixFileMode(program, (UnixFileMode)0b111_101_101);
    }

    private string Staged(string path) => _root + path;

    private static async Task<(int Code, string Out, string Err)> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private async Task<string> InstallAsync()
    {
        var (code, output, error) = await RunAsync("bash", Path.Combine(Repo, "tools", "install.sh"), "--root", _root, "--from", _publish, "--no-deps", "--no-enable");
        Assert.True(code == 0, $"install.sh exited {code}: {error}");
        return output;
    }

    private async Task UninstallAsync(params string[] extra)
    {
        var (code, _, error) = await RunAsync("bash", [Path.Combine(Repo, "tools", "install.sh"), "--uninstall", "--root", _root, .. extra]);
        Assert.True(code == 0, $"install.sh --uninstall exited {code}: {error}");
    }

    /// <summary>Every path under the staged root, as it will be on the machine ("/etc/…").</summary>
    private List<string> Tree() =>
        [.. Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories).Select(p => p[_root.Length..]).Order(StringComparer.Ordinal)];

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');

    [Fact]
    public async Task Install_should_put_exactly_the_program_config_unit_and_neighbour_files_in_place()
    {
        await InstallAsync();

        Assert.Equal(
            [
                "/etc", "/etc/NetworkManager", "/etc/NetworkManager/conf.d", "/etc/NetworkManager/conf.d/78-actorgateway.conf",
                "/etc/actorgateway", "/etc/actorgateway/gateway.conf",
                "/etc/modules-load.d", "/etc/modules-load.d/actorgateway.conf",
                "/etc/systemd", "/etc/systemd/system", "/etc/systemd/system/actorgateway.service",
                "/etc/udev", "/etc/udev/rules.d", "/etc/udev/rules.d/78-actorgateway.rules",
                "/opt", "/opt/actorgateway", "/opt/actorgateway/actorgateway", "/opt/actorgateway/actorgateway.dll",
                "/opt/actorgateway/doc", "/opt/actorgateway/doc/gateway.conf", "/opt/actorgateway/install-manifest",
                "/usr", "/usr/local", "/usr/local/bin", "/usr/local/bin/actorgateway",
            ],
            Tree());
        Assert.Equal("0600", Mode(Staged(Cli.SystemConfig)));
        Assert.Equal("0700", Mode(Staged("/etc/actorgateway")));
        Assert.Equal("0755", Mode(Staged("/opt/actorgateway/actorgateway")));
        foreach (var file in new[]
                 {
                     "/etc/systemd/system/actorgateway.service", "/etc/udev/rules.d/78-actorgateway.rules",
                     "/etc/NetworkManager/conf.d/78-actorgateway.conf", "/etc/modules-load.d/actorgateway.conf",
                     "/opt/actorgateway/doc/gateway.conf", "/opt/actorgateway/actorgateway.dll",
                 })
        {
            Assert.True(Mode(Staged(file)) == "0644", $"{file} is {Mode(Staged(file))}, not 0644");
        }

        if (Environment.UserName == "root")
        {
            Assert.Equal("root:root", (await RunAsync("stat", "-c", "%U:%G", Staged(Cli.SystemConfig))).Out.Trim());
        }

        Assert.Equal("/opt/actorgateway/actorgateway", new FileInfo(Staged("/usr/local/bin/actorgateway")).LinkTarget);
        Assert.Equal(File.ReadAllText(Path.Combine(Repo, "hocon", "gateway.conf")), File.ReadAllText(Staged("/opt/actorgateway/doc/gateway.conf")));
        Assert.Equal(File.ReadAllText(Path.Combine(Repo, "packaging", "actorgateway.service")), File.ReadAllText(Staged("/etc/systemd/system/actorgateway.service")));
        Assert.Contains("ENV{ID_MM_DEVICE_IGNORE}=\"1\"", File.ReadAllText(Staged("/etc/udev/rules.d/78-actorgateway.rules")), StringComparison.Ordinal);
        Assert.Contains("unmanaged-devices+=", File.ReadAllText(Staged("/etc/NetworkManager/conf.d/78-actorgateway.conf")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_starter_config_should_load_as_the_program_loads_it()
    {
        await InstallAsync();

        using var errors = new StringWriter();
        var loaded = Cli.LoadSettings(new FileInfo(Staged(Cli.SystemConfig)), errors);

        Assert.True(loaded is not null, errors.ToString());
        Assert.Equal(GatewaySettings.Create(GatewaySettings.DefaultConfig, "defaults").StateDirectory, loaded.Value.Settings.StateDirectory);
        Assert.Empty(Preflight.ConfigFileWarnings(Staged(Cli.SystemConfig), holdsSecrets: false));
    }

    [Fact]
    public async Task Reinstall_should_replace_the_program_and_keep_an_edited_config()
    {
        await InstallAsync();
        var manifest = File.ReadAllText(Staged("/opt/actorgateway/install-manifest"));
        const string Edited = "actorgateway.defaults.apn = \"internet.example\"\n";
        File.WriteAllText(Staged(Cli.SystemConfig), Edited);
        WriteProgram("#!/bin/sh\necho fake actorgateway 2\n");

        var output = await InstallAsync();

        Assert.Equal(Edited, File.ReadAllText(Staged(Cli.SystemConfig)));
        Assert.Equal("0600", Mode(Staged(Cli.SystemConfig)));
        Assert.Contains("kept /etc/actorgateway/gateway.conf", output, StringComparison.Ordinal);
        Assert.Contains("fake actorgateway 2", File.ReadAllText(Staged("/opt/actorgateway/actorgateway")), StringComparison.Ordinal);
        Assert.Equal(manifest, File.ReadAllText(Staged("/opt/actorgateway/install-manifest")));
        Assert.DoesNotContain(Tree(), p => p.EndsWith(".new", StringComparison.Ordinal) || p.EndsWith(".old", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uninstall_should_leave_only_the_configuration()
    {
        await InstallAsync();
        File.WriteAllText(Staged(Cli.SystemConfig), "actorgateway.defaults.apn = \"kept\"\n");

        await UninstallAsync();

        Assert.Equal(["/etc", "/etc/actorgateway", "/etc/actorgateway/gateway.conf"], Tree());
        Assert.Equal("actorgateway.defaults.apn = \"kept\"\n", File.ReadAllText(Staged(Cli.SystemConfig)));
    }

    [Fact]
    public async Task Uninstall_with_purge_should_leave_nothing()
    {
        await InstallAsync();
        Directory.CreateDirectory(Staged("/var/lib/actorgateway"));
        File.WriteAllText(Staged("/var/lib/actorgateway/pin-verdicts.json"), "{}");

        await UninstallAsync("--purge");

        Assert.Equal(["/var", "/var/lib"], Tree()); // systemd's StateDirectory made those, not install.sh
    }

    [Fact]
    public async Task Uninstall_should_keep_directories_it_did_not_create()
    {
        Directory.CreateDirectory(Staged("/etc/udev/rules.d"));
        File.WriteAllText(Staged("/etc/udev/rules.d/99-local.rules"), "# someone else's\n");

        await InstallAsync();
        await UninstallAsync("--purge");

        Assert.Equal(["/etc", "/etc/udev", "/etc/udev/rules.d", "/etc/udev/rules.d/99-local.rules"], Tree());
    }

    [Fact]
    public async Task Install_should_refuse_a_publish_directory_without_the_program()
    {
        var empty = Directory.CreateDirectory(_dir.File("empty")).FullName;

        var (code, _, error) = await RunAsync("bash", Path.Combine(Repo, "tools", "install.sh"), "--root", _root, "--from", empty, "--no-deps", "--no-enable");

        Assert.Equal(1, code);
        Assert.Contains($"{empty}/actorgateway is missing or not executable", error, StringComparison.Ordinal);
        Assert.Empty(Tree());
    }

    [Fact]
    public async Task Install_should_not_overwrite_a_foreign_actorgateway_in_usr_local_bin()
    {
        Directory.CreateDirectory(Staged("/usr/local/bin"));
        File.WriteAllText(Staged("/usr/local/bin/actorgateway"), "#!/bin/sh\n# someone else's\n");

        var (code, _, error) = await RunAsync("bash", Path.Combine(Repo, "tools", "install.sh"), "--root", _root, "--from", _publish, "--no-deps", "--no-enable");

        Assert.Equal(1, code);
        Assert.Contains("/usr/local/bin/actorgateway exists and is not the gateway's symlink", error, StringComparison.Ordinal);
        Assert.Contains("someone else's", File.ReadAllText(Staged("/usr/local/bin/actorgateway")), StringComparison.Ordinal);
    }

    [SystemdAnalyzeFact]
    public async Task Installed_unit_should_pass_systemd_analyze_verify()
    {
        await InstallAsync();

        // verify --root resolves ExecStart= and the targets the unit names inside the root: give the staged root the
        // host's system units and /bin/kill (ExecReload=), as a real system has them.
        Directory.CreateDirectory(Staged("/usr/lib/systemd"));
        Assert.Equal(0, (await RunAsync("cp", "-a", "/usr/lib/systemd/system", Staged("/usr/lib/systemd/"))).Code);
        Directory.CreateDirectory(Staged("/bin"));
        File.Copy("/bin/kill", Staged("/bin/kill"));

        var (code, output, error) = await RunAsync("systemd-analyze", "verify", $"--root={_root}", "--man=no", "actorgateway.service");

        // systemd 252 only warns about a key it does not know or cannot parse: anything it prints is a finding.
        Assert.True(code == 0 && output.Length == 0 && error.Length == 0, $"systemd-analyze verify exited {code}: {output}{error}");
    }

    [Fact]
    public void Unit_should_match_the_gateway_it_runs()
    {
        var unit = Unit.Parse(File.ReadAllText(Path.Combine(Repo, "packaging", "actorgateway.service")));
        var defaults = GatewaySettings.Create(GatewaySettings.DefaultConfig, "defaults");
        var watchdog = unit.Duration("WatchdogSec");
        var liveness = ServiceSettings.Create(defaults).LivenessTimeout;

        Assert.Equal("notify", unit.Single("Type"));
        Assert.Equal("main", unit.Single("NotifyAccess"));
        Assert.Equal("control-group", unit.Single("KillMode"));
        Assert.Equal("on-failure", unit.Single("Restart"));
        Assert.Equal($"/opt/actorgateway/actorgateway run --config {Cli.SystemConfig}", unit.Single("ExecStart"));
        Assert.Equal("/bin/kill -HUP $MAINPID", unit.Single("ExecReload"));

        // systemd must not SIGKILL the gateway while it still hangs up calls and removes its NAT table.
        Assert.True(unit.Duration("TimeoutStopSec") >= GatewayHost.ShutdownTimeout + TimeSpan.FromSeconds(10),
            $"TimeoutStopSec {unit.Duration("TimeoutStopSec")} leaves too little over GatewayHost.ShutdownTimeout {GatewayHost.ShutdownTimeout}");

        // The supervisors are asked every WatchdogSec/4 and have liveness-timeout (capped at that quarter) to answer: the
        // whole timeout must fit in one quarter, and a wedged gateway must be restarted within a minute.
        Assert.True(watchdog / 4 >= liveness, $"WatchdogSec {watchdog} is too short for liveness-timeout {liveness}");
        Assert.True(watchdog <= TimeSpan.FromMinutes(1), $"WatchdogSec {watchdog} leaves a wedged gateway running too long");

        // The directories systemd creates are the ones the gateway writes by default.
        Assert.Equal(defaults.StateDirectory, "/var/lib/" + unit.Single("StateDirectory"));
        Assert.Equal(defaults.RuntimeDirectory, "/run/" + unit.Single("RuntimeDirectory"));
    }

    [Fact]
    public void Unit_should_bound_capabilities_to_what_the_gateway_and_its_programs_use()
    {
        var unit = Unit.Parse(File.ReadAllText(Path.Combine(Repo, "packaging", "actorgateway.service")));

        var caps = unit.Single("CapabilityBoundingSet").Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);

        Assert.Equal(["CAP_KILL", "CAP_NET_ADMIN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID"], caps);
        Assert.Equal("closed", unit.Single("DevicePolicy"));
        Assert.Contains("/dev/ppp rw", unit.All("DeviceAllow"));
        Assert.Contains("char-usb_device rw", unit.All("DeviceAllow"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ActorGateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository (ActorGateway.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>A unit file's <c>Key=Value</c> lines (comments and sections ignored; a key may repeat).</summary>
    private sealed class Unit(ILookup<string, string> entries)
    {
        public static Unit Parse(string text) => new(text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && l[0] is not ('#' or ';' or '[') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => (Key: l[..l.IndexOf('=', StringComparison.Ordinal)], Value: l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .ToLookup(e => e.Key, e => e.Value, StringComparer.Ordinal));

        public IReadOnlyList<string> All(string key) => [.. entries[key]];

        public string Single(string key) => Assert.Single(entries[key]);

        /// <summary>A duration as systemd writes it here: a whole number with s or min.</summary>
        public TimeSpan Duration(string key)
        {
            var value = Single(key);
            return value.EndsWith("min", StringComparison.Ordinal)
                ? TimeSpan.FromMinutes(int.Parse(value[..^3], CultureInfo.InvariantCulture))
                : TimeSpan.FromSeconds(int.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>A fact that needs systemd-analyze (Debian's systemd package).</summary>
public sealed class SystemdAnalyzeFactAttribute : FactAttribute
{
    public SystemdAnalyzeFactAttribute()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            Skip = "needs systemd-analyze (the systemd package) to verify the unit";
        }
        else if (!Directory.Exists("/usr/lib/systemd/system"))
        {
            Skip = "needs the system's units in /usr/lib/systemd/system to verify against";
        }
    }
}
