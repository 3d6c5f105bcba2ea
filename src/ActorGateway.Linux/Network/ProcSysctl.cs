using ActorGateway.Core.Network;

namespace ActorGateway.Linux.Network;

/// <summary>
/// Kernel parameters through /proc/sys (sysctl(8): <c>net.ipv4.ip_forward</c> is /proc/sys/net/ipv4/ip_forward).
/// The net.* files belong to the network namespace of whoever opens them, so a gateway run in a namespace
/// (the tests, the demo) changes that namespace's values only.
/// </summary>
public sealed class ProcSysctl : ISysctl
{
    /// <inheritdoc />
    public string? Read(string name)
    {
        try
        {
            return File.ReadAllText(PathOf(name)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Write(string name, string value) => File.WriteAllText(PathOf(name), value + "\n");

    // sysctl(8): dots separate the parts, unless the name uses slashes (needed when a part, such as a VLAN
    // interface eth0.100, contains a dot).
    private static string PathOf(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/') && !name.Contains("..", StringComparison.Ordinal)
            && !name.StartsWith('/')
            ? "/proc/sys/" + (name.Contains('/') ? name : name.Replace('.', '/'))
            : throw new ArgumentException($"\"{name}\" is not a sysctl name", nameof(name));
}

/// <summary>Directories for other programs' files.</summary>
public sealed class RuntimeFiles : IRuntimeFiles
{
    /// <inheritdoc />
    public void CreateDirectory(string path) =>
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
}
