using System.Net.Sockets;
using System.Text;
using ActorGateway.Core.Io;
using ActorGateway.Linux.Systemd;

namespace ActorGateway.Integration.Tests.Linux;

/// <summary>
/// sd_notify(3) against a fake service manager: a real AF_UNIX datagram socket the test binds and reads, at a path and
/// in the abstract namespace (<c>@name</c>).
/// </summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A bound datagram socket, as systemd's notify socket is.</summary>
    internal static Socket Listen(string address)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(address.StartsWith('@') ? "\0" + address[1..] : address));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    internal static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        var n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        key => vars.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void SystemdNotifier_should_send_each_notification_as_one_datagram_to_a_socket_path()
    {
        var path = _dir.File("notify");
        using var manager = Listen(path);
        using var notifier = SystemdNotifier.FromEnvironment(Env(("NOTIFY_SOCKET", path)))!;

        Assert.True(notifier.Notify(ServiceNotifications.ReadyWithStatus("running")));
        Assert.True(notifier.Notify(ServiceNotifications.Watchdog));

        Assert.Equal("READY=1\nSTATUS=running", Receive(manager));
        Assert.Equal("WATCHDOG=1", Receive(manager));
        Assert.Equal(path, notifier.Address);
    }

    [Fact]
    public void SystemdNotifier_should_reach_an_abstract_socket_by_its_at_sign_name()
    {
        var name = $"@actorgateway-test/{Guid.NewGuid():N}";
        using var manager = Listen(name);
        using var notifier = SystemdNotifier.FromEnvironment(Env(("NOTIFY_SOCKET", name)))!;

        Assert.True(notifier.Notify(ServiceNotifications.Stopping));

        Assert.Equal("STOPPING=1", Receive(manager));
        // The kernel shows the bound name as the test gave it: no trailing NUL made it a different name.
        Assert.Contains(File.ReadLines("/proc/net/unix"), l => l.EndsWith(" " + name, StringComparison.Ordinal));
    }

    [Fact]
    public void SystemdNotifier_should_lose_a_notification_quietly_when_nobody_listens()
    {
        using var notifier = SystemdNotifier.FromEnvironment(Env(("NOTIFY_SOCKET", _dir.File("nobody"))))!;

        Assert.False(notifier.Notify(ServiceNotifications.Ready));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/notify")]
    [InlineData("vsock:2:1234")]
    public void SystemdNotifier_should_be_absent_without_a_unix_notify_socket(string? address) =>
        Assert.Null(SystemdNotifier.FromEnvironment(Env(("NOTIFY_SOCKET", address!))));

    [Theory]
    [InlineData("20000000", null, 42, 20.0)]
    [InlineData("20000000", "42", 42, 20.0)]
    [InlineData("20000000", "43", 42, null)]
    [InlineData("20000000", "x", 42, null)]
    [InlineData("0", null, 42, null)]
    [InlineData("soon", null, 42, null)]
    [InlineData(null, null, 42, null)]
    [InlineData("1500", "", 42, 0.0015)]
    public void SystemdNotifier_should_read_the_watchdog_as_sd_watchdog_enabled_does(string? usec, string? pid, int self, double? seconds)
    {
        var timeout = SystemdNotifier.WatchdogFrom(Env(("WATCHDOG_USEC", usec!), ("WATCHDOG_PID", pid!)), self);

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, timeout);
    }

    [Fact]
    public void SystemdNotifier_should_carry_the_watchdog_of_its_environment()
    {
        var path = _dir.File("notify");
        using var notifier = SystemdNotifier.FromEnvironment(Env(("NOTIFY_SOCKET", path), ("WATCHDOG_USEC", "8000000"), ("WATCHDOG_PID", "7")), processId: 7)!;

        Assert.Equal(TimeSpan.FromSeconds(8), notifier.WatchdogTimeout);
    }
}
