using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;
using ActorGateway.Actors.Settings;
using ActorGateway.Host;
using ActorGateway.Host.Control;
using ActorGateway.Linux.Processes;
using ActorGateway.Linux.Serial;
using ActorGateway.Linux.State;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace ActorGateway.Integration.Tests;

/// <summary>Collects log events so tests can assert what was (and was not) logged.</summary>
public sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    private static readonly MessageTemplateTextFormatter Literal = new("{Message:lj}");

    /// <summary>The messages as the console shows them (strings unquoted), with any exception.</summary>
    public IEnumerable<string> Messages => _events.Select(Render);

    public static string Render(LogEvent e)
    {
        using var text = new StringWriter();
        Literal.Format(e, text);
        return e.Exception is null ? text.ToString() : $"{text} {e.Exception}";
    }

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}

/// <summary>A temporary directory removed at the end of a test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("ag-it-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A real gateway host (System.IO.Ports, real processes, real files) running in this process.</summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private readonly IHost _host;

    private RunningGateway(IHost host, GatewaySettings settings, CollectingSink log)
    {
        _host = host;
        Settings = settings;
        Log = log;
    }

    public GatewaySettings Settings { get; }

    public CollectingSink Log { get; }

    public static async Task<RunningGateway> StartAsync(string hocon, string source = "test")
    {
        var settings = GatewaySettings.Parse(hocon, source);
        var sink = new CollectingSink();
        var logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        var deps = new DeviceDependencies(
            new SystemSerialPortOpener(),
            new LinuxProcessRunner(),
            new FilePinVerdictStore(settings.StateDirectory),
            TimeProvider.System,
            settings.RuntimeDirectory);
        var host = GatewayHost.Build(settings, deps, logger, LogEventLevel.Debug);
        await host.StartAsync();
        return new RunningGateway(host, settings, sink);
    }

    public async Task<Gateway.Status> StatusAsync()
    {
        var json = await ControlClient.RequestAsync(Settings.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10), CancellationToken.None);
        return JsonSerializer.Deserialize<Gateway.Status>(json, ControlJson.Options)!;
    }

    /// <summary>Polls the status until <paramref name="condition"/> holds for the device, or fails after <paramref name="within"/>.</summary>
    public async Task<DeviceStatus> WaitForAsync(string device, Func<DeviceStatus, bool> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        DeviceStatus? last = null;
        while (clock.Elapsed < within)
        {
            if (File.Exists(Settings.ControlSocket))
            {
                try
                {
                    last = (await StatusAsync()).Devices.Single(d => d.Id == device);
                    if (condition(last))
                    {
                        return last;
                    }
                }
                catch (IOException)
                {
                    // The control socket is not listening yet.
                }
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException(
            $"{device} did not reach {what} within {within}; last status: {JsonSerializer.Serialize(last, ControlJson.Options)}\nlog:\n{string.Join('\n', Log.Messages.TakeLast(40))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
