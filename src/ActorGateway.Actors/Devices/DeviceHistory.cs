namespace ActorGateway.Actors.Devices;

/// <summary>
/// What a device's supervisor remembers of it across incarnations of its actor: a device actor that fails
/// as a whole is recreated empty, but status must still say what went wrong last, and a modem reset
/// (<c>AT+CFUN=1,1</c>) must be held apart from the next even when the device actor in between is new.
/// Shared between the supervisor and the device actor, so it is thread-safe.
/// </summary>
public sealed class DeviceHistory
{
    private readonly Lock _gate = new();
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastModemReset;
    private int _recreated;

    /// <summary>The last thing that went wrong, and when.</summary>
    public (string? Error, DateTimeOffset? At) LastError
    {
        get
        {
            lock (_gate)
            {
                return (_lastError, _lastErrorAt);
            }
        }
    }

    /// <summary>When the modem was last reset with <c>AT+CFUN=1,1</c>.</summary>
    public DateTimeOffset? LastModemReset
    {
        get
        {
            lock (_gate)
            {
                return _lastModemReset;
            }
        }
    }

    /// <summary>How often the device actor was recreated after failing as a whole.</summary>
    public int Recreated
    {
        get
        {
            lock (_gate)
            {
                return _recreated;
            }
        }
    }

    public void Failed(string error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastError = error;
            _lastErrorAt = at;
        }
    }

    public void ModemReset(DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastModemReset = at;
        }
    }

    public void DeviceRecreated(string error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _recreated++;
            _lastError = error;
            _lastErrorAt = at;
        }
    }
}
