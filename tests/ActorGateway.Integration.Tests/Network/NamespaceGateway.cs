using System.Diagnostics;
using System.Text.Json;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Host.Control;
using ActorGateway.Simulation.Network;

namespace ActorGateway.Integration.Tests.Network;

/// <summary>A fact that needs root and the real network tools (ip, nft, dnsmasq, udhcpc); skipped, saying why, elsewhere.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (!NetworkLab.CanRun)
        {
            Skip = "needs root and iproute2 to build network namespaces";
        }
        else if (new[] { "/usr/sbin/nft", "/usr/sbin/dnsmasq", "/usr/sbin/udhcpc" }.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            Skip = $"needs {missing} (sudo ./tools/test installs it)";
        }
    }
}

/// <summary>
/// The real <c>actorgateway run</c>, started as its own process inside the lab's <c>gw</c> namespace (as it
/// would run in a container): every route, address, nft table and sysctl it touches is that namespace's, never
/// the test machine's. Its status comes through the control socket, a file, which namespaces do not hide.
/// </summary>
public sealed class NamespaceGateway
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private NamespaceGateway(Process process, string socket)
    {
        _process = process;
        Socket = socket;
    }

    public string Socket { get; }

    /// <summary>What the gateway logged so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the gateway in the lab with <paramref name="network"/> (the keys inside <c>actorgateway { }</c>).</summary>
    public static NamespaceGateway Start(TetheringLab lab, TempDir dir, string network)
    {
        var socket = dir.File("control.sock");
        var config = dir.File("gateway.conf");
        File.WriteAllText(config, $$"""
            actorgateway {
              control-socket = "{{socket}}"
              state-directory = "{{dir.File("state")}}"
              runtime-directory = "{{dir.File("run")}}"
              {{network}}
            }
            """);
        NamespaceGateway? gateway = null;
        var early = new List<string>();
        var process = lab.Lab.Start(lab.GatewayNamespace, "dotnet", [Path.Combine(AppContext.BaseDirectory, "actorgateway.dll"), "run", "--config", config], line =>
        {
            var target = gateway?._lines ?? early;
            lock (target)
            {
                target.Add(line);
            }
        });
        gateway = new NamespaceGateway(process, socket);
        lock (early)
        {
            gateway._lines.AddRange(early);
        }

        return gateway;
    }

    public async Task<StatusReply> StatusAsync()
    {
        var json = await ControlClient.RequestAsync(Socket, new ControlRequest("status"), TimeSpan.FromSeconds(5), CancellationToken.None);
        return JsonSerializer.Deserialize<StatusReply>(json, ControlJson.Options)!;
    }

    /// <summary>Polls the uplinks' status until <paramref name="condition"/> holds, or fails after <paramref name="within"/> with the last status and log.</summary>
    public async Task<UplinksStatus> WaitForAsync(Func<UplinksStatus, bool> condition, TimeSpan within, string what) =>
        (await WaitForStatusAsync(s => s.Uplinks is { } u && condition(u), within, what)).Uplinks!;

    /// <summary>Polls the whole status (devices and uplinks) until <paramref name="condition"/> holds, or fails after <paramref name="within"/>.</summary>
    public async Task<StatusReply> WaitForStatusAsync(Func<StatusReply, bool> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        StatusReply? last = null;
        while (clock.Elapsed < within)
        {
            if (_process.HasExited)
            {
                break;
            }

            if (File.Exists(Socket))
            {
                try
                {
                    last = await StatusAsync();
                    if (condition(last))
                    {
                        return last;
                    }
                }
                catch (IOException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException(
            $"the gateway did not reach {what} within {within}; last status: {JsonSerializer.Serialize(last, ControlJson.Options)}\nlog:\n{string.Join('\n', Lines.TakeLast(40))}");
    }

    /// <summary>The gateway's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Stops it as systemd would (SIGTERM) and returns its exit status.</summary>
    public async Task<int> StopAsync()
    {
        NetworkLab.Signal(_process, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }
}
