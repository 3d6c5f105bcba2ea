using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ActorGateway.Host;

/// <summary>How the program logs: human lines on the console, or one JSON object per event.</summary>
public enum LogFormat
{
    Console,
    Json,
}

/// <summary>Builds the Serilog logger for every command.</summary>
public static class Logging
{
    /// <summary>A logger to stderr at <paramref name="level"/> in <paramref name="format"/>.</summary>
    public static ILogger Create(LogFormat format, LogEventLevel level)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        return format == LogFormat.Json
            ? configuration.WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger()
            : configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger();
    }
}
