using System.ComponentModel;
using System.Diagnostics;
using ActorGateway.Core.Io;

namespace ActorGateway.Linux.Processes;

/// <summary>Runs short commands (ip, nft) to completion with an argument list, never through a shell; standard input for <c>nft -f -</c>.</summary>
public sealed class LinuxCommandRunner : ICommandRunner
{
    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var info = ProcessStarts.Redirected(spec.Program, spec.Arguments);

        using var process = new Process { StartInfo = info };
        try
        {
            if (!process.Start())
            {
                throw new ProcessStartException(spec.Program, "did not start");
            }
        }
        catch (Win32Exception e)
        {
            throw new ProcessStartException(spec.Program, File.Exists(spec.Program) ? e.Message : "not installed (no such file)", e);
        }

        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (spec.StandardInput is { } input)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            throw;
        }
        catch (IOException) when (process.HasExited)
        {
            // It exited before reading all its input (a syntax error on the first line): its status says why.
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return new CommandResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
