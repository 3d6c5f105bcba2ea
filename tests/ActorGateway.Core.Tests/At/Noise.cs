using CsCheck;
using static ActorGateway.Core.Tests.At.ChatScript;

namespace ActorGateway.Core.Tests.At;

/// <summary>Generators of what a serial line may carry: raw bytes, and fragments of real AT traffic mixed into them.</summary>
internal static class Noise
{
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\r\n", "\r", "\n", "\0", "OK", "ERROR", "CONNECT", "CONNECT 7200000", "NO CARRIER", "BUSY", "0", "4",
            "+CME ERROR: 10", "+CMS ERROR: 500", "RING", "+CREG: 1", "+CREG: 0,1", "^RSSI:18", "+CMT: ,24", "+CDS: 25",
            "AT+CSQ", "ATZ", "ATD", "+CSQ: 20,99", "COMMAND NOT SUPPORT", "\x01", "\xff\xfe", " ",
        }.Select(Bytes),
    ];

    /// <summary>Random bytes, sometimes long enough to overflow a line.</summary>
    public static readonly Gen<byte[]> Raw = Gen.Frequency(
        (6, Gen.Byte.Array[0, 64]),
        (1, Gen.Byte.Array[0, 3000]));

    /// <summary>Fragments of AT traffic and random bytes, concatenated.</summary>
    public static readonly Gen<byte[]> Traffic = Gen.Frequency(
        (3, Gen.OneOfConst(Tokens)),
        (1, Gen.Byte.Array[0, 16]))
        .Array[0, 12]
        .Select(parts => parts.SelectMany(p => p).ToArray());

    /// <summary>Sizes to cut a byte stream into reads.</summary>
    public static readonly Gen<int[]> Cuts = Gen.Frequency(
        (3, Gen.Int[1, 8]),
        (1, Gen.Int[1, 4096]))
        .Array[1, 12];

    /// <summary><paramref name="bytes"/> cut into reads of the given sizes, cycling through them.</summary>
    public static IEnumerable<byte[]> Split(byte[] bytes, int[] sizes)
    {
        var offset = 0;
        for (var i = 0; offset < bytes.Length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], bytes.Length - offset);
            yield return bytes[offset..(offset + size)];
            offset += size;
        }
    }
}
