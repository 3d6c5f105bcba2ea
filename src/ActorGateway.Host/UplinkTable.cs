using System.Globalization;
using System.Text;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Core.Network;

namespace ActorGateway.Host;

/// <summary>Renders <see cref="UplinksStatus"/> as a table: every uplink, which one is active, why and since when.</summary>
public static class UplinkTable
{
    /// <summary>The uplinks table, then the active uplink and its reason, then details.</summary>
    public static string Render(UplinksStatus status, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(status);
        var sb = new StringBuilder("\n");
        if (status.Uplinks.Count == 0)
        {
            sb.Append("No uplinks yet. Declare one in actorgateway.static-uplinks, or plug in a phone with USB tethering.\n");
        }
        else
        {
            var header = new[] { "UPLINK", "INTERFACE", "PRIO", "STATE", "SINCE", "HEALTH", "ADDRESS", "GATEWAY", "DNS", "METRIC" };
            var rows = status.Uplinks.Select(u => new[]
            {
                u.Active ? $"{u.Id} *" : u.Id,
                u.Interface,
                u.Priority.ToString(CultureInfo.InvariantCulture),
                u.State.ToString().ToLowerInvariant(),
                Ago(at - u.Since),
                u.State == UplinkState.Up ? u.Health.ToString().ToLowerInvariant() : "-",
                u.Address ?? "-",
                u.Gateway ?? "-",
                u.Dns.Count == 0 ? "-" : string.Join(' ', u.Dns),
                u.Metric?.ToString(CultureInfo.InvariantCulture) ?? "-",
            }).ToList();
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
            Append(sb, header, widths);
            foreach (var row in rows)
            {
                Append(sb, row, widths);
            }
        }

        sb.Append(status.Active is { } active
            ? $"Active uplink: {active}, for {Ago(at - (status.ActiveSince ?? at))}: {status.Reason}\n"
            : $"No active uplink: {status.Reason}\n");
        if (status.Lan is { } lan)
        {
            sb.Append(status.Sharing ? $"LAN {lan} is shared through NAT.\n" : $"LAN {lan} (not shared through NAT).\n");
        }

        foreach (var u in status.Uplinks)
        {
            var detail = u.State == UplinkState.Up && u.Health != UplinkHealth.Unknown && u.HealthDetail is { } h ? $"{u.Detail}; {h}" : u.Detail;
            if (!string.IsNullOrEmpty(detail))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{u.Id}: {detail}\n");
            }

            if (u.LastProbe is { } probe)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{u.Id}: last probe: {probe}\n");
            }

            if (!string.IsNullOrEmpty(u.LastError))
            {
                var when = u.LastErrorAt is { } e ? $" ({Ago(at - e)} ago)" : string.Empty;
                sb.Append(CultureInfo.InvariantCulture, $"{u.Id}: last error{when}: {u.LastError}\n");
            }
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, IReadOnlyList<string> cells, int[] widths)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            sb.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        sb.Append('\n');
    }

    private static string Ago(TimeSpan t) => t.TotalSeconds < 0 ? "0s"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0}s"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
        : $"{(int)t.TotalHours}h{t.Minutes:00}m";
}
