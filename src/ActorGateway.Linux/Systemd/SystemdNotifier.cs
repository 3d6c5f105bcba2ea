using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ActorGateway.Core.Io;

namespace ActorGateway.Linux.Systemd;

/// <summary>
/// systemd's notify protocol without libsystemd (sd_notify(3)): each notification is one datagram of
/// <c>KEY=VALUE</c> lines sent to the AF_UNIX socket named in <c>$NOTIFY_SOCKET</c> — a path, or an abstract-namespace
/// name when it starts with <c>@</c>. The watchdog interval comes from <c>$WATCHDOG_USEC</c>, for this process only when
/// <c>$WATCHDOG_PID</c> is unset or names it (sd_watchdog_enabled(3)). The socket is non-blocking: a full or missing
/// receiver loses a notification, never stalls the caller.
/// </summary>
public sealed class SystemdNotifier : IServiceNotifier, IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly Lock _gate = new();

    private SystemdNotifier(string address, TimeSpan? watchdog)
    {
        // "@name" is the abstract namespace: the address starts with a NUL byte (unix(7)).
        _endpoint = new UnixDomainSocketEndPoint(address.StartsWith('@') ? "\0" + address[1..] : address);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
        Address = address;
        WatchdogTimeout = watchdog;
    }

    /// <summary>Where notifications go, as <c>$NOTIFY_SOCKET</c> gave it.</summary>
    public string Address { get; }

    /// <inheritdoc />
    public TimeSpan? WatchdogTimeout { get; }

    /// <summary>
    /// The notifier the environment asks for, or null when no service manager listens (<c>$NOTIFY_SOCKET</c> unset or
    /// not an AF_UNIX address). <paramref name="environment"/> defaults to the process environment.
    /// </summary>
    public static SystemdNotifier? FromEnvironment(Func<string, string?>? environment = null, int? processId = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var address = environment("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(address) || !(address.StartsWith('/') || address.StartsWith('@')))
        {
            return null; // vsock addresses (vsock:CID:PORT) are for VMs, not for a service on a Pi
        }

        return new SystemdNotifier(address, WatchdogFrom(environment, processId ?? Environment.ProcessId));
    }

    /// <summary>The watchdog timeout of sd_watchdog_enabled(3), or null.</summary>
    public static TimeSpan? WatchdogFrom(Func<string, string?> environment, int processId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!ulong.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0)
        {
            return null;
        }

        var pid = environment("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var watched) || watched != processId))
        {
            return null; // meant for another process (our parent's, say)
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    /// <inheritdoc />
    public bool Notify(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bytes = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                return _socket.SendTo(bytes, SocketFlags.None, _endpoint) == bytes.Length;
            }
            catch (SocketException)
            {
                return false; // no manager listening, or its queue is full: lose this one
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket.Dispose();
        }
    }
}
