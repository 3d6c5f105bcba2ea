using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorGateway.Benchmarks;

/// <summary>
/// A program under test, started with an argument list (no shell) and its output kept for diagnostics.
/// Disposing kills it and everything it started (pppd stand-ins), by its process id.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 2000;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process, DateTimeOffset startedAt)
    {
        _process = process;
        StartedAt = startedAt;
    }

    /// <summary>Wall-clock time taken just before the process was started (the clock the modem stamps with).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Whether the program has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the program wrote to stdout and stderr.</summary>
    public string OutputTail => string.Join('\n', _output);

    public static ChildProcess Start(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var startedAt = TimeProvider.System.GetUtcNow();
        process.Start();
        var child = new ChildProcess(process, startedAt);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or it would not die in time; either way there is nothing left to wait for.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }
}
