using System.Diagnostics;

namespace ActorGateway.Lab;

/// <summary>What one command in the guest printed, and its exit status.</summary>
public sealed record GuestResult(int ExitCode, string Output)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>
/// Runs commands in the guest through the shared folder (guest/stage2's agent): the script goes in as
/// <c>cmd/&lt;n&gt;.sh</c> (renamed into place, so the agent never sees half of it), the answer comes back as
/// <c>res/&lt;n&gt;.out</c> and <c>res/&lt;n&gt;.rc</c>, the status written last. No console is screen-scraped.
/// </summary>
public sealed class GuestAgent(string share)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private int _next;

    /// <summary>Whether the guest finished booting (stage2 touches <c>/lab/ready</c> once udev settled).</summary>
    public bool IsReady => File.Exists(Path.Combine(share, "ready"));

    /// <summary>Runs <paramref name="script"/> with /bin/sh in the guest; throws <see cref="TimeoutException"/> if no answer comes.</summary>
    public async Task<GuestResult> RunAsync(string script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = (++_next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            var commands = Path.Combine(share, "cmd");
            var results = Path.Combine(share, "res");
            var temporary = Path.Combine(commands, $"{id}.tmp");
            await File.WriteAllTextAsync(temporary, script + "\n", cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Path.Combine(commands, $"{id}.sh"));
            var rc = Path.Combine(results, $"{id}.rc");
            var output = Path.Combine(results, $"{id}.out");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(rc))
            {
                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"the guest did not finish `{script}` within {timeout.TotalSeconds:0} s");
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }

            var code = int.Parse((await File.ReadAllTextAsync(rc, cancellationToken).ConfigureAwait(false)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var text = File.Exists(output) ? await File.ReadAllTextAsync(output, cancellationToken).ConfigureAwait(false) : string.Empty;
            File.Delete(rc);
            File.Delete(output);
            return new GuestResult(code, text.TrimEnd());
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
