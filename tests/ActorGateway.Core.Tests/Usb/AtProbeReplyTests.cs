using System.Text;
using ActorGateway.Core.Usb;

namespace ActorGateway.Core.Tests.Usb;

public sealed class AtProbeReplyTests
{
    private static AtProbeVerdict Judge(string text) => AtProbeReply.Judge(Encoding.Latin1.GetBytes(text));

    [Theory]
    [InlineData("AT\r\r\nOK\r\n")]            // echo, then the verbose answer
    [InlineData("\r\nOK\r\n")]
    [InlineData("\0\0\r\nOK\r\n")]            // a little NUL padding is tolerated
    [InlineData("AT\r0\r")]                   // V0: numeric result
    [InlineData("\r\nERROR\r\n")]             // something speaks AT, even if it refuses
    [InlineData("\r\nCOMMAND NOT SUPPORT\r\n")]
    [InlineData("\r\n+CME ERROR: 100\r\n")]
    [InlineData("\r\n^RSSI:18\r\n\r\nOK\r\n")] // a URC first
    public void Judge_should_hear_an_answer(string text) => Assert.Equal(AtProbeVerdict.Answers, Judge(text));

    [Theory]
    [InlineData("")]
    [InlineData("AT\r")]                       // only the echo
    [InlineData("\r\nO")]                     // half an answer
    [InlineData("\r\nOKAY\r\n")]
    public void Judge_should_wait_for_more(string text) => Assert.Equal(AtProbeVerdict.Undecided, Judge(text));

    [Fact]
    public void Judge_should_reject_a_run_of_NULs() =>
        Assert.Equal(AtProbeVerdict.Garbage, Judge(new string('\0', AtProbeReply.NulRun)));

    [Fact]
    public void Judge_should_reject_binary_even_with_an_OK_in_it()
    {
        var diag = "\x7e\x01\x02\x90\xff\xfe\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x7e";

        Assert.Equal(AtProbeVerdict.Garbage, Judge(diag + "\r\nOK\r\n"));
    }

    [Fact]
    public void Judge_should_call_a_DIAG_ports_short_error_frame_garbage_once_the_try_is_over()
    {
        // QCDM's answer to an unknown request: 0x13, the request echoed, a CRC, the 0x7E flag.
        var frame = "\x13AT\r\x9a\xc1\x7e";

        Assert.Equal(AtProbeVerdict.Undecided, Judge(frame));
        Assert.Equal(AtProbeVerdict.Garbage, AtProbeReply.Judge(Encoding.Latin1.GetBytes(frame), timedOut: true));
        // A stray byte before a real answer does not condemn a port.
        Assert.Equal(AtProbeVerdict.Answers, AtProbeReply.Judge(Encoding.Latin1.GetBytes("\xff\r\nOK\r\n"), timedOut: true));
    }

    [Fact]
    public void Lines_should_keep_only_complete_lines() =>
        Assert.Equal(["AT+CGSN", "861234027654329", "OK"], AtProbeReply.Lines(Encoding.ASCII.GetBytes("AT+CGSN\r\r\n861234027654329\r\n\r\nOK\r\n\r\npartial")));
}
