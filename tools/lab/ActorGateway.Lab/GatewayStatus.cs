using System.Text.Json;

namespace ActorGateway.Lab;

/// <summary>One device as <c>actorgateway status --json</c> shows it (the fields the scenarios look at).</summary>
public sealed record DeviceView(
    string Id,
    string State,
    string? Detail,
    string? Port,
    string? Interface,
    string? LocalAddress,
    string? RemoteAddress,
    IReadOnlyList<string> Dns,
    int Connects,
    string? LastError,
    string? Imei)
{
    public bool IsOnline => State == "online" && Interface is not null && LocalAddress is not null && RemoteAddress is not null;

    public override string ToString() =>
        $"{Id}: {State}{(Detail is null ? "" : $" ({Detail})")}"
        + (Interface is null ? "" : $", {Interface} {LocalAddress} -> {RemoteAddress}, dns {string.Join(' ', Dns)}")
        + $", connects {Connects}" + (LastError is null ? "" : $", last error: {LastError}");

    /// <summary>The devices in the control socket's status answer (src/ActorGateway.Host/Control: camelCase, kebab-case enums).</summary>
    public static IReadOnlyList<DeviceView> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. devices.EnumerateArray().Select(d => new DeviceView(
            Text(d, "id") ?? "?",
            Text(d, "state") ?? "?",
            Text(d, "detail"),
            Text(d, "port"),
            Text(d, "interface"),
            Text(d, "localAddress"),
            Text(d, "remoteAddress"),
            d.TryGetProperty("dns", out var dns) && dns.ValueKind == JsonValueKind.Array ? [.. dns.EnumerateArray().Select(x => x.GetString() ?? "")] : [],
            d.TryGetProperty("connects", out var c) && c.TryGetInt32(out var n) ? n : 0,
            Text(d, "lastError"),
            Text(d, "imei")))];
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
