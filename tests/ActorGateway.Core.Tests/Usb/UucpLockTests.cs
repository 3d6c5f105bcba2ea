using System.Text;
using ActorGateway.Core.Usb;

namespace ActorGateway.Core.Tests.Usb;

public sealed class UucpLockTests
{
    [Fact]
    public void Content_should_be_the_pid_in_ten_characters_and_a_newline() =>
        Assert.Equal("      4213\n", UucpLock.Content(4213));

    [Theory]
    [InlineData("/dev/ttyUSB0", "LCK..ttyUSB0")]
    [InlineData("/dev/ttyACM0", "LCK..ttyACM0")]
    [InlineData("/dev/pts/3", "LCK..3")]
    public void FileName_should_be_LCK_and_the_device_name(string path, string expected) => Assert.Equal(expected, UucpLock.FileName(path));

    [Fact]
    public void ParsePid_should_read_HDB_and_old_binary_locks()
    {
        Assert.Equal(4213, UucpLock.ParsePid(Encoding.ASCII.GetBytes("      4213\n")));
        Assert.Equal(612, UucpLock.ParsePid(BitConverter.GetBytes(612)));
        Assert.Null(UucpLock.ParsePid(Encoding.ASCII.GetBytes("garbage\n")));
        Assert.Null(UucpLock.ParsePid([]));
    }

    [Fact]
    public void IsStaleWithoutPid_should_give_a_lock_being_written_two_seconds()
    {
        var written = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        Assert.False(UucpLock.IsStaleWithoutPid(written, written + TimeSpan.FromSeconds(1.9)));
        Assert.True(UucpLock.IsStaleWithoutPid(written, written + TimeSpan.FromSeconds(2)));
    }
}
