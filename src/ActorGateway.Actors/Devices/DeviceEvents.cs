using ActorGateway.Actors.Modem;

namespace ActorGateway.Actors.Devices;

/// <summary>
/// What device actors tell the rest of the gateway on the actor system's event stream, for whoever owns the hardware
/// behind a device (USB discovery): who the modem turned out to be, and that it stopped answering.
/// </summary>
public static class DeviceEvents
{
    /// <summary>A marker for every device event.</summary>
    public interface IDeviceEvent
    {
        /// <summary>The device's id.</summary>
        string DeviceId { get; }
    }

    /// <summary>The modem said who it is (IMEI, and the SIM's ICCID).</summary>
    public sealed record ModemIdentified(string DeviceId, ModemIdentity Identity) : IDeviceEvent;

    /// <summary>The modem does not answer, even after <c>AT+CFUN=1,1</c>: a USB reset may revive it.</summary>
    public sealed record ModemUnresponsive(string DeviceId, string Reason) : IDeviceEvent;

    /// <summary>The device's serial port went away under it (unplugged, or a brown-out reset the modem).</summary>
    public sealed record PortLost(string DeviceId, string Reason) : IDeviceEvent;

    /// <summary>The modem answered CONNECT: a call starts.</summary>
    public sealed record Connected(string DeviceId) : IDeviceEvent;

    /// <summary>The gateway supervisor recreates the device's actor after it failed as a whole.</summary>
    public sealed record Recreated(string DeviceId, string Reason) : IDeviceEvent;
}
