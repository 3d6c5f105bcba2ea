using System.Net.Sockets;
using ActorGateway.Core.Service;
using ActorGateway.Host;
using ActorGateway.Integration.Tests.Linux;
using ActorGateway.Linux.Systemd;
using Serilog;

namespace ActorGateway.Integration.Tests.Host;

/// <summary>
/// Logging to the journal in its native protocol, against a fake journald: a real AF_UNIX datagram socket the test binds
/// and reads. Each event is one datagram whose fields the test parses back.
/// </summary>
public sealed class JournalSinkTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IReadOnlyList<KeyValuePair<string, string>> ReceiveEntry(Socket journald)
    {
        var buffer = new byte[65536];
        var n = journald.Receive(buffer);
        return JournalFields.Parse(buffer.AsSpan(0, n));
    }

    private static string Field(IReadOnlyList<KeyValuePair<string, string>> entry, string name) => Assert.Single(entry, f => f.Key == name).Value;

    [Fact]
    public void JournalSink_should_send_priority_message_and_properties_as_fields()
    {
        var path = _dir.File("journal.socket");
        using var journald = SystemdNotifierTests.Listen(path);
        using var sink = new JournalSink(new JournalSocket(path), TextWriter.Null);
        using var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();

        logger.ForContext("Timestamp", DateTimeOffset.UnixEpoch).Warning("Device {DeviceId} is {State} on {Port}", "dongle", "registering", "/dev/ttyUSB0");
        logger.Error("Uplink {UplinkId}: {Message}", "phone", "carrier lost");
        logger.Information("Positional {0}", 42);
        logger.Debug("quiet");

        var warning = ReceiveEntry(journald);
        Assert.Equal("Device dongle is registering on /dev/ttyUSB0", Field(warning, "MESSAGE"));
        Assert.Equal("4", Field(warning, "PRIORITY"));
        Assert.Equal("actorgateway", Field(warning, "SYSLOG_IDENTIFIER"));
        Assert.Equal("dongle", Field(warning, "DEVICE_ID"));
        Assert.Equal("registering", Field(warning, "STATE"));
        Assert.Equal("/dev/ttyUSB0", Field(warning, "PORT"));
        Assert.DoesNotContain(warning, f => f.Key.Contains("TIMESTAMP", StringComparison.Ordinal)); // journald stamps every entry itself
        Assert.All(warning, f => Assert.Matches("^[A-Z][A-Z0-9_]*$", f.Key));

        var error = ReceiveEntry(journald);
        Assert.Equal("3", Field(error, "PRIORITY"));
        Assert.Equal("Uplink phone: carrier lost", Field(error, "MESSAGE"));
        Assert.Equal("carrier lost", Field(error, "AG_MESSAGE")); // a property may not overwrite the journal's own MESSAGE
        Assert.Equal("phone", Field(error, "UPLINK_ID"));

        var info = ReceiveEntry(journald);
        Assert.Equal("6", Field(info, "PRIORITY"));
        Assert.Equal(["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER"], info.Select(f => f.Key)); // a positional property says nothing

        Assert.Equal("7", Field(ReceiveEntry(journald), "PRIORITY"));
    }

    [Fact]
    public void JournalSink_should_frame_a_multi_line_message_and_its_exception()
    {
        var path = _dir.File("journal.socket");
        using var journald = SystemdNotifierTests.Listen(path);
        using var sink = new JournalSink(new JournalSocket(path), TextWriter.Null);
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        logger.Error(new InvalidOperationException("boom"), "pppd said {Output}", "line one\nline two");

        var entry = ReceiveEntry(journald);
        var message = Field(entry, "MESSAGE");
        Assert.StartsWith("pppd said line one\nline two\nSystem.InvalidOperationException: boom", message, StringComparison.Ordinal);
        Assert.Equal("line one\nline two", Field(entry, "OUTPUT"));
    }

    [Fact]
    public void JournalSink_should_fall_back_to_stderr_with_the_priority_prefix_when_the_socket_is_gone()
    {
        var path = _dir.File("journal.socket");
        var stderr = new StringWriter();
        using (SystemdNotifierTests.Listen(path))
        {
        }

        File.Delete(path);
        using var sink = new JournalSink(new JournalSocket(path), stderr);
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        logger.Warning("Device {DeviceId} lost its port", "dongle");
        logger.Error("two\nlines");

        Assert.Equal("<4>Device dongle lost its port\n<3>two lines\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("8:12345", "socket:[12345]", true)]
    [InlineData("8:12345", "socket:[12346]", false)]
    [InlineData("8:12345", "/dev/pts/0", false)]
    [InlineData("12345", "socket:[12345]", false)]
    [InlineData("", "socket:[12345]", false)]
    public void JournalSocket_should_know_stderr_is_the_journal_only_by_its_inode(string journalStream, string stderrLink, bool expected) =>
        Assert.Equal(expected, JournalSocket.StderrIsJournal(journalStream, stderrLink));

    [Fact]
    public void Logging_should_choose_the_journal_only_where_systemd_connected_stderr_to_it()
    {
        Assert.Equal(LogFormat.Journal, Logging.Resolve(LogFormat.Journal));
        Assert.Equal(LogFormat.Json, Logging.Resolve(LogFormat.Json));
        if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is null)
        {
            Assert.Equal(LogFormat.Console, Logging.Resolve(LogFormat.Auto));
        }
    }
}
