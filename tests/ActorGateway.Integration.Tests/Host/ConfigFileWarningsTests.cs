using ActorGateway.Host;

namespace ActorGateway.Integration.Tests.Host;

/// <summary>The start-time check of who may read or write the configuration file (it may hold a PIN).</summary>
public sealed class ConfigFileWarningsTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string ConfigWithMode(UnixFileMode mode)
    {
        var path = _dir.File("gateway.conf");
        File.WriteAllText(path, "actorgateway.defaults.pin = \"1234\"\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void ConfigFileWarnings_should_say_nothing_for_a_file_only_its_owner_reads()
    {
        var path = ConfigWithMode(OwnerOnly);

        Assert.Empty(Preflight.ConfigFileWarnings(path, holdsSecrets: true));
    }

    [Fact]
    public void ConfigFileWarnings_should_name_file_mode_and_fix_when_others_read_a_PIN()
    {
        var path = ConfigWithMode(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var warning = Assert.Single(Preflight.ConfigFileWarnings(path, holdsSecrets: true));

        Assert.Contains($"{path} holds a PIN or password and is readable by others (mode 0644)", warning, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {path}", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFileWarnings_should_warn_about_group_readers_even_without_secrets()
    {
        var path = ConfigWithMode(OwnerOnly | UnixFileMode.GroupRead);

        var warning = Assert.Single(Preflight.ConfigFileWarnings(path, holdsSecrets: false));

        Assert.Contains($"{path} is readable by others (mode 0640); it holds no PIN or password now", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFileWarnings_should_warn_that_a_file_others_may_write_chooses_what_runs_as_root()
    {
        var path = ConfigWithMode(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        var warnings = Preflight.ConfigFileWarnings(path, holdsSecrets: false).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.Contains($"{path} is writable by others (mode 0666)", warnings[0], StringComparison.Ordinal);
        Assert.Contains("readable by others", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFileWarnings_should_say_nothing_about_a_missing_file()
    {
        Assert.Empty(Preflight.ConfigFileWarnings(_dir.File("absent.conf"), holdsSecrets: true));
    }
}
