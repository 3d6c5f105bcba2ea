using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Linux.Network;
using ActorGateway.Linux.Processes;

namespace ActorGateway.Host;

/// <summary>Whether the network side runs here, and the Linux adapters it runs on.</summary>
public static class UplinkSetup
{
    /// <summary>
    /// The network settings, with <c>Enabled</c> off when the configuration asks for nothing (no static-uplinks, no
    /// lan) or the gateway is not root: routes, nft, DHCP and sysctl need CAP_NET_ADMIN, and half a network side
    /// is worse than none. Either way the log says so, once.
    /// </summary>
    public static UplinkSettings Decide(GatewaySettings settings, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var uplinks = UplinkSettings.Create(settings);
        if (!uplinks.Enabled)
        {
            logger.Information("Uplinks are not managed: {Because}. pppd keeps its own default route; no NAT, no failover", uplinks.EnabledBecause);
            return uplinks;
        }

        if (!Environment.IsPrivilegedProcess && uplinks.EnabledBecause == UplinkSettings.UsbDiscoveryReason)
        {
            // Nothing was asked for explicitly: without root, say it plainly but do not call it an error.
            logger.Information("Uplinks are not managed: the gateway is not root (routes, nftables and DHCP need it). pppd keeps its own default route; " +
                "a phone found on USB gets no DHCP");
            return uplinks with { Enabled = false, EnabledBecause = "not root" };
        }

        if (!Environment.IsPrivilegedProcess)
        {
            logger.Error("Uplinks are configured ({Because}) but the gateway is not root: routes, nftables, DHCP and ip_forward need root. " +
                "Not starting them; the modems still run", uplinks.EnabledBecause);
            return uplinks with { Enabled = false, EnabledBecause = "not root" };
        }

        logger.Information("Uplinks are managed ({Because}): the gateway owns the default route (pppd gets nodefaultroute){Nat}",
            uplinks.EnabledBecause, uplinks.Nat.Enabled ? $", NAT table inet {uplinks.Nat.Table}" : string.Empty);
        return uplinks;
    }

    /// <summary>The Linux adapters: ip and nft as programs, rtnetlink for link events, probes bound to interfaces, /proc/sys.</summary>
    public static NetworkDependencies LinuxDependencies() => new(
        new LinuxCommandRunner(),
        new LinuxProcessRunner(),
        new NetlinkLinkMonitor(),
        new InterfaceProber(),
        new ProcSysctl(),
        new RuntimeFiles(),
        TimeProvider.System,
        new PendingReleases());
}
