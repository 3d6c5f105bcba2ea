using System.Net;

namespace ActorGateway.Core.Ppp;

/// <summary>What pppd said about its link, gathered from its log lines.</summary>
public sealed record PppLink(
    string? Interface = null,
    IPAddress? LocalAddress = null,
    IPAddress? RemoteAddress = null,
    IPAddress? PrimaryDns = null,
    IPAddress? SecondaryDns = null)
{
    /// <summary>True once IPCP has given both addresses: packets can flow.</summary>
    public bool IsUp => LocalAddress is not null && RemoteAddress is not null;
}

/// <summary>
/// Reads pppd's log lines (with <c>logfd 2</c>) into <see cref="PppLink"/> updates: "Using interface
/// ppp0", "local  IP address …", "remote IP address …", "primary   DNS address …", "secondary DNS address …"
/// (pppd's ipcp.c messages; the same lines wvdial echoes in the seed guide).
/// </summary>
public static class PppdOutput
{
    /// <summary>The link after this line, or null when the line says nothing about it.</summary>
    public static PppLink? Apply(PppLink link, string line)
    {
        // pppd pads these lines with several spaces ("local IP address"); wvdial's copies use one.
        var text = string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (text.StartsWith("Using interface ", StringComparison.Ordinal))
        {
            return link with { Interface = text["Using interface ".Length..].Trim() };
        }

        return Address(text, "local IP address") is { } local ? link with { LocalAddress = local }
            : Address(text, "remote IP address") is { } remote ? link with { RemoteAddress = remote }
            : Address(text, "primary DNS address") is { } dns1 ? link with { PrimaryDns = dns1 }
            : Address(text, "secondary DNS address") is { } dns2 ? link with { SecondaryDns = dns2 }
            : null;
    }

    private static IPAddress? Address(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.Ordinal) && IPAddress.TryParse(text[prefix.Length..].Trim(), out var address)
            ? address
            : null;
}
