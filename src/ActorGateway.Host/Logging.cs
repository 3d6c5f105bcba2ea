using System.Globalization;
using ActorGateway.Core.Service;
using ActorGateway.Linux.Systemd;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace ActorGateway.Host;

/// <summary>
/// How the program logs: human lines on the console, one JSON object per event, or entries in the systemd journal with
/// their properties as fields. Auto: the journal when stderr is the journal stream systemd set up, else the console.
/// </summary>
public enum LogFormat
{
    Auto,
    Console,
    Json,
    Journal,
}

/// <summary>Builds the Serilog logger for every command.</summary>
public static class Logging
{
    /// <summary>
    /// A logger at <paramref name="level"/> in <paramref name="format"/>: to stderr, or to journald's socket
    /// (<paramref name="journalSocket"/>, by default <see cref="JournalSocket.DefaultPath"/>) for the journal.
    /// </summary>
    public static ILogger Create(LogFormat format, LogEventLevel level, string? journalSocket = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        return Resolve(format) switch
        {
            LogFormat.Json => configuration.WriteTo.Console(new LiteralJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger(),
            LogFormat.Journal => configuration.WriteTo.Sink(new JournalSink(new JournalSocket(journalSocket ?? JournalSocket.DefaultPath), System.Console.Error)).CreateLogger(),
            _ => configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger(),
        };
    }

    /// <summary>What <see cref="LogFormat.Auto"/> means here: the journal when systemd connected stderr to it, else the console.</summary>
    public static LogFormat Resolve(LogFormat format) =>
        format != LogFormat.Auto ? format : JournalSocket.StderrIsJournal() ? LogFormat.Journal : LogFormat.Console;
}

/// <summary>
/// Writes each event to the systemd journal in its native protocol (systemd.journal-fields(7)), so that the event's
/// properties become fields a person can filter on — <c>journalctl -u actorgateway DEVICE_ID=dongle</c>,
/// <c>UPLINK_ID=phone</c>, <c>STATE=online</c> — with <c>PRIORITY</c> from the level, <c>MESSAGE</c> rendered as the
/// console shows it, and no timestamp of its own (journald stamps every entry). Chosen over <c>&lt;N&gt;</c> prefixes on
/// stderr, which carry the priority but no fields. An entry journald does not take (socket gone, too big) is written to
/// stderr instead with its <c>&lt;N&gt;</c> priority prefix (sd-daemon(3)), which journald's stream still understands.
/// PINs and passwords never reach a log event in the first place (the AT layer masks them), so none reaches a field.
/// </summary>
public sealed class JournalSink(JournalSocket socket, TextWriter fallback) : Serilog.Core.ILogEventSink, IDisposable
{
    private static readonly MessageTemplateTextFormatter Message = new("{Message:lj}");
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "SYSLOG_PID", "SYSLOG_FACILITY", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
        "ERRNO", "MESSAGE_ID", "TIMESTAMP", "SOURCE_REALTIME_TIMESTAMP",
    };

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        string text;
        using (var message = new StringWriter(CultureInfo.InvariantCulture))
        {
            Message.Format(logEvent, message);
            text = message.ToString();
        }

        var priority = JournalFields.Priority(logEvent.Level.ToString());
        using var entry = new MemoryStream();
        JournalFields.Append(entry, "MESSAGE", logEvent.Exception is null ? text : $"{text}\n{logEvent.Exception}");
        JournalFields.Append(entry, "PRIORITY", priority.ToString(CultureInfo.InvariantCulture));
        JournalFields.Append(entry, "SYSLOG_IDENTIFIER", "actorgateway");
        foreach (var (name, value) in logEvent.Properties)
        {
            if (name.All(char.IsAsciiDigit) || name == "Timestamp" || JournalFields.Name(name) is not { } field)
            {
                continue; // positional names say nothing; Akka's Timestamp repeats the journal's own
            }

            JournalFields.Append(entry, Reserved.Contains(field) ? "AG_" + field : field, Render(value));
        }

        if (!socket.Send(entry.GetBuffer().AsSpan(0, (int)entry.Length)))
        {
            lock (fallback)
            {
                fallback.WriteLine($"<{priority.ToString(CultureInfo.InvariantCulture)}>{text.Replace('\n', ' ')}");
                fallback.Flush();
            }
        }
    }

    private static string Render(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: null } => string.Empty,
        ScalarValue { Value: string s } => s,
        ScalarValue { Value: IFormattable f } => f.ToString(null, CultureInfo.InvariantCulture),
        ScalarValue { Value: var v } => v.ToString() ?? string.Empty,
        _ => value.ToString(null, CultureInfo.InvariantCulture),
    };

    public void Dispose() => socket.Dispose();
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
