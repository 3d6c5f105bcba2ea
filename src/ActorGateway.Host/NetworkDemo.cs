using System.Diagnostics;
using System.Reflection;
using ActorGateway.Simulation.Network;

namespace ActorGateway.Host;

/// <summary>
/// The demo's simulated Android phone, shared to a LAN (root only). The phone, the "internet" and a LAN host are
/// network namespaces (<see cref="TetheringLab"/>): the phone's tethering link ends in the gateway's namespace as
/// <c>usb0</c>, with dnsmasq on the phone's end (<c>--no-ping</c>). The demo's gateway itself then runs in that
/// gateway namespace — the same program, started again with <c>ip netns exec</c> — so that its routes, nft table
/// and ip_forward belong to the lab and never touch this machine's own network. Everything is removed on exit.
/// </summary>
public static class NetworkDemo
{
    /// <summary>The phone's id in the demo's configuration.</summary>
    public const string PhoneId = "android";

    /// <summary>True when the demo can build the lab: root, with ip, nft, dnsmasq and udhcpc present.</summary>
    public static bool CanRun => NetworkLab.CanRun && new[] { "/usr/sbin/nft", "/usr/sbin/dnsmasq", "/usr/sbin/udhcpc" }.All(File.Exists);

    /// <summary>What the demo's gateway adds to its configuration inside the lab: the phone as an uplink, the LAN.</summary>
    public static string Configuration(string lanInterface) => $$"""
        static-uplinks = [ { id = "{{PhoneId}}", interface = "usb0", method = "dhcp", priority = 10 } ]
        lan { interface = "{{lanInterface}}", address = "{{TetheringLab.LanGatewayAddress}}/{{TetheringLab.LanPrefix}}", dhcp.ping-check = off }
        health.targets = ["{{TetheringLab.InternetAddress}}"]
        failover.hold-time = 10s
        """;

    /// <summary>
    /// Builds the lab, runs this same demo command again inside its gateway namespace (with <paramref name="childFlag"/>
    /// added) until it ends, and removes the lab. Returns the child's exit status.
    /// </summary>
    public static async Task<int> RunAroundAsync(string childFlag, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);
        await using var lab = await TetheringLab.CreateAsync([new PhoneSpec(PhoneId, "usb0")]).ConfigureAwait(false);
        logger.Information("Simulated Android phone in USB tethering: namespace {Phone}, its end rndis0 {Address}/24 with dnsmasq (DHCP and DNS); " +
            "on the gateway its interface is usb0. The internet address {Internet} is behind it",
            lab.Phone(PhoneId).Namespace, lab.Phone(PhoneId).Address, TetheringLab.InternetAddress);
        logger.Information("LAN host: namespace {Lan}, {Host}/24, default route through the gateway's {Gateway}. Try: sudo ip netns exec {Lan} ping {Internet}",
            lab.LanNamespace, TetheringLab.LanHostAddress, TetheringLab.LanGatewayAddress, lab.LanNamespace, TetheringLab.InternetAddress);
        logger.Information("Pull the phone's cable: sudo ip -n {Phone} link set rndis0 down. The gateway runs in namespace {Gateway}, so this machine's own routes and firewall are never touched",
            lab.Phone(PhoneId).Namespace, lab.GatewayNamespace);

        var (program, args) = SelfCommand();
        var info = new ProcessStartInfo(NetworkLab.Ip) { UseShellExecute = false }; // stdio inherited: the child's log is ours
        foreach (var a in (string[])["netns", "exec", lab.GatewayNamespace, program, .. args, childFlag, lab.LanInterface])
        {
            info.ArgumentList.Add(a);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("the demo could not start itself in the lab");
        try
        {
            await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C reached the child too (same process group); a SIGTERM to us alone is passed on.
            NetworkLab.Signal(child, 15);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await child.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }

        logger.Information("Removing the simulated phone, the LAN host and their namespaces");
        return child.ExitCode;
    }

    /// <summary>This program and its arguments as it was started (the dll after dotnet, when run with dotnet).</summary>
    private static (string Program, string[] Args) SelfCommand()
    {
        var args = Environment.GetCommandLineArgs()[1..];
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [Assembly.GetEntryAssembly()!.Location, .. args])
            : (process, args);
    }
}
