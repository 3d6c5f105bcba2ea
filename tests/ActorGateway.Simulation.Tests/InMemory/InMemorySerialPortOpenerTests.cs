using System.Text;
using ActorGateway.Core.Io;
using ActorGateway.Simulation.InMemory;
using ActorGateway.Simulation.Profiles;

namespace ActorGateway.Simulation.Tests.InMemory;

public sealed class InMemorySerialPortOpenerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _clock = new();

    private (ModemSimulator Sim, InMemorySerialPortOpener Opener) Huawei()
    {
        var sim = new ModemSimulator(HuaweiE367.Profile, timeProvider: _clock);
        var opener = new InMemorySerialPortOpener();
        opener.Add(sim, "/sim/huawei");
        return (sim, opener);
    }

    private static async Task<string> ReadUntil(ISerialConnection connection, string expected)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var text = new StringBuilder();
        var buffer = new byte[256];
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var n = await connection.ReadAsync(buffer, cts.Token);
            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    private static ValueTask Write(ISerialConnection connection, string text) =>
        connection.WriteAsync(Encoding.Latin1.GetBytes(text), CancellationToken.None);

    [Fact]
    public void Add_should_register_every_tty_under_the_directory()
    {
        var (_, opener) = Huawei();

        Assert.Equal(["/sim/huawei/ttyUSB0", "/sim/huawei/ttyUSB1", "/sim/huawei/ttyUSB2"], opener.Paths.Order());
    }

    [Fact]
    public async Task OpenAsync_should_round_trip_AT_on_the_AT_port()
    {
        var (_, opener) = Huawei();

        await using var connection = await opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB0"), CancellationToken.None);
        await Write(connection, "AT\r");

        Assert.Equal("AT\r\r\nOK\r\n", await ReadUntil(connection, "OK\r\n"));
        Assert.Equal("/sim/huawei/ttyUSB0", connection.Path);
    }

    [Fact]
    public async Task OpenAsync_of_an_unknown_or_unplugged_path_should_throw_no_such_device()
    {
        var (sim, opener) = Huawei();

        var unknown = await Assert.ThrowsAsync<SerialPortException>(() => opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB9"), CancellationToken.None));
        sim.Vanish();
        var gone = await Assert.ThrowsAsync<SerialPortException>(() => opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB0"), CancellationToken.None));

        Assert.Contains("no such device", unknown.Message);
        Assert.Equal("/sim/huawei/ttyUSB0", gone.Port);
    }

    [Fact]
    public async Task A_pending_read_should_complete_when_output_arrives()
    {
        var (sim, opener) = Huawei();
        await using var connection = await opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB0"), CancellationToken.None);
        var buffer = new byte[64];

        var read = connection.ReadAsync(buffer, CancellationToken.None).AsTask();
        Assert.False(read.IsCompleted);
        _clock.Advance(HuaweiE367.Profile.BootDelay);
        var n = await read.WaitAsync(Timeout);

        Assert.StartsWith("\r\n^SIMST:1\r\n", Encoding.Latin1.GetString(buffer, 0, n));
    }

    [Fact]
    public async Task Vanish_should_fail_pending_and_later_reads_with_IOException_even_after_return()
    {
        var (sim, opener) = Huawei();
        var connection = await opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB0"), CancellationToken.None);
        var pending = connection.ReadAsync(new byte[16], CancellationToken.None).AsTask();

        sim.Vanish();

        await Assert.ThrowsAnyAsync<IOException>(() => pending.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<IOException>(async () => await connection.ReadAsync(new byte[16], CancellationToken.None));
        await Assert.ThrowsAnyAsync<IOException>(async () => await Write(connection, "AT\r"));
        sim.Return();
        await Assert.ThrowsAnyAsync<IOException>(async () => await connection.ReadAsync(new byte[16], CancellationToken.None));
        await connection.DisposeAsync();

        await using var fresh = await opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB0"), CancellationToken.None);
        await Write(fresh, "AT\r");
        Assert.EndsWith("OK\r\n", await ReadUntil(fresh, "OK\r\n"));
    }

    [Fact]
    public async Task Opening_twice_should_be_refused_until_the_holder_releases_for_handover()
    {
        var (sim, opener) = Huawei();
        var options = new SerialPortOptions("/sim/huawei/ttyUSB0");
        var chat = await opener.OpenAsync(options, CancellationToken.None);
        _clock.Advance(HuaweiE367.Profile.RegistrationDelay);
        await Write(chat, "ATE0^CURC=0\r");
        await ReadUntil(chat, "OK\r\n");
        await Write(chat, "ATD*99#\r");
        _clock.Advance(HuaweiE367.Profile.ConnectDelay);
        await ReadUntil(chat, "CONNECT\r\n");

        await Assert.ThrowsAsync<SerialPortException>(() => opener.OpenAsync(options, CancellationToken.None));
        await chat.ReleaseForHandoverAsync(CancellationToken.None);
        await using var pppd = await opener.OpenAsync(options, CancellationToken.None);
        await chat.DisposeAsync();

        Assert.Equal(CallState.Connected, sim.CallState);
        Assert.True(sim.AtPort.InjectData([0x7E, 0x7E]));
        var buffer = new byte[8];
        Assert.Equal(2, await pppd.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Disposing_the_connection_should_drop_DTR_and_hang_up()
    {
        var (sim, opener) = Huawei();
        var connection = await opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB0"), CancellationToken.None);
        _clock.Advance(HuaweiE367.Profile.RegistrationDelay);
        await Write(connection, "ATD*99#\r");
        _clock.Advance(HuaweiE367.Profile.ConnectDelay);
        await ReadUntil(connection, "CONNECT\r\n");

        await connection.DisposeAsync();

        Assert.Equal(CallState.Idle, sim.CallState);
    }

    [Fact]
    public async Task ReadAsync_should_honour_cancellation()
    {
        var (_, opener) = Huawei();
        await using var connection = await opener.OpenAsync(new SerialPortOptions("/sim/huawei/ttyUSB2"), CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var read = connection.ReadAsync(new byte[8], cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Timeout));
    }
}
