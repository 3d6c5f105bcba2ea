namespace ActorGateway.Core.Io;

/// <summary>
/// A file written with mode 0600 before a program starts and deleted after it ends (credentials), or 0700 when
/// <paramref name="Executable"/> (a hook script the program runs, such as udhcpc's).
/// </summary>
public sealed record PrivateFile(string Path, string Content, bool Executable = false);

/// <summary>A program to start: path and argument list (never a shell string), and its private files.</summary>
public sealed record ProcessSpec(string Program, IReadOnlyList<string> Arguments, IReadOnlyList<PrivateFile>? PrivateFiles = null)
{
    public override string ToString() => $"{Program} {string.Join(' ', Arguments)}";
}

/// <summary>A running child program the gateway owns.</summary>
public interface IRunningProcess : IAsyncDisposable
{
    /// <summary>Its process id.</summary>
    int Id { get; }

    /// <summary>Completes with the exit status when it ends.</summary>
    Task<int> Exited { get; }

    /// <summary>Its standard output and error, a line at a time, ending when it exits.</summary>
    IAsyncEnumerable<string> Output { get; }

    /// <summary>True when the program has <paramref name="path"/> open (read from /proc/&lt;pid&gt;/fd).</summary>
    bool HasOpen(string path);

    /// <summary>Asks it to stop (SIGTERM); pppd then closes LCP and hangs up.</summary>
    void Terminate();

    /// <summary>Stops it at once (SIGKILL).</summary>
    void Kill();
}

/// <summary>Starts programs. Throws <see cref="ProcessStartException"/> naming the program when it cannot.</summary>
public interface IProcessRunner
{
    /// <summary>Writes the private files, then starts the program.</summary>
    Task<IRunningProcess> StartAsync(ProcessSpec spec, CancellationToken cancellationToken);
}

/// <summary>A program could not be started; the message says which and why.</summary>
public sealed class ProcessStartException(string program, string message, Exception? inner = null)
    : Exception($"{program}: {message}", inner)
{
    /// <summary>The program's path.</summary>
    public string Program { get; } = program;
}
