using System.Globalization;
using ActorGateway.Core.Io;
using ActorGateway.Core.Usb;

namespace ActorGateway.Linux.Usb;

/// <summary>
/// Gives a switched modem a serial driver when none took it, the way the seed's
/// <c>modprobe usbserial vendor=0x12d1 product=0x1506</c> did, with today's interface: load the module (modprobe, an
/// argument list) and write <c>"vvvv pppp ff"</c> to the usb-serial driver's <c>new_id</c>
/// (Documentation/ABI/testing/sysfs-bus-usb "new_id"; Documentation/usb/usb-serial.rst). The class <c>ff</c> keeps the
/// driver off the stick's storage and network interfaces. <c>option</c> first (it knows the 3G dongles' quirks), then
/// the generic driver.
/// </summary>
public sealed class UsbDriverBinder(string sysfsRoot, IProcessRunner runner, string modprobe = "/sbin/modprobe") : IUsbDriverBinder
{
    private static readonly (string Module, string Driver)[] Drivers = [("option", "option1"), ("usbserial", "generic")];

    /// <inheritdoc />
    public async Task<string> BindAsync(UsbDevice device, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var (module, driver) in Drivers)
        {
            var newId = Path.Combine(sysfsRoot, "bus", "usb-serial", "drivers", driver, "new_id");
            if (!File.Exists(newId))
            {
                var loaded = await LoadAsync(module, cancellationToken).ConfigureAwait(false);
                if (!File.Exists(newId))
                {
                    problems.Add($"{module}: {loaded ?? "no new_id after loading it"}");
                    continue;
                }
            }

            var line = string.Create(CultureInfo.InvariantCulture, $"{device.Id.Vendor:x4} {device.Id.Product:x4} ff");
            try
            {
                await File.WriteAllTextAsync(newId, line, cancellationToken).ConfigureAwait(false);
                return module;
            }
            catch (IOException e) when (e.HResult == -17 || e.Message.Contains("exists", StringComparison.OrdinalIgnoreCase))
            {
                return module; // the id is already there (EEXIST): the driver knows it, binding is up to the kernel now
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{module}: writing {line} to {newId} failed: {e.Message}");
            }
        }

        throw new UsbAdapterException($"no serial driver would take {device.Id}: {string.Join("; ", problems)}");
    }

    private async Task<string?> LoadAsync(string module, CancellationToken cancellationToken)
    {
        try
        {
            await using var process = await runner.StartAsync(new ProcessSpec(modprobe, [module]), cancellationToken).ConfigureAwait(false);
            var output = new List<string>();
            await foreach (var line in process.Output.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                output.Add(line);
            }

            var code = await process.Exited.ConfigureAwait(false);
            return code == 0 ? null : $"modprobe {module} exited {code}: {string.Join(" / ", output)}";
        }
        catch (ProcessStartException e)
        {
            return e.Message;
        }
    }
}
