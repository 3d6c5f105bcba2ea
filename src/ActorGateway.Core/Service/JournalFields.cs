using System.Buffers.Binary;
using System.Text;

namespace ActorGateway.Core.Service;

/// <summary>
/// The systemd journal's native protocol (systemd.journal-fields(7); "Native Journal Protocol" in systemd's docs):
/// one datagram per entry, each field <c>NAME=value\n</c>, or — for a value with a newline — <c>NAME\n</c>, the
/// value's length as a little-endian 64-bit integer, the value and <c>\n</c>. Field names are upper-case letters,
/// digits and underscores, not starting with an underscore or a digit (those are the journal's own trusted fields).
/// </summary>
public static class JournalFields
{
    /// <summary>The longest name journald accepts.</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// A property name as a journal field name: <c>DeviceId</c> → <c>DEVICE_ID</c>, <c>UplinkId</c> → <c>UPLINK_ID</c>,
    /// <c>Port</c> → <c>PORT</c>. Null when nothing valid is left.
    /// </summary>
    public static string? Name(string property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var sb = new StringBuilder(property.Length + 4);
        for (var i = 0; i < property.Length; i++)
        {
            var c = property[i];
            if (char.IsAsciiLetterUpper(c) && i > 0 && (char.IsAsciiLetterLower(property[i - 1]) || char.IsAsciiDigit(property[i - 1])
                || (i + 1 < property.Length && char.IsAsciiLetterLower(property[i + 1]) && char.IsAsciiLetterUpper(property[i - 1]))))
            {
                sb.Append('_');
            }

            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        var name = sb.ToString().TrimStart('_');
        while (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            name = name[1..];
        }

        name = name.TrimStart('_');
        if (name.Length > MaxNameLength)
        {
            name = name[..MaxNameLength];
        }

        return name.Length == 0 ? null : name;
    }

    /// <summary>Appends one field to an entry, in the form its value needs.</summary>
    public static void Append(Stream entry, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        entry.Write(nameBytes);
        if (value.Contains('\n'))
        {
            entry.WriteByte((byte)'\n');
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)valueBytes.Length);
            entry.Write(length);
        }
        else
        {
            entry.WriteByte((byte)'=');
        }

        entry.Write(valueBytes);
        entry.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Parses an entry back into its fields (for tests and tools): the inverse of <see cref="Append"/>. Repeated names keep
    /// every value in order.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> entry)
    {
        var fields = new List<KeyValuePair<string, string>>();
        while (!entry.IsEmpty)
        {
            var end = entry.IndexOf((byte)'\n');
            var eq = entry.IndexOf((byte)'=');
            if (eq >= 0 && (end < 0 || eq < end))
            {
                var line = end < 0 ? entry : entry[..end];
                fields.Add(new(Encoding.ASCII.GetString(line[..eq]), Encoding.UTF8.GetString(line[(eq + 1)..])));
                entry = end < 0 ? [] : entry[(end + 1)..];
                continue;
            }

            if (end < 0 || entry.Length < end + 1 + 8)
            {
                throw new FormatException("a journal entry field is cut short");
            }

            var name = Encoding.ASCII.GetString(entry[..end]);
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(end + 1, 8));
            var value = entry.Slice(end + 9, length);
            fields.Add(new(name, Encoding.UTF8.GetString(value)));
            entry = entry[(end + 9 + length + 1)..];
        }

        return fields;
    }

    /// <summary>The syslog priority (0 emergency … 7 debug) of a log level name (Serilog's: Verbose … Fatal).</summary>
    public static int Priority(string level) => level switch
    {
        "Fatal" => 2,
        "Error" => 3,
        "Warning" => 4,
        "Information" => 6,
        _ => 7,
    };
}
