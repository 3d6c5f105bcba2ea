using System.Text;
using ActorGateway.Core.At;

namespace ActorGateway.Core.Tests.At;

/// <summary>Turns bytes and <see cref="AtAction"/>s into short strings, so tests can assert exact action lists.</summary>
internal static class ChatScript
{
    /// <summary>The bytes of <paramref name="text"/>, one byte per char (Latin-1), as a modem sends them.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static string[] Show(IEnumerable<AtAction> actions) => [.. actions.Select(Show)];

    public static string Show(AtAction action) => action switch
    {
        AtAction.Write w => $"write {w.Id} {Escape(Encoding.Latin1.GetString(w.Bytes))}",
        AtAction.ArmTimeout a => $"arm {a.Id} {a.After.TotalSeconds}s",
        AtAction.DisarmTimeout => "disarm",
        AtAction.Complete c => $"complete {c.Id} {Show(c.Response)}",
        AtAction.Unsolicited { SecondLine: null } u => $"urc {u.Line}",
        AtAction.Unsolicited u => $"urc {u.Line} / {u.SecondLine}",
        AtAction.Stray s => $"stray {s.Line}",
        AtAction.Garbage g => $"garbage {g.Line}",
        AtAction.EnteredDataMode d => $"data {Escape(Encoding.Latin1.GetString(d.Remainder))}",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action"),
    };

    public static string Show(AtResponse response)
    {
        var text = new StringBuilder(response.Outcome.ToString());
        if (response.Lines.Count > 0)
        {
            text.Append(" [").Append(string.Join(" | ", response.Lines)).Append(']');
        }

        if (response.ErrorCode is { } code)
        {
            text.Append(" code=").Append(code);
        }

        if (response.Detail is { } detail)
        {
            text.Append(" detail=").Append(detail);
        }

        return text.ToString();
    }

    private static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");
}
