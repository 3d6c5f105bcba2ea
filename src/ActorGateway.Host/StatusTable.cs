using System.Globalization;
using System.Text;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Gateway;

namespace ActorGateway.Host;

/// <summary>Renders <see cref="Gateway.Status"/> as a table a person reads at a glance.</summary>
public static class StatusTable
{
    /// <summary>One row per device, then details of each device's last error.</summary>
    public static string Render(Gateway.Status status)
    {
        if (status.Devices.Count == 0)
        {
            return "No devices. Declare one in actorgateway.static-devices, or try: actorgateway demo\n";
        }

        var header = new[] { "DEVICE", "PORT", "STATE", "SINCE", "MODEM", "SIGNAL", "OPERATOR", "LINK" };
        var rows = status.Devices.Select(d => new[]
        {
            d.Id,
            d.Port,
            Words(d.State),
            Ago(status.At - d.Since),
            Modem(d),
            d.SignalDbm is { } dbm ? $"{dbm} dBm" : "-",
            string.Join(' ', new[] { d.Operator, d.Technology, d.Registration is "roaming" ? "(roaming)" : null }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } o ? o : "-",
            d.LocalAddress is { } ip ? $"{d.Interface ?? "ppp"} {ip}" : "-",
        }).ToList();

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        Append(sb, header, widths);
        foreach (var row in rows)
        {
            Append(sb, row, widths);
        }

        foreach (var d in status.Devices)
        {
            if (!string.IsNullOrEmpty(d.Detail))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{d.Id}: {d.Detail}\n");
            }

            if (!string.IsNullOrEmpty(d.LastError))
            {
                var when = d.LastErrorAt is { } at ? $" ({Ago(status.At - at)} ago)" : string.Empty;
                sb.Append(CultureInfo.InvariantCulture, $"{d.Id}: last error{when}: {d.LastError}\n");
            }
        }

        return sb.ToString();
    }

    private static string Modem(DeviceStatus d) =>
        d.Model is { Length: > 0 } model && d.Manufacturer is { Length: > 0 } maker && !model.StartsWith(maker, StringComparison.OrdinalIgnoreCase)
            ? $"{maker} {model}"
            : d.Model ?? d.Manufacturer ?? "-";

    private static void Append(StringBuilder sb, IReadOnlyList<string> cells, int[] widths)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            sb.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        sb.Append('\n');
    }

    private static string Words(DeviceState state) => state switch
    {
        DeviceState.CheckingSim => "checking SIM",
        DeviceState.DefiningContext => "setting APN",
        DeviceState.WaitingToRedial => "waiting to redial",
        DeviceState.ResettingModem => "resetting modem",
        DeviceState.HandingOver => "handing over",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Ago(TimeSpan t) => t.TotalSeconds < 0 ? "0s"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0}s"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
        : $"{(int)t.TotalHours}h{t.Minutes:00}m";
}
