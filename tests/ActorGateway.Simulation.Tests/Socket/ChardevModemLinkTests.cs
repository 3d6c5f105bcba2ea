using System.Net.Sockets;
using System.Text;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Socket;
using ActorGateway.Simulation.Tests.Pty;
using UnixSocket = System.Net.Sockets.Socket;

namespace ActorGateway.Simulation.Tests.Socket;

/// <summary>
/// The chardev face against real Unix sockets: each test listens where qemu would (<c>server=on</c>) and plays the
/// guest on the accepted connection.
/// </summary>
public sealed class ChardevModemLinkTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly byte[] LcpTerminateRequest = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x25, 0x7D, 0x22, 0x7D, 0x20, 0x7D, 0x24, 0x12, 0x34, 0x7E];

    private readonly string _dir = Directory.CreateTempSubdirectory("ag-chardev-").FullName;
    private readonly ManualTimeProvider _clock = new();
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly List<IDisposable> _sockets = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in _cleanup)
        {
            await item.DisposeAsync();
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [LinuxFact]
    public async Task Link_should_answer_at_commands_over_the_socket()
    {
        var (guest, _) = await StartAsync(withNetwork: false);
        await SendAsync(guest, "AT\r");
        Assert.Contains("OK", await ReadUntilAsync(guest, "OK"));
    }

    [LinuxFact]
    public async Task Link_should_keep_trying_until_qemu_listens()
    {
        var sim = Modem();
        var path = Path.Combine(_dir, "late.sock");
        var connecting = ChardevModemLink.ConnectAsync(sim, path);
        await Task.Delay(200);
        Assert.False(connecting.IsCompleted);
        using var listener = Listen(path);
        var link = await connecting.WaitAsync(Wait);
        _cleanup.Add(link);
        using var guest = await listener.AcceptAsync().WaitAsync(Wait);
        await SendAsync(guest, "AT\r");
        Assert.Contains("OK", await ReadUntilAsync(guest, "OK"));
    }

    [LinuxFact]
    public async Task Link_should_give_up_when_nobody_listens()
    {
        var options = new ChardevLinkOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        await Assert.ThrowsAsync<IOException>(() => ChardevModemLink.ConnectAsync(Modem(), Path.Combine(_dir, "none.sock"), options: options));
    }

    [LinuxFact]
    public async Task Link_should_bridge_the_call_to_the_network_both_ways()
    {
        var (guest, network) = await StartAsync(withNetwork: true);
        await SendAsync(guest, "ATD*99#\r");
        await ReadUntilAsync(guest, "CONNECT");

        byte[] fromGuest = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x21, 0x01, 0x7E];
        await guest.SendAsync(fromGuest);
        Assert.Equal(fromGuest, await ReadBytesAsync(network!, fromGuest.Length));

        byte[] fromNetwork = [0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x22, 0x01, 0x7E];
        await network!.SendAsync(fromNetwork);
        Assert.Equal(fromNetwork, await ReadBytesAsync(guest, fromNetwork.Length));
    }

    [LinuxFact]
    public async Task Link_should_drop_what_the_network_sends_outside_a_call()
    {
        var (guest, network) = await StartAsync(withNetwork: true);
        await network!.SendAsync("noise from the ISP"u8.ToArray());
        await SendAsync(guest, "AT\r");
        var answer = await ReadUntilAsync(guest, "OK");
        Assert.DoesNotContain("noise", answer);
    }

    [LinuxFact]
    public async Task Link_should_hang_up_after_the_guest_terminates_the_ppp_link()
    {
        var (guest, network) = await StartAsync(withNetwork: true);
        var link = (ChardevModemLink)_cleanup[^1];
        await SendAsync(guest, "ATD*99#\r");
        await ReadUntilAsync(guest, "CONNECT");
        Assert.Equal(CallState.Connected, link.Simulator.CallState);

        await guest.SendAsync(LcpTerminateRequest);
        Assert.Equal(LcpTerminateRequest, await ReadBytesAsync(network!, LcpTerminateRequest.Length)); // the peer gets it, to ack
        await WaitForAsync(() => _clock.ActiveTimers > 0);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Contains("NO CARRIER", await ReadUntilAsync(guest, "NO CARRIER"));
        Assert.Equal(CallState.Idle, link.Simulator.CallState);
        Assert.Equal(1, link.Calls);
        await SendAsync(guest, "AT\r");
        await ReadUntilAsync(guest, "OK"); // command state again: the next session can talk to it
    }

    [LinuxFact]
    public async Task Link_should_power_the_modem_off_and_on_when_unplugged_and_plugged()
    {
        var (guest, _) = await StartAsync(withNetwork: false);
        var link = (ChardevModemLink)_cleanup[^1];
        await SendAsync(guest, "ATE0\r");
        await ReadUntilAsync(guest, "OK");

        link.Unplug();
        Assert.False(link.Simulator.IsPresent);
        link.Plug();

        // A modem that lost power answers with echo again (E1 is the factory setting, V.250 §6.2.4).
        await SendAsync(guest, "AT\r");
        var answer = await ReadUntilAsync(guest, "OK");
        Assert.StartsWith("AT\r", answer, StringComparison.Ordinal);
        Assert.Equal(2, link.Simulator.Incarnation);
    }

    [LinuxFact]
    public async Task Link_should_complete_when_qemu_closes_the_socket()
    {
        var (guest, _) = await StartAsync(withNetwork: false);
        var link = (ChardevModemLink)_cleanup[^1];
        guest.Shutdown(SocketShutdown.Both);
        guest.Close();
        await link.Completion.WaitAsync(Wait);
    }

    private ModemSimulator Modem()
    {
        // No delays: registration and CONNECT happen at once on the manual clock.
        var profile = Generic3gppModem.Profile with { RegistrationDelay = TimeSpan.Zero, ConnectDelay = TimeSpan.Zero };
        var sim = new ModemSimulator(profile, timeProvider: _clock);
        return sim;
    }

    private async Task<(UnixSocket Guest, UnixSocket? Network)> StartAsync(bool withNetwork)
    {
        var modemPath = Path.Combine(_dir, "modem.sock");
        var networkPath = Path.Combine(_dir, "network.sock");
        var modemListener = Listen(modemPath);
        var networkListener = withNetwork ? Listen(networkPath) : null;
        var link = await ChardevModemLink.ConnectAsync(Modem(), modemPath, withNetwork ? networkPath : null).WaitAsync(Wait);
        _cleanup.Add(link);
        var guest = await modemListener.AcceptAsync().WaitAsync(Wait);
        _sockets.Add(guest);
        UnixSocket? network = null;
        if (networkListener is not null)
        {
            network = await networkListener.AcceptAsync().WaitAsync(Wait);
            _sockets.Add(network);
        }

        return (guest, network);
    }

    private UnixSocket Listen(string path)
    {
        var listener = new UnixSocket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        _sockets.Add(listener);
        return listener;
    }

    private static Task SendAsync(UnixSocket socket, string text) => socket.SendAsync(Encoding.Latin1.GetBytes(text));

    private static async Task<string> ReadUntilAsync(UnixSocket socket, string expected)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var text = new StringBuilder();
        var buffer = new byte[1024];
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(n > 0, $"socket closed before \"{expected}\"; got: {text}");
            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    private static async Task<byte[]> ReadBytesAsync(UnixSocket socket, int count)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            Assert.True(n > 0, "socket closed early");
            read += n;
        }

        return buffer;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
