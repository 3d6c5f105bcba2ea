using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Channels;
using ActorGateway.Core.Io;
using ActorGateway.Linux.Native;

namespace ActorGateway.Linux.Processes;

/// <summary>Starts programs with an argument list (never through a shell), writing their 0600 private files first.</summary>
public sealed class LinuxProcessRunner : IProcessRunner
{
    /// <inheritdoc />
    public async Task<IRunningProcess> StartAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var files = spec.PrivateFiles ?? [];
        foreach (var file in files)
        {
            await WritePrivateAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var info = ProcessStarts.Redirected(spec.Program, spec.Arguments);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new ProcessStartException(spec.Program, "did not start");
        }
        catch (Win32Exception e)
        {
            DeleteAll(files);
            throw new ProcessStartException(spec.Program, File.Exists(spec.Program) ? e.Message : "not installed (no such file)", e);
        }

        process.StandardInput.Close();
        return new RunningProcess(process, files);
    }

    private static async Task WritePrivateAsync(PrivateFile file, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(file.Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Created 0600 (0700 for a hook script) from the first byte: never readable by others, not even for a moment.
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | (file.Executable ? UnixFileMode.UserExecute : UnixFileMode.None);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        };
        await using var stream = new FileStream(file.Path, options);
        File.SetUnixFileMode(file.Path, mode);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(file.Content.AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    internal static void DeleteAll(IEnumerable<PrivateFile> files)
    {
        foreach (var file in files)
        {
            try
            {
                File.Delete(file.Path);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class RunningProcess : IRunningProcess
    {
        private readonly Process _process;
        private readonly IReadOnlyList<PrivateFile> _files;
        private readonly Channel<string> _output = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        private int _openStreams = 2;

        public RunningProcess(Process process, IReadOnlyList<PrivateFile> files)
        {
            _process = process;
            _files = files;
            Id = process.Id;
            _ = Pump(process.StandardOutput);
            _ = Pump(process.StandardError);
            Exited = WaitAsync();
        }

        public int Id { get; }

        public Task<int> Exited { get; }

        public IAsyncEnumerable<string> Output => _output.Reader.ReadAllAsync();

        public bool HasOpen(string path) => ProcFs.DescriptorsOn(Id.ToString(System.Globalization.CultureInfo.InvariantCulture), path).Count > 0;

        public void Terminate()
        {
            if (!_process.HasExited)
            {
                _ = Libc.kill(Id, Libc.SIGTERM);
            }
        }

        public void Kill()
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            await Exited.ConfigureAwait(false);
            _process.Dispose();
            DeleteAll(_files);
        }

        private async Task<int> WaitAsync()
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            DeleteAll(_files);
            return _process.ExitCode;
        }

        private async Task Pump(StreamReader reader)
        {
            try
            {
                while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    if (line.Length > 0)
                    {
                        _output.Writer.TryWrite(line);
                    }
                }
            }
            catch (IOException)
            {
            }
            finally
            {
                if (Interlocked.Decrement(ref _openStreams) == 0)
                {
                    _output.Writer.TryComplete();
                }
            }
        }
    }
}
