namespace ActorGateway.Lab;

/// <summary>
/// Where the lab's pieces are: the repository (seen by the guest at the same path), the built files, the sockets and the
/// dotnet executable the guest runs the gateway with (the host's, through the guest's 9p root), and which gateway
/// configuration the guest uses.
/// </summary>
public sealed record LabPaths(string Repository, string Work, string Dotnet, string ConfigName)
{
    /// <summary>
    /// The gateway's configuration in the guest: guest/gateway.conf (the modems as static devices on their by-id
    /// links) or guest/gateway-&lt;name&gt;.conf, e.g. gateway-discovery.conf (the gateway finds them on the USB bus).
    /// </summary>
    public string GatewayConfig => Path.Combine(GuestScripts, ConfigName == "static" ? "gateway.conf" : $"gateway-{ConfigName}.conf");

    /// <summary>vmlinuz and initrd.cpio from tools/lab/guest/mkinitramfs.</summary>
    public string Boot => Path.Combine(Work, "boot");

    /// <summary>The published gateway (<c>dotnet publish src/ActorGateway.Host</c>).</summary>
    public string Gateway => Path.Combine(Work, "gateway");

    /// <summary>The folder shared read-write with the guest over 9p (<c>/lab</c> there): the agent's commands, guest logs.</summary>
    public string Share => Path.Combine(Work, "share");

    /// <summary>One log per scenario, plus the VM's console.</summary>
    public string Logs => Path.Combine(Work, "logs");

    /// <summary>The guest-side scripts (the guest sees the host's / read-only, so the same path works there).</summary>
    public string GuestScripts => Path.Combine(Repository, "tools", "lab", "guest");

    /// <summary>Unix sockets live in a short path of their own: sun_path holds 108 bytes (unix(7)).</summary>
    public string Sockets { get; } = Path.Combine(Path.GetTempPath(), $"aglab-{Environment.ProcessId}");
}
