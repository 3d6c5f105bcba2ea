using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ActorGateway.Actors.At;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Power;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.At;
using ActorGateway.Host.Service;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorGateway.Host.Control;

/// <summary>
/// Serves <c>actorgateway status</c> and <c>actorgateway at</c> on a Unix socket (mode 0600 in a 0750
/// directory). AT commands go through the device's own AT channel, so no second program ever opens
/// the port — the seed guide's minicom step without its stale-port trap.
/// </summary>
public sealed class ControlSocketServer(
    string path, IRequiredActor<GatewaySupervisor> gateway, ILogger<ControlSocketServer> log, ActorRegistry? registry = null,
    Func<Task<ReloadReply>>? reload = null)
    : BackgroundService
{
    private static readonly TimeSpan MaxAtTimeout = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (File.Exists(path))
        {
            File.Delete(path); // a socket left by a gateway that did not stop cleanly
        }

        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        log.LogInformation("Control socket listening on {Path}", path);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                _ = ServeAsync(client, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stoppingToken)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        object reply;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var line = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            var request = line is null ? null : JsonSerializer.Deserialize<ControlRequest>(line, ControlJson.Options);
            reply = request is null ? new ControlError("empty request") : await HandleAsync(request).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            reply = new ControlError($"not a JSON request: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Control request failed");
            reply = new ControlError(e.Message);
        }

        try
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(reply, reply.GetType(), ControlJson.Options)).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client went away.
        }
    }

    private async Task<object> HandleAsync(ControlRequest request)
    {
        var actor = await gateway.GetAsync().ConfigureAwait(false);
        switch (request.Command)
        {
            case "status":
                var status = await actor.Ask<Gateway.Status>(Gateway.GetStatus.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                if (registry is not null && registry.TryGet<UplinkManagerActor>(out var uplinks))
                {
                    // The devices' status and the network's, side by side: the two sides do not know each other.
                    var network = await uplinks.Ask<UplinksStatus>(UplinkManager.GetStatus.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                    return new StatusReply(status.At, status.Devices, network) { Power = await PowerAsync().ConfigureAwait(false) };
                }

                return await PowerAsync().ConfigureAwait(false) is { } power ? new StatusReply(status.At, status.Devices, null) { Power = power } : status;
            case "reload":
                if (reload is null)
                {
                    return new ControlError("this gateway was not started from a configuration file (actorgateway run); nothing to reload");
                }

                return await reload().ConfigureAwait(false);
            case "at":
                if (string.IsNullOrWhiteSpace(request.Device) || string.IsNullOrWhiteSpace(request.Line))
                {
                    return new ControlError("an at request needs device and line");
                }

                var timeout = TimeSpan.FromSeconds(Math.Clamp(request.TimeoutSeconds ?? 10, 0.1, MaxAtTimeout.TotalSeconds));
                AtCommand command;
                try
                {
                    command = new AtCommand(request.Line, timeout);
                }
                catch (ArgumentException e)
                {
                    return new ControlError(e.Message);
                }

                if (command.CanConnect)
                {
                    // A dial from outside would put the line in data mode behind the modem session's back.
                    return new ControlError($"{command.ForLog} would start a data call; the gateway dials by itself (see actorgateway status)");
                }

                log.LogInformation("AT command for {Device} from the control socket: {Command}", request.Device, command.ForLog);
                var answer = await actor.Ask<object>(new Gateway.SendAt(request.Device, command), timeout + TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                if (answer is not AtChannel.Response response)
                {
                    return new ControlError($"device {request.Device} is being restarted; try again shortly");
                }

                return new AtReply(request.Device, command.ForLog, response.Result.Outcome.ToString(),
                    response.Result.Lines, response.Result.Describe(), response.Result.IsOk || response.Result.Outcome == AtOutcome.Connect);
            default:
                return new ControlError($"unknown command \"{request.Command}\" (known: status, at, reload)");
        }
    }

    /// <summary>The supply's status on a Raspberry Pi; null elsewhere (nothing is said about power there).</summary>
    private async Task<PowerStatus?> PowerAsync()
    {
        if (registry is null || !registry.TryGet<PowerMonitorActor>(out var power))
        {
            return null;
        }

        var status = await power.Ask<PowerStatus>(PowerMonitor.GetStatus.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return status.Available ? status : null;
    }
}
