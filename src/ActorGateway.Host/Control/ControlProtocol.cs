using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorGateway.Host.Control;

/// <summary>
/// The control socket's protocol: one JSON object per line each way, one request per connection.
/// <c>{"command":"status"}</c> or <c>{"command":"at","device":"dongle","line":"AT+CSQ","timeoutSeconds":10}</c>.
/// </summary>
public sealed record ControlRequest(string Command, string? Device = null, string? Line = null, double? TimeoutSeconds = null);

/// <summary>The answer to an <c>at</c> request.</summary>
public sealed record AtReply(string Device, string Command, string Outcome, IReadOnlyList<string> Lines, string Result, bool Ok);

/// <summary>An error answer: what was wrong with the request.</summary>
public sealed record ControlError(string Error);

/// <summary>JSON settings shared by both ends.</summary>
public static class ControlJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
