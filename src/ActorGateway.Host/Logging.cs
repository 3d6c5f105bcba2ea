using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

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
            ? configuration.WriteTo.Console(new LiteralJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger()
            : configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger();
    }
}

/// <summary>
/// One JSON object per event in the shape of Serilog's compact format (<c>@t</c>, <c>@l</c>, <c>@m</c>, <c>@x</c>,
/// then the properties: <c>DeviceId</c>, <c>Port</c>, …), with the message rendered as a person reads it — strings
/// not quoted — so that <c>@m</c> says <c>nokia: CONNECT</c>, not <c>"nokia": CONNECT</c>.
/// </summary>
public sealed class LiteralJsonFormatter : ITextFormatter
{
    private static readonly MessageTemplateTextFormatter Message = new("{Message:lj}");
    private static readonly JsonValueFormatter Values = new(typeTagName: null);

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write("{\"@t\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        output.Write("\",\"@l\":\"");
        output.Write(logEvent.Level);
        output.Write("\",\"@m\":");
        using (var message = new StringWriter(CultureInfo.InvariantCulture))
        {
            Message.Format(logEvent, message);
            JsonValueFormatter.WriteQuotedJsonString(message.ToString(), output);
        }

        if (logEvent.Exception is not null)
        {
            output.Write(",\"@x\":");
            JsonValueFormatter.WriteQuotedJsonString(logEvent.Exception.ToString(), output);
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            // Names that are only digits come from positional templates and add nothing a reader can query;
            // Akka's own Timestamp repeats @t.
            if (name.All(char.IsAsciiDigit) || name == "Timestamp")
            {
                continue;
            }

            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name.StartsWith('@') ? "@" + name : name, output);
            output.Write(':');
            Values.Format(value, output);
        }

        output.WriteLine('}');
    }
}
