using ActorGateway.Actors.Settings;

namespace ActorGateway.Host;

/// <summary>
/// What <c>run</c> checks before it opens anything: the directories it must write are writable, no other
/// gateway runs from the same runtime directory, and pppd is there to carry a call.
/// </summary>
public static class Preflight
{
    /// <summary>
    /// Creates the state and runtime directories and proves they take a file. Prints what is wrong, naming
    /// the key, and returns false when one does not: a PIN verdict that cannot be written must stop the
    /// gateway at start, not at the first PIN.
    /// </summary>
    public static bool DirectoriesWritable(GatewaySettings settings, TextWriter error)
    {
        foreach (var (key, path) in new[] { ("state-directory", settings.StateDirectory), ("runtime-directory", settings.RuntimeDirectory) })
        {
            try
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
                var probe = Path.Combine(path, $".actorgateway-write-test-{Environment.ProcessId}");
                File.WriteAllText(probe, string.Empty);
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {settings.Source}: {GatewaySettings.Section}.{key}: {path} is not writable ({e.Message})");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Takes the runtime directory's instance lock (an exclusive flock, which .NET takes for
    /// <see cref="FileShare.None"/>), or prints who holds it and returns null: two gateways on the same
    /// ports would garble each other's AT conversations, and root passes the ports' TIOCEXCL.
    /// </summary>
    public static FileStream? InstanceLock(GatewaySettings settings, TextWriter error)
    {
        var path = Path.Combine(settings.RuntimeDirectory, "actorgateway.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.WriteLine(Environment.ProcessId);
            }

            stream.Flush();
            return stream;
        }
        catch (IOException)
        {
            var holder = TryRead(path);
            error.WriteLine($"error: another gateway is running with this runtime directory ({path}{(holder is null ? string.Empty : $", pid {holder}")}); stop it first");
            return null;
        }
    }

    /// <summary>What is missing to carry a call, in words (empty when pppd is installed).</summary>
    public static IEnumerable<string> PppWarnings(GatewaySettings settings)
    {
        var programs = settings.StaticDevices.Select(d => d.Profile.Ppp.Program).Append(settings.Defaults.Ppp.Program).Distinct(StringComparer.Ordinal);
        foreach (var program in programs)
        {
            if (!File.Exists(program))
            {
                yield return $"{program} is not installed: a modem can be dialled but no call carried (install it: apt-get install ppp)";
            }
        }
    }

    /// <summary>
    /// What is wrong with the configuration file's permissions, in words (empty when only its owner can read and write
    /// it). It may hold a SIM PIN and PPP passwords, so any reader but the owner is worth a warning, and more so when it
    /// holds one now. Whoever may write it chooses the programs the gateway starts as root (<c>ppp.program</c>).
    /// </summary>
    public static IEnumerable<string> ConfigFileWarnings(string path, bool holdsSecrets)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        var mode = File.GetUnixFileMode(path);
        var octal = Convert.ToString((int)mode & 0x1ff, 8).PadLeft(4, '0');
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            yield return $"{path} is writable by others (mode {octal}): whoever can write it chooses the programs the gateway runs as root. Make it 0600: chmod 600 {path}";
        }

        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            yield return holdsSecrets
                ? $"{path} holds a PIN or password and is readable by others (mode {octal}). Make it 0600: chmod 600 {path}"
                : $"{path} is readable by others (mode {octal}); it holds no PIN or password now, but one added later would be readable too. Make it 0600: chmod 600 {path}";
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadLine()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
