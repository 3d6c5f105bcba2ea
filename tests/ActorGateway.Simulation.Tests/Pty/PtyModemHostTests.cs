using System.IO.Ports;
using System.Text;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;

namespace ActorGateway.Simulation.Tests.Pty;

/// <summary>The pty face against real ptys; waits are bounded by deadlines on the data, never fixed sleeps.</summary>
public sealed class PtyModemHostTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ag-sim-tests", Guid.NewGuid().ToString("N"));

    // Real time here: the pty face is about real I/O. Short delays keep the tests quick.
    private static ModemProfile FastPhone => NokiaC2_01.Profile with
    {
        RegistrationDelay = TimeSpan.Zero,
        ConnectDelay = TimeSpan.FromMilliseconds(50),
    };

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static SerialPort OpenSerial(string path)
    {
        // DtrEnable stays false: setting DTR is an ioctl a pty refuses ("Inappropriate ioctl for device").
        var port = new SerialPort(path, 115200) { DtrEnable = false, ReadTimeout = 200, WriteTimeout = 2000 };
        port.Open();
        return port;
    }

    private static string ReadUntil(SerialPort port, string expected)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var text = new StringBuilder();
        var buffer = new byte[256];
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no '{expected}' within {Deadline}; got '{text}'");
            }

            try
            {
                var n = port.Read(buffer, 0, buffer.Length);
                text.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
            catch (TimeoutException)
            {
                // Nothing yet; the deadline above bounds the wait.
            }
        }

        return text.ToString();
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {Deadline}");
            }

            await Task.Delay(10);
        }
    }

    [LinuxFact]
    public async Task SerialPort_should_round_trip_AT_through_the_symlink()
    {
        using var sim = new ModemSimulator(FastPhone);
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "nokia-"));
        var path = host.PathOf("ttyACM0");

        Assert.Equal(Path.Combine(_directory, "nokia-ttyACM0"), path);
        Assert.StartsWith("/dev/pts/", new FileInfo(path).LinkTarget);
        using var port = OpenSerial(path);
        port.Write("AT\r");

        Assert.Equal("AT\r\r\nOK\r\n", ReadUntil(port, "OK\r\n"));
    }

    [LinuxFact]
    public async Task Slave_should_start_raw_so_a_plain_FileStream_works_too()
    {
        using var sim = new ModemSimulator(FastPhone);
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "nokia-"));
        await using var stream = new FileStream(host.PathOf("ttyACM0"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
        PtyTerminal.MakeRaw(stream.SafeFileHandle);

        await stream.WriteAsync("ATE0\r"u8.ToArray());
        await stream.FlushAsync();
        var text = new StringBuilder();
        var buffer = new byte[64];
        while (!text.ToString().EndsWith("OK\r\n", StringComparison.Ordinal))
        {
            var n = await Task.Run(() => stream.Read(buffer, 0, buffer.Length)).WaitAsync(Deadline);
            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        Assert.Equal("ATE0\r\r\nOK\r\n", text.ToString());
    }

    [LinuxFact]
    public async Task Vanish_should_give_a_plain_opener_EIO_and_remove_the_link()
    {
        using var sim = new ModemSimulator(FastPhone);
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "nokia-"));
        var path = host.PathOf("ttyACM0");
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
        await WaitUntil(() => sim.AtPort.IsOpen, "the open being seen");

        sim.Vanish();

        Assert.False(File.Exists(path));
        Assert.Null(host.SlavePathOf("ttyACM0"));

        // The master is gone: the slave reads end of file and writes fail with EIO, as on an unplugged USB tty.
        Assert.Equal(0, await Task.Run(() => stream.Read(new byte[16], 0, 16)).WaitAsync(Deadline));
        Assert.ThrowsAny<IOException>(() =>
        {
            stream.Write("AT\r"u8);
            stream.Flush();
        });
    }

    [LinuxFact]
    public async Task Vanish_should_fail_a_pending_System_IO_Ports_read()
    {
        using var sim = new ModemSimulator(FastPhone);
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "nokia-"));
        using var port = OpenSerial(host.PathOf("ttyACM0"));
        var pending = port.BaseStream.ReadAsync(new byte[16]).AsTask();

        sim.Vanish();

        // System.IO.Ports closes its stream on the hang-up ("The port is closed"); a read loop sees that, not data.
        await Assert.ThrowsAnyAsync<Exception>(() => pending.WaitAsync(Deadline));
    }

    [LinuxFact]
    public async Task Return_should_make_the_same_link_path_answer_again()
    {
        using var sim = new ModemSimulator(FastPhone);
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "nokia-"));
        var path = host.PathOf("ttyACM0");

        sim.Vanish();
        Assert.False(File.Exists(path));
        sim.Return();

        Assert.True(File.Exists(path));
        using var port = OpenSerial(path);
        port.Write("AT\r");
        Assert.Equal("AT\r\r\nOK\r\n", ReadUntil(port, "OK\r\n"));
    }

    [LinuxFact]
    public async Task Closing_the_slave_during_a_call_should_hang_up_with_AND_D2()
    {
        using var sim = new ModemSimulator(FastPhone);
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "nokia-"));
        using (var port = OpenSerial(host.PathOf("ttyACM0")))
        {
            await WaitUntil(() => sim.AtPort.IsOpen, "the open being seen");
            port.Write("ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\r");
            ReadUntil(port, "OK\r\n");
            port.Write("ATDT*99#\r");
            ReadUntil(port, "CONNECT\r\n");
            Assert.Equal(CallState.Connected, sim.CallState);
        }

        await WaitUntil(() => sim.CallState == CallState.Idle, "the hang-up");
        Assert.False(sim.AtPort.Dtr);
    }

    [LinuxFact]
    public async Task CFUN_reset_should_replace_the_pty_behind_the_same_link()
    {
        using var sim = new ModemSimulator(FastPhone with { ResetDelay = TimeSpan.FromMilliseconds(50), ResetOutage = TimeSpan.FromMilliseconds(100) });
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "nokia-"));
        var path = host.PathOf("ttyACM0");
        using (var port = OpenSerial(path))
        {
            port.Write("AT+CFUN=1,1\r");
            ReadUntil(port, "OK\r\n");
        }

        await WaitUntil(() => sim.Incarnation == 2 && File.Exists(path), "the device coming back");

        using var again = OpenSerial(path);
        again.Write("AT\r");
        Assert.Equal("AT\r\r\nOK\r\n", ReadUntil(again, "OK\r\n"));
    }

    [LinuxFact]
    public async Task Huawei_should_get_three_links_and_only_the_AT_one_answers()
    {
        using var sim = new ModemSimulator(HuaweiE367.Profile);
        await using var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "huawei-"));

        Assert.Equal(["huawei-ttyUSB0", "huawei-ttyUSB1", "huawei-ttyUSB2"], host.Paths.Select(Path.GetFileName));
        using var at = OpenSerial(host.PathOf("ttyUSB0"));
        at.Write("AT\r");
        Assert.StartsWith("AT\r\r\nOK\r\n", ReadUntil(at, "OK\r\n"));
    }

    [LinuxFact]
    public async Task Dispose_should_remove_every_link()
    {
        var sim = new ModemSimulator(HuaweiE367.Profile);
        var host = await PtyModemHost.StartAsync(sim, Path.Combine(_directory, "huawei-"));
        var paths = host.Paths;

        await host.DisposeAsync();
        sim.Dispose();

        Assert.All(paths, p => Assert.False(File.Exists(p)));
    }
}
