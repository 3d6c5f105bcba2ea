using ActorGateway.Simulation;
using ActorGateway.Simulation.Socket;

namespace ActorGateway.Lab;

/// <summary>
/// One simulated USB modem of the lab: the project's modem simulator behind a <see cref="ChardevModemLink"/> on a
/// qemu chardev, shown to the guest as a usb-serial device with its own USB serial number, and bridged on CONNECT to
/// its own ISP line (a port of the guest's PCI serial card).
/// </summary>
public sealed class LabModem(string id, ModemProfile profile, string sockets, IspLine isp)
{
    /// <summary>The gateway's device id (guest/gateway.conf), e.g. <c>m0</c>.</summary>
    public string Id { get; } = id;

    /// <summary>The simulated model.</summary>
    public ModemProfile Profile { get; } = profile;

    /// <summary>The USB serial number qemu gives the device; udev's by-id link is named after it.</summary>
    public string UsbSerial => $"LAB{Id.ToUpperInvariant()}";

    /// <summary>The qemu device id used with device_add/device_del.</summary>
    public string QemuId => $"usb-{Id}";

    public string Chardev => Id;

    public string SocketPath { get; } = Path.Combine(sockets, $"{id}.sock");

    public string IspChardev => $"isp-{Id}";

    public string IspSocketPath { get; } = Path.Combine(sockets, $"isp-{id}.sock");

    /// <summary>The ISP this modem's calls reach.</summary>
    public IspLine Isp { get; } = isp;

    /// <summary>The <c>-device</c> value for a cold-plugged modem.</summary>
    public string DeviceArguments => $"usb-serial,id={QemuId},chardev={Chardev},bus=xhci.0,serial={UsbSerial}";

    /// <summary>The pppd link name the gateway gives a device's calls (ag-&lt;device id&gt;, src/ActorGateway.Core/Ppp/PppdCommand.cs).</summary>
    public static string PppLinkNameOf(string deviceId) => $"ag-{deviceId}";

    /// <summary>Whether the device is on qemu's USB bus now.</summary>
    public bool InQemu { get; set; }

    /// <summary>The simulator and its face, once connected.</summary>
    public ChardevModemLink? Link { get; set; }
}

/// <summary>An ISP's pppd in the guest: its link name, addresses and DNS (pppd(8): <c>local:remote</c>, <c>ms-dns</c>).</summary>
public sealed record IspLine(string Name, string Local, string Remote)
{
    /// <summary>The DNS server the ISP hands out (its own address).</summary>
    public string Dns => Local;
}
