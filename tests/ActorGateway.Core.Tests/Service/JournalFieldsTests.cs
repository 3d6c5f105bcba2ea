using System.Buffers.Binary;
using System.Text;
using ActorGateway.Core.Service;

namespace ActorGateway.Core.Tests.Service;

/// <summary>
/// The journal's native protocol (systemd.io/JOURNAL_NATIVE_PROTOCOL): <c>NAME=value\n</c>, or for a value with a
/// newline <c>NAME\n</c> + 64-bit little-endian length + value + <c>\n</c>; names upper-case A-Z, 0-9 and _, not starting
/// with _ or a digit, at most 64 characters.
/// </summary>
public class JournalFieldsTests
{
    [Theory]
    [InlineData("DeviceId", "DEVICE_ID")]
    [InlineData("UplinkId", "UPLINK_ID")]
    [InlineData("Port", "PORT")]
    [InlineData("State", "STATE")]
    [InlineData("IPAddress", "IP_ADDRESS")]
    [InlineData("SourceContext", "SOURCE_CONTEXT")]
    [InlineData("device_id", "DEVICE_ID")]
    [InlineData("Rx2Bytes", "RX2_BYTES")]
    [InlineData("_Private", "PRIVATE")]
    [InlineData("2Fast", "FAST")]
    [InlineData("ÄrgerCount", "RGER_COUNT")]
    [InlineData("a.b-c", "A_B_C")]
    public void JournalFields_should_map_a_property_name_to_a_valid_field_name(string property, string field)
    {
        var name = JournalFields.Name(property);

        Assert.Equal(field, name);
        Assert.Matches("^[A-Z][A-Z0-9_]*$", name);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("123")]
    [InlineData("_")]
    [InlineData("__")]
    [InlineData("")]
    public void JournalFields_should_give_no_name_when_nothing_valid_is_left(string property) => Assert.Null(JournalFields.Name(property));

    [Fact]
    public void JournalFields_should_cut_a_name_at_64_characters()
    {
        var name = JournalFields.Name(new string('A', 100));

        Assert.Equal(JournalFields.MaxNameLength, name!.Length);
        Assert.Equal(64, JournalFields.MaxNameLength);
    }

    [Fact]
    public void JournalFields_should_write_a_one_line_value_as_name_equals_value()
    {
        using var entry = new MemoryStream();

        JournalFields.Append(entry, "DEVICE_ID", "dongle");
        JournalFields.Append(entry, "MESSAGE", "Grüße = ok");

        Assert.Equal(Encoding.UTF8.GetBytes("DEVICE_ID=dongle\nMESSAGE=Grüße = ok\n"), entry.ToArray());
    }

    [Fact]
    public void JournalFields_should_frame_a_value_with_a_newline_by_its_length()
    {
        using var entry = new MemoryStream();

        JournalFields.Append(entry, "MESSAGE", "first\nsecond ü");

        var value = Encoding.UTF8.GetBytes("first\nsecond ü");
        var expected = new List<byte>();
        expected.AddRange("MESSAGE\n"u8.ToArray());
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)value.Length);
        expected.AddRange(length);
        expected.AddRange(value);
        expected.Add((byte)'\n');
        Assert.Equal(expected, entry.ToArray());
        Assert.Equal(15, value.Length); // the length counts bytes, not characters
        Assert.Equal([15, 0, 0, 0, 0, 0, 0, 0], entry.ToArray()[8..16]);
    }

    [Fact]
    public void JournalFields_should_parse_back_what_it_wrote()
    {
        using var entry = new MemoryStream();
        JournalFields.Append(entry, "MESSAGE", "line one\nline two");
        JournalFields.Append(entry, "PRIORITY", "3");
        JournalFields.Append(entry, "DETAIL", "a=b");
        JournalFields.Append(entry, "EMPTY", string.Empty);
        JournalFields.Append(entry, "DETAIL", "=\n=");

        var fields = JournalFields.Parse(entry.ToArray());

        Assert.Equal(
            [new("MESSAGE", "line one\nline two"), new("PRIORITY", "3"), new("DETAIL", "a=b"), new("EMPTY", string.Empty), new KeyValuePair<string, string>("DETAIL", "=\n=")],
            fields);
    }

    [Fact]
    public void JournalFields_should_refuse_a_binary_field_cut_short() =>
        Assert.Throws<FormatException>(() => JournalFields.Parse("MESSAGE\n\u0005\0\0"u8.ToArray()));

    [Theory]
    [InlineData("Fatal", 2)]
    [InlineData("Error", 3)]
    [InlineData("Warning", 4)]
    [InlineData("Information", 6)]
    [InlineData("Debug", 7)]
    [InlineData("Verbose", 7)]
    public void JournalFields_should_map_a_level_to_its_syslog_priority(string level, int priority) =>
        Assert.Equal(priority, JournalFields.Priority(level));
}
