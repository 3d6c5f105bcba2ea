using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;
using ActorGateway.Linux.Native;
using ActorGateway.Linux.Processes;
using ActorGateway.Linux.Serial;
using ActorGateway.Linux.State;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;

namespace ActorGateway.Integration.Tests.Linux;

/// <summary>The Linux adapters on the real thing: ptys, processes, files.</summary>
public sealed class LinuxAdapterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SystemSerialConnection_should_talk_AT_over_a_pty_without_modem_lines()
    {
        using var nokia = new ModemSimulator(NokiaC2_01.Profile, timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));

        await using var line = SystemSerialConnection.Open(new SerialPortOptions(ptys.PathOf(nokia.AtPort), 460800, FlowControl.RtsCts));
        Assert.False(line.HasModemControlLines); // a pty refuses the DTR ioctl; tolerated
        await line.WriteAsync("AT\r"u8.ToArray(), CancellationToken.None);

        var text = await ReadUntilAsync(line, "OK\r\n");
        Assert.EndsWith("\r\nOK\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemSerialConnection_should_name_the_port_when_it_does_not_exist()
    {
        var path = _dir.File("ttyUSB9");

        var e = Assert.Throws<SerialPortException>(() => SystemSerialConnection.Open(new SerialPortOptions(path)));

        Assert.Equal(path, e.Port);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("no such device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemSerialConnection_should_stop_reading_at_the_handover_and_keep_the_line_open()
    {
        using var nokia = new ModemSimulator(NokiaC2_01.Profile, timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        var path = ptys.PathOf(nokia.AtPort);
        await using var line = SystemSerialConnection.Open(new SerialPortOptions(path));
        var pending = line.ReadAsync(new byte[64], CancellationToken.None).AsTask();

        await line.ReleaseForHandoverAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.NotEmpty(ProcFs.DescriptorsOn("self", path)); // still open: DTR stays up until pppd holds it
    }

    [Fact]
    public async Task SystemSerialConnection_should_fail_reads_when_the_device_vanishes()
    {
        using var nokia = new ModemSimulator(NokiaC2_01.Profile, timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        await using var line = SystemSerialConnection.Open(new SerialPortOptions(ptys.PathOf(nokia.AtPort)));
        var pending = line.ReadAsync(new byte[64], CancellationToken.None).AsTask();

        nokia.Vanish();

        var outcome = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(pending, outcome);
        try
        {
            Assert.Equal(0, await pending); // end of file, or …
        }
        catch (IOException)
        {
            // … an I/O error: either way the reader learns the device is gone.
        }
    }

    [Fact]
    public async Task FilePinVerdictStore_should_keep_verdicts_in_a_private_file_across_instances()
    {
        var verdict = new PinVerdict(PinHash.Create("1234"), PinAttemptState.Rejected, 3, 2, DateTimeOffset.UnixEpoch);
        await new FilePinVerdictStore(_dir.File("state")).SaveAsync("iccid-abc", verdict, CancellationToken.None);

        var store = new FilePinVerdictStore(_dir.File("state"));
        var found = await store.FindAsync("iccid-abc", CancellationToken.None);

        Assert.Equal(verdict, found);
        Assert.Null(await store.FindAsync("iccid-other", CancellationToken.None));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        Assert.DoesNotContain("1234", await File.ReadAllTextAsync(store.FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilePinVerdictStore_should_refuse_a_damaged_file_rather_than_forget_a_rejection()
    {
        var store = new FilePinVerdictStore(_dir.File("state"));
        Directory.CreateDirectory(_dir.File("state"));
        await File.WriteAllTextAsync(store.FilePath, "{ not json");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.FindAsync("iccid-abc", CancellationToken.None));
        Assert.Contains(store.FilePath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinuxProcessRunner_should_pass_arguments_verbatim_and_keep_private_files_private()
    {
        var secrets = _dir.File("run/secrets.options");
        var spec = new ProcessSpec("/bin/sh",
            ["-c", "stat -c %a \"$1\"; cat \"$1\"; echo \"$2\"", "sh", secrets, "a; rm -rf / $(nope)"],
            [new PrivateFile(secrets, "password \"s3cret\"\n")]);

        await using var process = await new LinuxProcessRunner().StartAsync(spec, CancellationToken.None);
        var lines = new List<string>();
        await foreach (var line in process.Output)
        {
            lines.Add(line);
        }

        Assert.Equal(0, await process.Exited);
        Assert.Equal(["600", "password \"s3cret\"", "a; rm -rf / $(nope)"], lines);
        Assert.False(File.Exists(secrets)); // removed once the program ended
    }

    [Fact]
    public async Task LinuxProcessRunner_should_see_what_a_program_has_open_and_terminate_it()
    {
        var file = _dir.File("held");
        await File.WriteAllTextAsync(file, "x");
        var spec = new ProcessSpec("/bin/sh", ["-c", "exec 3<\"$1\"; echo ready; while :; do sleep 0.05; done", "sh", file]);

        await using var process = await new LinuxProcessRunner().StartAsync(spec, CancellationToken.None);
        await using var output = process.Output.GetAsyncEnumerator();
        Assert.True(await output.MoveNextAsync());
        Assert.Equal("ready", output.Current);

        Assert.True(process.HasOpen(file));
        process.Terminate();
        Assert.Equal(128 + 15, await process.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task LinuxProcessRunner_should_say_which_program_is_missing()
    {
        var e = await Assert.ThrowsAsync<ProcessStartException>(() =>
            new LinuxProcessRunner().StartAsync(new ProcessSpec("/usr/sbin/no-such-pppd", []), CancellationToken.None));

        Assert.Contains("/usr/sbin/no-such-pppd", e.Message, StringComparison.Ordinal);
        Assert.Contains("not installed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StalePppdReaper_should_end_the_pppd_left_on_a_link_and_nothing_else()
    {
        // A stand-in whose argv is what the gateway's pppd would show: argv[0] named pppd, then "linkname ag-<id>".
        var pppd = _dir.File("pppd");
        File.Copy("/bin/sh", pppd);
        var spec = new ProcessSpec(pppd, ["-c", "sleep 60; true", "linkname", "ag-dongle"]);
        await using var leftover = await new LinuxProcessRunner().StartAsync(spec, CancellationToken.None);
        var run = Directory.CreateDirectory(_dir.File("run")).FullName;
        await File.WriteAllTextAsync(Path.Combine(run, "ppp-ag-dongle.pid"), $"{leftover.Id}\nppp0\n");
        // A pid file whose process is not pppd (a reused pid) must never be signalled.
        await File.WriteAllTextAsync(Path.Combine(run, "ppp-ag-other.pid"), $"{Environment.ProcessId}\n");

        var reaper = new StalePppdReaper(run);

        Assert.Null(await reaper.ReapAsync("ag-other", CancellationToken.None));
        Assert.Null(await reaper.ReapAsync("ag-missing", CancellationToken.None));
        Assert.Equal(leftover.Id, await reaper.ReapAsync("ag-dongle", CancellationToken.None));
        Assert.Equal(128 + 15, await leftover.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Real_pppd_should_exit_4_on_a_kernel_without_PPP()
    {
        if (File.Exists("/dev/ppp") || !File.Exists("/usr/sbin/pppd"))
        {
            return; // only meaningful where the kernel lacks PPP and pppd is installed (CI installs it)
        }

        using var nokia = new ModemSimulator(NokiaC2_01.Profile, timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("nokia-"));
        var spec = new ProcessSpec("/usr/sbin/pppd", [ptys.PathOf(nokia.AtPort), "115200", "nodetach", "logfd", "2", "noauth", "nolock", "local"]);

        await using var process = await new LinuxProcessRunner().StartAsync(spec, CancellationToken.None);
        var lines = new List<string>();
        await foreach (var line in process.Output)
        {
            lines.Add(line);
        }

        Assert.Equal(4, await process.Exited);
        Assert.Contains(lines, l => l.Contains("/dev/ppp", StringComparison.Ordinal));
    }

    private static async Task<string> ReadUntilAsync(ISerialConnection line, string end)
    {
        var text = string.Empty;
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.EndsWith(end, StringComparison.Ordinal))
        {
            var n = await line.ReadAsync(buffer, timeout.Token);
            text += System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }

        return text;
    }
}
