using System.Runtime.InteropServices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Hosting;
using ActorGateway.Actors.Metrics;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Service;
using ActorGateway.Actors.Settings;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Io;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;

namespace ActorGateway.Host.Service;

/// <summary>
/// What a reload did, for <c>actorgateway reload</c> and the log. A refusal travels as <c>problem</c>, not <c>error</c>:
/// the client reads a top-level <c>error</c> as a failed request, and would never say that the old configuration runs on.
/// </summary>
public sealed record ReloadReply(
    bool Ok, [property: System.Text.Json.Serialization.JsonPropertyName("problem")] string? Error, string Source, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Restarted,
    IReadOnlyList<string> Unchanged, IReadOnlyList<string> NeedRestart);

/// <summary>
/// Reloads the configuration on SIGHUP (<c>systemctl reload actorgateway</c>: the unit's <c>ExecReload=</c> sends it) or
/// <c>actorgateway reload</c>: the file is read and checked exactly as at start — a bad one is refused with the same
/// error and the running configuration kept — then only what changed is restarted: static devices by the gateway
/// supervisor, static uplinks by the uplink manager, each diffed by id. Keys that only a restart applies (sockets,
/// directories, USB discovery, the network side's LAN and NAT, metrics, power, service) are named. systemd is told
/// <c>RELOADING=1</c> and then <c>READY=1</c> (sd_notify(3)). One reload at a time.
/// </summary>
public sealed class ConfigReloader(
    FileInfo? file, GatewaySettings running, UplinkSettings runningUplinks, ActorRegistry registry, IServiceNotifier notifier, Serilog.ILogger logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly IReadOnlySet<string> EmptyIds = new HashSet<string>();
    private readonly SemaphoreSlim _one = new(1, 1);
    private GatewaySettings _settings = running;
    private PosixSignalRegistration? _hangup;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means reload here, not "terminal gone"
            _ = ReloadAsync("SIGHUP");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _hangup?.Dispose();
        _hangup = null;
        return Task.CompletedTask;
    }

    /// <summary>Reloads; never throws (a failure is in the reply, and logged).</summary>
    public async Task<ReloadReply> ReloadAsync(string trigger)
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            notifier.Notify(ServiceNotifications.ReloadingAt(ServiceNotifications.MonotonicUsecNow()) + "\n" + ServiceNotifications.Status($"reloading the configuration ({trigger})"));
            var reply = await ApplyAsync(trigger).ConfigureAwait(false);
            notifier.Notify(ServiceNotifications.ReadyWithStatus(reply.Ok
                ? $"reloaded: {reply.Restarted.Count} restarted, {reply.Added.Count} added, {reply.Removed.Count} removed"
                : $"reload refused, running with the previous configuration: {reply.Error}"));
            return reply;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<ReloadReply> ApplyAsync(string trigger)
    {
        var errors = new StringWriter();
        var loaded = Cli.LoadSettings(file, errors);
        string? problem = null;
        GatewaySettings next = _settings;
        UplinkSettings? uplinks = null;
        if (loaded is not { } l)
        {
            problem = errors.ToString().Trim().Replace("error: ", string.Empty, StringComparison.Ordinal);
        }
        else
        {
            try
            {
                next = l.Settings;
                uplinks = UplinkSettings.Create(next);
                _ = UsbSettings.Create(next);
                _ = PowerSettings.Create(next);
                _ = MetricsSettings.Create(next);
                _ = ServiceSettings.Create(next);
            }
            catch (GatewayConfigException e)
            {
                problem = e.Message;
            }
        }

        var source = loaded?.Source ?? file?.FullName ?? Cli.SystemConfig;
        if (problem is not null || uplinks is null)
        {
            logger.Error("Reload ({Trigger}) refused: {Problem}; the running configuration is kept", trigger, problem);
            return new ReloadReply(false, problem, source, [], [], [], [], []);
        }

        var needRestart = SettingsComparison.ChangedKeys(
            ("control-socket", _settings.ControlSocket, next.ControlSocket),
            ("state-directory", _settings.StateDirectory, next.StateDirectory),
            ("runtime-directory", _settings.RuntimeDirectory, next.RuntimeDirectory),
            // The static devices' ids and ports are in UsbSettings too; they are the gateway supervisor's to reload.
            ("usb", UsbSettings.Create(_settings) with { StaticIds = EmptyIds, StaticPorts = EmptyIds },
                UsbSettings.Create(next) with { StaticIds = EmptyIds, StaticPorts = EmptyIds }),
            ("power", PowerSettings.Create(_settings), PowerSettings.Create(next)),
            ("metrics", MetricsSettings.Create(_settings), MetricsSettings.Create(next)),
            ("service", ServiceSettings.Create(_settings), ServiceSettings.Create(next)));
        if (uplinks.Enabled != runningUplinks.Enabled && runningUplinks.EnabledBecause != "not root")
        {
            needRestart.Add("uplinks.enabled");
        }

        // pppd's own default route stays off exactly when the network side runs now, whatever the new file says.
        var handedOver = next.WithPppRoutesHandedOver(uplinks with { Enabled = runningUplinks.Enabled });
        var gateway = registry.Get<GatewaySupervisor>();
        Gateway.Reloaded devices;
        UplinkManager.Reloaded? network = null;
        try
        {
            devices = await gateway.Ask<Gateway.Reloaded>(new Gateway.Reload(handedOver), AskTimeout).ConfigureAwait(false);
            if (runningUplinks.Enabled && uplinks.Enabled && registry.TryGet<UplinkManagerActor>(out var manager))
            {
                network = await manager.Ask<UplinkManager.Reloaded>(new UplinkManager.Reload(uplinks), AskTimeout).ConfigureAwait(false);
                needRestart.AddRange(network.NeedRestart);
            }
        }
        catch (AskTimeoutException)
        {
            logger.Error("Reload ({Trigger}): the gateway did not answer within {Timeout} s", trigger, AskTimeout.TotalSeconds);
            return new ReloadReply(false, "the gateway did not answer in time", source, [], [], [], [], []);
        }

        _settings = next;
        static IEnumerable<string> Tag(IEnumerable<string> ids, string kind) => ids.Select(id => $"{kind} {id}");
        var reply = new ReloadReply(true, null, source,
            [.. Tag(devices.Added, "device"), .. Tag(network?.Added ?? [], "uplink")],
            [.. Tag(devices.Removed, "device"), .. Tag(network?.Removed ?? [], "uplink")],
            [.. Tag(devices.Restarted, "device"), .. Tag(network?.Restarted ?? [], "uplink")],
            [.. Tag(devices.Unchanged, "device"), .. Tag(network?.Unchanged ?? [], "uplink")],
            needRestart);
        logger.Information("Configuration reloaded from {Source} ({Trigger}): restarted {Restarted}, added {Added}, removed {Removed}, unchanged {Unchanged}",
            source, trigger, Words(reply.Restarted), Words(reply.Added), Words(reply.Removed), Words(reply.Unchanged));
        if (needRestart.Count > 0)
        {
            logger.Warning("Changed keys that take effect only when the gateway restarts: {Keys} (systemctl restart actorgateway)", string.Join(", ", needRestart));
        }

        return reply;
    }

    private static string Words(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    public void Dispose()
    {
        _hangup?.Dispose();
        _one.Dispose();
    }
}
