using System.Diagnostics;
using ActorGateway.Host;
using ActorGateway.TestFixtures;

namespace ActorGateway.Integration.Tests.Publish;

/// <summary>A fact that runs the linux-arm64 build under user-mode qemu; skipped, saying what is missing, elsewhere.</summary>
public sealed class Arm64EmulationFactAttribute : FactAttribute
{
    public Arm64EmulationFactAttribute()
    {
        if (Arm64Build.Missing() is { } missing)
        {
            Skip = $"needs {missing} to run the arm64 build here (sudo ./tools/test installs it)";
        }
    }
}

/// <summary>
/// The linux-arm64 build made by <c>tools/publish</c>, once for all the tests that use it, under this test run's
/// output directory (its intermediate files too: the source tree's obj/ is left alone).
/// </summary>
public sealed class Arm64Build : IAsyncLifetime
{
    /// <summary>The Debian packages' qemu and the arm64 loader that qemu is pointed at with <c>-L</c>.</summary>
    public const string Qemu = "/usr/bin/qemu-aarch64-static";

    public const string Sysroot = "/usr/aarch64-linux-gnu";

    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(SysfsFixture.ScenariosDirectory, "..", "..", ".."));

    public string PublishRoot { get; } = Path.Combine(AppContext.BaseDirectory, "pi", "publish");

    public string Directory => Path.Combine(PublishRoot, "linux-arm64");

    public string Program => Path.Combine(Directory, "actorgateway");

    /// <summary>What this machine lacks to run an arm64 program, or null.</summary>
    public static string? Missing() =>
        !File.Exists(Qemu) ? "qemu-user-static"
        : !File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")) ? "libc6-arm64-cross"
        : !File.Exists(Path.Combine(Sysroot, "lib", "libstdc++.so.6")) ? "libstdc++6-arm64-cross"
        : !File.Exists(Path.Combine(Sysroot, "lib", "libgcc_s.so.1")) ? "libgcc-s1-arm64-cross"
        : null;

    public async Task InitializeAsync()
    {
        if (Missing() is not null)
        {
            return; // every fact that uses the build is skipped
        }

        var (code, stdout, stderr) = await Run.ProcessAsync(
            "bash", [Path.Combine(RepositoryRoot, "tools", "publish"), "--out", PublishRoot, "linux-arm64"], TimeSpan.FromMinutes(10));
        if (code != 0)
        {
            throw new InvalidOperationException($"tools/publish linux-arm64 exited {code}:\n{stdout}\n{stderr}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Runs the arm64 program under qemu, as <c>tools/pi-check</c> does.</summary>
    public Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        Run.ProcessAsync(Qemu, ["-L", Sysroot, Program, .. args], TimeSpan.FromMinutes(2));
}

/// <summary>
/// The Raspberry Pi build (linux-arm64, self-contained, ReadyToRun) started under user-mode qemu with Debian's arm64
/// runtime libraries and no ICU: the program starts, knows its version and reads the seed guide's sysfs tree exactly as
/// the build the other tests run does.
/// </summary>
public sealed class RaspberryPiBuildTests(Arm64Build build) : IClassFixture<Arm64Build>
{
    [Arm64EmulationFact]
    public void Publish_should_put_the_program_and_the_configuration_template_in_the_RID_directory()
    {
        Assert.True(File.Exists(build.Program), build.Program);
        Assert.True((File.GetUnixFileMode(build.Program) & UnixFileMode.UserExecute) != 0, "actorgateway is not executable");
        Assert.Equal(
            File.ReadAllText(Path.Combine(Arm64Build.RepositoryRoot, "hocon", "gateway.conf")),
            File.ReadAllText(Path.Combine(build.Directory, "gateway.conf")));
        Assert.Contains("\"System.Globalization.Invariant\": true", File.ReadAllText(Path.Combine(build.Directory, "actorgateway.runtimeconfig.json")), StringComparison.Ordinal);
    }

    [Arm64EmulationFact]
    public async Task Arm64_build_should_print_its_version_under_emulation()
    {
        var (code, stdout, stderr) = await build.RunAsync("--version");

        Assert.True(code == 0, stderr);
        Assert.Equal(Cli.Version, stdout.Trim());
    }

    [Arm64EmulationFact]
    public async Task Arm64_build_should_scan_the_seed_guides_Pi_as_the_native_build_does()
    {
        var fixture = SysfsFixture.Scenario("rpi1b-seed");

        var (code, arm64, stderr) = await build.RunAsync("scan", "--sysfs-root", fixture);
        var (nativeCode, native, _) = await Run.ProcessAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "actorgateway.dll"), "scan", "--sysfs-root", fixture], TimeSpan.FromMinutes(1));

        Assert.True(code == 0, stderr);
        Assert.Equal(0, nativeCode);
        Assert.Contains("Bus 001 Device 004: ID 0421:054b Nokia Nokia C2-01  [1-1.2]", arm64, StringComparison.Ordinal);
        Assert.Contains("AT first:   /dev/ttyACM0", arm64, StringComparison.Ordinal);
        Assert.Equal(native, arm64);
    }
}

/// <summary>A program started with an argument list, its output collected.</summary>
internal static class Run
{
    public static async Task<(int Code, string Out, string Err)> ProcessAsync(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
