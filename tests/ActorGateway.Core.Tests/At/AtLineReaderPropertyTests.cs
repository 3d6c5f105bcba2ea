using System.Text;
using ActorGateway.Core.At;
using CsCheck;

namespace ActorGateway.Core.Tests.At;

public class AtLineReaderPropertyTests
{
    private const int Max = AtLineReader.MaxLineLength;

    // One segment: printable non-blank bytes (so Trim and \xNN escaping leave them alone), then a terminator or none.
    private static readonly Gen<(byte[] Text, string End)> Segment = Gen.Select(
        Gen.Frequency((4, Gen.Int[0, 12]), (1, Gen.Int[Max - 3, Max + 3]), (1, Gen.Int[0, 3 * Max]))
            .SelectMany(n => Gen.Byte[0x21, 0x7E].Array[n]),
        Gen.OneOfConst("\r\n", "\r", "\n", "\n\r\n", string.Empty));

    private static List<AtLine> Drain(AtLineReader reader)
    {
        var lines = new List<AtLine>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    [Fact]
    public void AtLineReader_should_never_throw_on_any_bytes_in_any_chunking()
    {
        Gen.Select(Gen.OneOf(Noise.Raw, Noise.Traffic), Noise.Cuts).Sample((bytes, cuts) =>
        {
            var reader = new AtLineReader();
            foreach (var chunk in Noise.Split(bytes, cuts))
            {
                reader.Append(chunk);
                Drain(reader);
            }

            reader.TakeRemainder();
            Assert.True(reader.IsEmpty);
        }, iter: 500);
    }

    [Fact]
    public void AtLineReader_should_give_the_same_lines_for_every_chunking()
    {
        Gen.Select(Gen.OneOf(Noise.Raw, Noise.Traffic), Noise.Cuts).Sample((bytes, cuts) =>
        {
            var whole = new AtLineReader();
            whole.Append(bytes);
            var expected = Drain(whole);

            var chunked = new AtLineReader();
            var actual = new List<AtLine>();
            foreach (var chunk in Noise.Split(bytes, cuts))
            {
                chunked.Append(chunk);
                actual.AddRange(Drain(chunked));
            }

            Assert.Equal(expected, actual);
            Assert.Equal(whole.TakeRemainder(), chunked.TakeRemainder());
        }, iter: 500);
    }

    [Fact]
    public void AtLineReader_should_never_hold_more_than_MaxLineLength_bytes_and_never_lose_one()
    {
        Gen.Select(Segment.Array[0, 6], Noise.Cuts).Sample((segments, cuts) =>
        {
            var input = segments.SelectMany(s => s.Text.Concat(Encoding.ASCII.GetBytes(s.End))).ToArray();
            var reader = new AtLineReader();
            var lines = new List<AtLine>();
            foreach (var chunk in Noise.Split(input, cuts))
            {
                reader.Append(chunk);
                lines.AddRange(Drain(reader));
            }

            // Every prefix of a generated input is itself a generated input, so checking at the end covers every point.
            var (expectedLines, expectedHeld) = Model(segments);
            var held = reader.TakeRemainder();
            Assert.True(held.Length <= Max, $"holds {held.Length} bytes");
            Assert.Equal(expectedLines, lines);
            Assert.Equal(expectedHeld, held);
        }, iter: 300);
    }

    // What the reader must produce: a segment of up to Max bytes is one line; a longer one is cut every Max
    // bytes into garbage lines. An unterminated tail is held, less the Max-byte pieces already cut from it.
    private static (List<AtLine> Lines, byte[] Held) Model((byte[] Text, string End)[] segments)
    {
        var lines = new List<AtLine>();
        var pending = new List<byte>();
        foreach (var (text, end) in segments)
        {
            pending.AddRange(text);
            if (end.Length == 0)
            {
                continue;
            }

            if (pending.Count > 0)
            {
                var garbage = pending.Count > Max;
                for (var i = 0; i < pending.Count; i += Max)
                {
                    lines.Add(new AtLine(Encoding.ASCII.GetString([.. pending.Skip(i).Take(Max)]), garbage));
                }
            }

            pending.Clear();
        }

        while (pending.Count > Max)
        {
            lines.Add(new AtLine(Encoding.ASCII.GetString([.. pending.Take(Max)]), true));
            pending.RemoveRange(0, Max);
        }

        return (lines, [.. pending]);
    }
}
