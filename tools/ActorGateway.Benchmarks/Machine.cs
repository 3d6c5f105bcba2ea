using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ActorGateway.Benchmarks;

/// <summary>What the figures were measured on, so that figures from two machines can be told apart.</summary>
internal sealed record Machine(string Cpus, string Cpu, string DotnetSdk, string Runtime, string Os, string Kernel, string? Wvdial, string Load)
{
    /// <summary>The dotnet host: the one in DOTNET_ROOT, else the one on PATH.</summary>
    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))
            ? Path.Combine(root, "dotnet")
            : FindOnPath("dotnet") ?? "dotnet";

    /// <summary>The 1-minute load average (other work on the machine skews the figures).</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static Machine Describe(string? wvdial, string loadAtStart) => new(
        Cpus: Run("nproc", []) ?? Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Cpu: CpuModel(),
        DotnetSdk: Run(Dotnet, ["--version"], RepositoryRoot()) ?? "unknown",
        Runtime: RuntimeInformation.FrameworkDescription,
        Os: OsName(),
        Kernel: KernelRelease(),
        Wvdial: wvdial is null ? null : Run("dpkg-query", ["-W", "-f=${Version}", "wvdial"]) is { } v ? $"wvdial {v} (Debian package)" : "wvdial",
        Load: $"{loadAtStart} at the start, {LoadAverage()} at the end");

    /// <summary>The directory holding ActorGateway.sln above this program, or null.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorGateway.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string KernelRelease()
    {
        try
        {
            return $"Linux {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}";
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    private static string OsName()
    {
        try
        {
            return File.ReadLines("/etc/os-release")
                .Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                .Select(l => l["PRETTY_NAME=".Length..].Trim('"'))
                .FirstOrDefault() ?? "Linux";
        }
        catch (IOException)
        {
            return "Linux";
        }
    }

    /// <summary>The trimmed standard output of a short program, or null when it failed or is missing.</summary>
    private static string? Run(string program, string[] arguments, string? workingDirectory = null)
    {
        try
        {
            var info = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
