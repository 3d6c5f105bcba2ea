using System.Globalization;
using ActorGateway.Core.Io;
using ActorGateway.Core.Network;

namespace ActorGateway.Linux.Network;

/// <summary>
/// Byte counters from <c>/sys/class/net/IFNAME/statistics/{rx,tx}_bytes</c> (sysfs-class-net-statistics in the kernel's
/// ABI documentation). A PPP interface's counters start at zero with each call, as a new interface does.
/// </summary>
public sealed class SysfsInterfaceCounters(string sysfsRoot = "/sys") : IInterfaceCounters
{
    /// <inheritdoc />
    public InterfaceBytes? Read(string interfaceName)
    {
        if (!InterfaceName.IsValid(interfaceName))
        {
            return null;
        }

        var statistics = Path.Combine(sysfsRoot, "class/net", interfaceName, "statistics");
        return ReadLong(Path.Combine(statistics, "rx_bytes")) is { } rx && ReadLong(Path.Combine(statistics, "tx_bytes")) is { } tx
            ? new InterfaceBytes(rx, tx)
            : null;
    }

    private static long? ReadLong(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
