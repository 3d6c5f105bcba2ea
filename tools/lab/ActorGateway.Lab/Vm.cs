using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ActorGateway.Lab;

/// <summary>
/// The lab's virtual machine: Debian's stock kernel under qemu with TCG (KVM does not work on this kind of host),
/// its root the host's own / over virtio-9p (read-only, a tmpfs overlay on top, see guest/init), a read-write 9p
/// folder for the agent, QMP for hot-plug, an xHCI controller for the simulated USB modems, and a PCI serial card
/// whose two ports are the ISPs' lines. Every qemu option is from qemu-system(1).
/// </summary>
public sealed class Vm : IAsyncDisposable
{
    private readonly Process _process;

    private Vm(Process process, Qmp qmp)
    {
        _process = process;
        Qmp = qmp;
    }

    /// <summary>The QMP connection.</summary>
    public Qmp Qmp { get; }

    /// <summary>Whether qemu is still running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts qemu with the modems in <paramref name="coldPlugged"/> already on the USB bus.</summary>
    public static async Task<Vm> StartAsync(LabPaths paths, IReadOnlyList<LabModem> modems, IReadOnlyList<LabModem> coldPlugged, CancellationToken cancellationToken)
    {
        var qmpPath = Path.Combine(paths.Sockets, "qmp.sock");
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var args = start.ArgumentList;
        void Add(params string[] items)
        {
            foreach (var item in items)
            {
                args.Add(item);
            }
        }

        // TCG: /dev/kvm here is a nested device that qemu cannot use (it aborts or hangs after the BIOS).
        Add("-accel", "tcg,thread=multi", "-cpu", "max", "-smp", "2", "-m", "2048");
        Add("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot");
        Add("-kernel", Path.Combine(paths.Boot, "vmlinuz"), "-initrd", Path.Combine(paths.Boot, "initrd.cpio"));
        // 8250.nr_uarts: room for the PCI serial ports beyond the four legacy ones (kernel-parameters.txt).
        Add("-append", $"console=ttyS0 panic=-1 8250.nr_uarts=8 labstage2={Path.Combine(paths.GuestScripts, "stage2")}");
        Add("-chardev", $"file,id=console,path={Path.Combine(paths.Logs, "console.log")}", "-serial", "chardev:console");
        Add("-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap");
        Add("-virtfs", $"local,path={paths.Share},mount_tag=lab,security_model=none,multidevs=remap");
        Add("-qmp", $"unix:{qmpPath},server=on,wait=off");
        Add("-device", "qemu-xhci,id=xhci");
        foreach (var modem in modems)
        {
            Add("-chardev", $"socket,id={modem.Chardev},path={modem.SocketPath},server=on,wait=off");
            Add("-chardev", $"socket,id={modem.IspChardev},path={modem.IspSocketPath},server=on,wait=off");
        }

        // One PCI card with a port per ISP: they become ttyS4, ttyS5 in port order (guest/lab isp-ttys).
        var serial = modems.Count switch
        {
            1 => $"pci-serial,chardev={modems[0].IspChardev}",
            2 => $"pci-serial-2x,chardev1={modems[0].IspChardev},chardev2={modems[1].IspChardev}",
            _ => throw new ArgumentOutOfRangeException(nameof(modems), "the lab has one or two modems"),
        };
        Add("-device", serial);
        foreach (var modem in coldPlugged)
        {
            Add("-device", modem.DeviceArguments);
            modem.InQemu = true;
        }

        var process = Process.Start(start) ?? throw new IOException("qemu-system-x86_64 did not start");
        var output = Path.Combine(paths.Logs, "qemu.log");
        _ = CopyAsync(process.StandardOutput, output);
        _ = CopyAsync(process.StandardError, output);
        try
        {
            var qmp = await Qmp.ConnectAsync(qmpPath, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return new Vm(process, qmp);
        }
        catch
        {
            process.Kill();
            throw;
        }
    }

    /// <summary>QMP <c>device_add</c>: the modem appears on the guest's USB bus.</summary>
    public async Task DeviceAddAsync(LabModem modem, CancellationToken cancellationToken)
    {
        var arguments = new JsonObject
        {
            ["driver"] = "usb-serial",
            ["id"] = modem.QemuId,
            ["chardev"] = modem.Chardev,
            ["bus"] = "xhci.0",
            ["serial"] = modem.UsbSerial,
        };
        await Qmp.ExecuteAsync("device_add", arguments, cancellationToken).ConfigureAwait(false);
        modem.InQemu = true;
    }

    /// <summary>QMP <c>device_del</c>, then the <c>DEVICE_DELETED</c> event that says the guest let go of it.</summary>
    public async Task DeviceDelAsync(LabModem modem, CancellationToken cancellationToken)
    {
        var from = Qmp.EventCount;
        await Qmp.ExecuteAsync("device_del", new JsonObject { ["id"] = modem.QemuId }, cancellationToken).ConfigureAwait(false);
        await Qmp.WaitForEventAsync(from, "DEVICE_DELETED", d => d?["device"]?.GetValue<string>() == modem.QemuId, TimeSpan.FromSeconds(30), cancellationToken)
            .ConfigureAwait(false);
        modem.InQemu = false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await Qmp.ExecuteAsync("quit", null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            // Killed below.
        }

        await Qmp.DisposeAsync().ConfigureAwait(false);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static async Task CopyAsync(StreamReader from, string path)
    {
        while (await from.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            await File.AppendAllTextAsync(path, line + Environment.NewLine).ConfigureAwait(false);
        }
    }
}
