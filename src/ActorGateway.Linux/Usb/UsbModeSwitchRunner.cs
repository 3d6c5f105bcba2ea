using ActorGateway.Core.Io;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;

namespace ActorGateway.Linux.Usb;

/// <summary>
/// Runs the real usb_modeswitch with an argument list (<see cref="UsbModeSwitchCommand"/>) through an
/// <see cref="IProcessRunner"/>, and returns its exit status and output as a <see cref="ModeSwitchReport"/>.
/// It is given <see cref="Timeout"/> to finish (it has no success check to wait out: no <c>-s</c>) and is killed after.
/// </summary>
public sealed class UsbModeSwitchRunner(IProcessRunner runner, string program = UsbModeSwitchCommand.DefaultProgram) : IUsbModeSwitcher
{
    /// <summary>How long usb_modeswitch may take; with <c>WaitBefore</c> handled by the gateway it is seconds at most.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public async Task<ModeSwitchReport> SwitchAsync(UsbDevice device, ModeSwitchEntry entry, CancellationToken cancellationToken)
    {
        var spec = UsbModeSwitchCommand.Build(program, device, entry);
        IRunningProcess process;
        try
        {
            process = await runner.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStartException e)
        {
            return new ModeSwitchReport(-1, [$"fail: cannot start usb_modeswitch: {e.Message}"]);
        }

        await using (process.ConfigureAwait(false))
        {
            var lines = new List<string>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await foreach (var line in process.Output.WithCancellation(timeout.Token).ConfigureAwait(false))
                {
                    lines.Add(line);
                }

                var code = await process.Exited.WaitAsync(timeout.Token).ConfigureAwait(false);
                return new ModeSwitchReport(code, lines);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                lines.Add($"fail: usb_modeswitch did not finish within {Timeout.TotalSeconds:0} s and was killed");
                return new ModeSwitchReport(-1, lines);
            }
        }
    }
}
