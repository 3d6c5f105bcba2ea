using ActorGateway.Actors.Settings;

namespace ActorGateway.Actors.Power;

/// <summary>Watching the board's supply (<c>actorgateway.power</c>).</summary>
/// <param name="Enabled">False only when switched off; on a board without the sensors the monitor says nothing either way.</param>
/// <param name="SysfsRoot">Where sysfs is (tests point it at fixture trees).</param>
/// <param name="PollInterval">How often the flags are read.</param>
/// <param name="ResetWindow">A device that vanishes or is reset this close to an under-voltage is reported as its casualty.</param>
public sealed record PowerSettings(bool Enabled, string SysfsRoot, TimeSpan PollInterval, TimeSpan ResetWindow)
{
    /// <summary>Reads <c>actorgateway.power</c>.</summary>
    public static PowerSettings Create(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var root = new ConfigReader(settings.Root, settings.Source, GatewaySettings.Section);
        var defaults = new PowerSettings(true, "/sys", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
        if (root.Object("power") is not { } r)
        {
            return defaults;
        }

        r.RejectUnknown(["enabled", "sysfs-root", "poll-interval", "reset-window"]);
        var sysfs = r.String("sysfs-root", defaults.SysfsRoot);
        return new PowerSettings(
            r.Bool("enabled", defaults.Enabled),
            sysfs.StartsWith('/') ? sysfs : throw r.Error("sysfs-root", $"must be an absolute path, got \"{sysfs}\""),
            r.Duration("poll-interval", defaults.PollInterval),
            r.Duration("reset-window", defaults.ResetWindow));
    }
}
