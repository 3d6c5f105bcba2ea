using System.Net;

namespace ActorGateway.Actors.Uplinks;

/// <summary>
/// What the device side tells the network side, on the actor system's event stream: links that can carry
/// the LAN's traffic came or went. Devices publish; the uplink manager subscribes. Neither knows the other.
/// </summary>
public static class UplinkEvents
{
    /// <summary>A marker for every uplink event, to subscribe to all of them at once.</summary>
    public interface IUplinkEvent
    {
        /// <summary>The device the link belongs to (its id in status).</summary>
        string DeviceId { get; }
    }

    /// <summary>pppd brought IPCP up on <paramref name="Interface"/> for a device's call.</summary>
    public sealed record PppLinkUp(
        string DeviceId,
        string Interface,
        IPAddress LocalAddress,
        IPAddress RemoteAddress,
        IReadOnlyList<IPAddress> Dns) : IUplinkEvent;

    /// <summary>The device's PPP link is gone (pppd exited, the call dropped, the device went away).</summary>
    public sealed record PppLinkDown(string DeviceId, string Interface, string Reason) : IUplinkEvent;

    /// <summary>
    /// A USB device brought a network interface that leads to the internet (Android RNDIS/ECM <c>usb0</c>,
    /// NCM, QMI/MBIM <c>wwan0</c>, a HiLink <c>enx…</c>): it needs DHCP, then it can be an uplink.
    /// </summary>
    public sealed record TetheringInterfaceAppeared(string DeviceId, string Interface, string Driver) : IUplinkEvent;

    /// <summary>The tethering interface went away (unplugged, tethering switched off).</summary>
    public sealed record TetheringInterfaceGone(string DeviceId, string Interface) : IUplinkEvent;
}
