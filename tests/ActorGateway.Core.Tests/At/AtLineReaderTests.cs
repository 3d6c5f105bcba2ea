using ActorGateway.Core.At;
using static ActorGateway.Core.Tests.At.ChatScript;

namespace ActorGateway.Core.Tests.At;

public class AtLineReaderTests
{
    private static List<AtLine> ReadAll(AtLineReader reader)
    {
        var lines = new List<AtLine>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static List<AtLine> Read(string text)
    {
        var reader = new AtLineReader();
        reader.Append(Bytes(text));
        return ReadAll(reader);
    }

    private static string[] Texts(IEnumerable<AtLine> lines) => [.. lines.Select(l => l.IsGarbage ? $"garbage:{l.Text}" : l.Text)];

    [Fact]
    public void AtLineReader_should_split_lines_framed_by_CR_LF()
    {
        Assert.Equal(["+CSQ: 20,99", "OK"], Texts(Read("\r\n+CSQ: 20,99\r\n\r\nOK\r\n")));
    }

    [Fact]
    public void AtLineReader_should_end_the_echo_at_a_lone_CR()
    {
        // V.250 §6.2.4: the echo is the command line as typed, terminated by S3 only.
        Assert.Equal(["ATZ", "OK"], Texts(Read("ATZ\r\r\nOK\r\n")));
    }

    [Fact]
    public void AtLineReader_should_accept_lines_ended_by_CR_only_or_LF_only()
    {
        Assert.Equal(["0", "OK", "RING"], Texts(Read("0\rOK\nRING\n")));
    }

    [Fact]
    public void AtLineReader_should_skip_blank_lines_and_whitespace_only_lines()
    {
        Assert.Equal(["OK"], Texts(Read("\r\n\r\n\n\r  \r\n\t\r\nOK\r\n\r\n")));
    }

    [Fact]
    public void AtLineReader_should_drop_NUL_bytes()
    {
        Assert.Equal(["OK"], Texts(Read("\0\0\0\r\n\0O\0K\0\r\n\0\0")));
    }

    [Fact]
    public void AtLineReader_should_hold_a_partial_line_until_its_terminator_arrives()
    {
        var reader = new AtLineReader();
        reader.Append(Bytes("\r\n+CS"));

        Assert.False(reader.TryReadLine(out _));
        Assert.False(reader.IsEmpty);

        reader.Append(Bytes("Q: 5,99\r"));
        Assert.True(reader.TryReadLine(out var line));
        Assert.Equal(new AtLine("+CSQ: 5,99", false), line);
    }

    [Fact]
    public void AtLineReader_should_give_the_same_lines_wherever_the_bytes_are_split()
    {
        const string Transcript = "ATQ0 V1 E1 S0=0 &C1 &D2 +F\r\r\n+COPS: 0,0,\"Telef\u00f3nica\",2\r\n\0\r\nRING\n\x01\x02x\r\nOK\r\n";
        var expected = Texts(Read(Transcript));
        Assert.Equal(["ATQ0 V1 E1 S0=0 &C1 &D2 +F", "+COPS: 0,0,\"Telef\u00f3nica\",2", "RING", "garbage:\\x01\\x02x", "OK"], expected);

        var bytes = Bytes(Transcript);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var reader = new AtLineReader();
            reader.Append(bytes.AsSpan(0, cut));
            var lines = ReadAll(reader);
            reader.Append(bytes.AsSpan(cut));
            lines.AddRange(ReadAll(reader));

            Assert.True(expected.SequenceEqual(Texts(lines)), $"split at {cut}: {string.Join(", ", Texts(lines))}");
            Assert.True(reader.IsEmpty);
        }
    }

    [Fact]
    public void AtLineReader_should_give_the_same_lines_when_fed_one_byte_at_a_time_with_reads_in_between()
    {
        var bytes = Bytes("\r\n+CREG: 0,1\r\n\r\nOK\r\n");
        var reader = new AtLineReader();
        var lines = new List<AtLine>();
        foreach (var b in bytes)
        {
            reader.Append([b]);
            lines.AddRange(ReadAll(reader));
        }

        Assert.Equal(["+CREG: 0,1", "OK"], Texts(lines));
    }

    [Fact]
    public void AtLineReader_should_report_control_bytes_as_garbage_shown_as_hex()
    {
        var lines = Read("\x1b[0m\x7fOK\r\n");

        var line = Assert.Single(lines);
        Assert.True(line.IsGarbage);
        Assert.Equal("\\x1B[0m\\x7FOK", line.Text);
    }

    [Fact]
    public void AtLineReader_should_report_mostly_8_bit_lines_as_garbage()
    {
        var reader = new AtLineReader();
        reader.Append([0xC3, 0xFF, 0x91, 0x80, (byte)'a', (byte)'\r', (byte)'\n']);

        Assert.True(reader.TryReadLine(out var line));
        Assert.True(line.IsGarbage);
    }

    [Fact]
    public void AtLineReader_should_not_take_a_Latin1_operator_name_for_garbage()
    {
        var line = Assert.Single(Read("+COPS: 0,0,\"M\u00f6bel Telekom \u00c5\",2\r\n"));

        Assert.False(line.IsGarbage);
        Assert.Equal("+COPS: 0,0,\"M\u00f6bel Telekom \u00c5\",2", line.Text);
    }

    [Fact]
    public void AtLineReader_should_keep_tabs_in_a_line()
    {
        var line = Assert.Single(Read("a\tb\r\n"));

        Assert.False(line.IsGarbage);
        Assert.Equal("a\tb", line.Text);
    }

    [Fact]
    public void AtLineReader_should_keep_a_line_of_exactly_MaxLineLength_bytes()
    {
        var text = new string('A', AtLineReader.MaxLineLength);

        var line = Assert.Single(Read(text + "\r\n"));

        Assert.False(line.IsGarbage);
        Assert.Equal(text, line.Text);
    }

    [Fact]
    public void AtLineReader_should_cut_an_overlong_line_into_garbage_and_keep_the_next_good_line()
    {
        var lines = Read(new string('A', AtLineReader.MaxLineLength + 100) + "\r\nOK\r\n");

        Assert.Equal(3, lines.Count);
        Assert.Equal(new AtLine(new string('A', AtLineReader.MaxLineLength), true), lines[0]);
        Assert.Equal(new AtLine(new string('A', 100), true), lines[1]);
        Assert.Equal(new AtLine("OK", false), lines[2]);
    }

    [Fact]
    public void AtLineReader_should_cut_a_very_long_run_every_MaxLineLength_bytes()
    {
        var reader = new AtLineReader();
        var lines = new List<AtLine>();
        for (var i = 0; i < 10; i++)
        {
            reader.Append(Bytes(new string('x', 1000)));
            lines.AddRange(ReadAll(reader));
        }

        reader.Append(Bytes("\nOK\n"));
        lines.AddRange(ReadAll(reader));

        Assert.Equal([2048, 2048, 2048, 2048, 1808, 2], lines.Select(l => l.Text.Length));
        Assert.All(lines.Take(5), l => Assert.True(l.IsGarbage));
        Assert.Equal(new AtLine("OK", false), lines[^1]);
    }

    [Fact]
    public void AtLineReader_should_return_exactly_the_bytes_after_CONNECT_as_remainder()
    {
        byte[] ppp = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x21, 0x0D, 0x0A, 0x00, 0x7E];
        var reader = new AtLineReader();
        reader.Append([.. Bytes("\r\nCONNECT 7200000\r\n"), .. ppp]);

        Assert.True(reader.TryReadLine(out var line));
        Assert.Equal("CONNECT 7200000", line.Text);
        Assert.Equal(ppp, reader.TakeRemainder());
        Assert.True(reader.IsEmpty);
    }

    [Fact]
    public void AtLineReader_should_return_the_remainder_across_later_chunks()
    {
        var reader = new AtLineReader();
        reader.Append(Bytes("CONNECT\r"));
        reader.Append(Bytes("\n~\xff"));
        reader.Append(Bytes("}#"));

        Assert.True(reader.TryReadLine(out var line));
        Assert.Equal("CONNECT", line.Text);
        Assert.Equal(Bytes("~\xff}#"), reader.TakeRemainder());
    }

    [Fact]
    public void AtLineReader_should_not_drop_a_first_remainder_byte_that_is_no_LF()
    {
        var reader = new AtLineReader();
        reader.Append(Bytes("CONNECT\r~\x7d\x23"));

        Assert.True(reader.TryReadLine(out _));
        Assert.Equal(Bytes("~\x7d\x23"), reader.TakeRemainder());
    }

    [Fact]
    public void AtLineReader_should_include_a_partial_line_in_the_remainder()
    {
        var reader = new AtLineReader();
        reader.Append(Bytes("OK\r\n~\x7d"));
        Assert.True(reader.TryReadLine(out _));
        Assert.False(reader.TryReadLine(out _)); // "~}" is now held as a partial line

        Assert.Equal(Bytes("~\x7d"), reader.TakeRemainder());
        Assert.True(reader.IsEmpty);
    }

    [Fact]
    public void AtLineReader_should_forget_everything_on_Clear()
    {
        var reader = new AtLineReader();
        reader.Append(Bytes("+CSQ: 1"));
        Assert.False(reader.TryReadLine(out _));
        reader.Append(Bytes("9,99"));

        reader.Clear();
        reader.Append(Bytes("\r\nOK\r\n"));

        Assert.Equal(["OK"], Texts(ReadAll(reader)));
    }

    [Fact]
    public void AtLineReader_should_be_empty_when_new_and_after_all_lines_are_read()
    {
        var reader = new AtLineReader();
        Assert.True(reader.IsEmpty);

        reader.Append(Bytes("OK\r\n"));
        Assert.False(reader.IsEmpty);

        ReadAll(reader);
        Assert.True(reader.IsEmpty);
    }
}
