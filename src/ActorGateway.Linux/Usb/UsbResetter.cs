using System.Runtime.InteropServices;
using ActorGateway.Core.Usb;
using ActorGateway.Linux.Native;
using Microsoft.Win32.SafeHandles;

namespace ActorGateway.Linux.Usb;

/// <summary>
/// Resets a USB device without unplugging it: the USBDEVFS_RESET ioctl on its usbfs node <c>/dev/bus/usb/BBB/DDD</c>
/// (include/uapi/linux/usbdevice_fs.h; the kernel re-enumerates it in place and rebinds its drivers), or, where that
/// node is missing or the ioctl is refused, de-authorising and re-authorising it through sysfs (<c>authorized</c> 0
/// then 1, Documentation/usb/authorization.rst), which unbinds and rebinds every interface.
/// </summary>
public sealed class UsbResetter(string sysfsRoot = "/sys", string devDirectory = "/dev") : IUsbResetter
{
    /// <inheritdoc />
    public async Task<string> ResetAsync(UsbDevice device, CancellationToken cancellationToken)
    {
        var node = Path.Combine(devDirectory, device.DeviceNode);
        string? ioctlProblem;
        try
        {
            using var handle = File.OpenHandle(node, FileMode.Open, FileAccess.Write);
            if (Reset(handle) == 0)
            {
                return $"USBDEVFS_RESET on {node}";
            }

            ioctlProblem = $"USBDEVFS_RESET on {node} failed: {Marshal.GetLastPInvokeErrorMessage()}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ioctlProblem = $"cannot open {node}: {e.Message}";
        }

        var authorized = $"{sysfsRoot.TrimEnd('/')}{device.DevPath}/authorized";
        try
        {
            await File.WriteAllTextAsync(authorized, "0", cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(authorized, "1", cancellationToken).ConfigureAwait(false);
            return $"de-authorised and re-authorised through {authorized} ({ioctlProblem})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsbAdapterException($"cannot reset {device.Describe()}: {ioctlProblem}; writing {authorized} failed: {e.Message}", e);
        }
    }

    private static int Reset(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return Libc.ioctl((int)handle.DangerousGetHandle(), Libc.USBDEVFS_RESET, 0);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
