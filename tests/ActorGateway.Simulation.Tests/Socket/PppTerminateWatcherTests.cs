using ActorGateway.Simulation.Socket;

namespace ActorGateway.Simulation.Tests.Socket;

public sealed class PppTerminateWatcherTests
{
    // LCP frames as pppd sends them: flag, FF 03 C0 21, code, id, length, data, FCS, flag; control bytes escaped
    // (RFC 1662 §4.2: with the default ACCM every byte below 0x20 goes out as 7D, byte ^ 0x20).
    private static readonly byte[] TerminateRequest = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x25, 0x7D, 0x22, 0x7D, 0x20, 0x7D, 0x24, 0x12, 0x34, 0x7E];
    private static readonly byte[] TerminateAck = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x26, 0x7D, 0x22, 0x7D, 0x20, 0x7D, 0x24, 0x56, 0x78, 0x7E];
    private static readonly byte[] ConfigureRequest = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x21, 0x7D, 0x21, 0x7D, 0x20, 0x7D, 0x24, 0x9A, 0xBC, 0x7E];
    private static readonly byte[] IpcpTerminateRequest = [0x7E, 0xFF, 0x7D, 0x23, 0x80, 0x21, 0x7D, 0x25, 0x7D, 0x21, 0x7D, 0x20, 0x7D, 0x24, 0x00, 0x00, 0x7E];

    [Fact]
    public void Watcher_should_see_an_lcp_terminate_request() => Assert.True(new PppTerminateWatcher().Feed(TerminateRequest));

    [Fact]
    public void Watcher_should_see_an_lcp_terminate_ack() => Assert.True(new PppTerminateWatcher().Feed(TerminateAck));

    [Fact]
    public void Watcher_should_ignore_other_lcp_codes_and_other_protocols()
    {
        var watcher = new PppTerminateWatcher();
        Assert.False(watcher.Feed(ConfigureRequest));
        Assert.False(watcher.Feed(IpcpTerminateRequest));
    }

    [Fact]
    public void Watcher_should_find_a_terminate_split_across_reads_at_every_point()
    {
        for (var split = 1; split < TerminateRequest.Length; split++)
        {
            var watcher = new PppTerminateWatcher();
            var first = watcher.Feed(TerminateRequest.AsSpan(0, split));
            var second = watcher.Feed(TerminateRequest.AsSpan(split));
            Assert.True(first || second, $"split at {split}");
        }
    }

    [Fact]
    public void Watcher_should_ignore_at_text_and_a_partial_frame_after_reset()
    {
        var watcher = new PppTerminateWatcher();
        Assert.False(watcher.Feed("AT\r\nNO CARRIER\r\n"u8));
        Assert.False(watcher.Feed(TerminateRequest.AsSpan(0, 8)));
        watcher.Reset();
        Assert.False(watcher.Feed([0x7E]));
    }
}
