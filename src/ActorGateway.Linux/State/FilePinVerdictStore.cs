using System.Text.Json;
using System.Text.Json.Serialization;
using ActorGateway.Core.Modem;

namespace ActorGateway.Linux.State;

/// <summary>
/// PIN verdicts in one JSON file (mode 0600) under the state directory, replaced atomically and
/// flushed to disk before a save returns: the verdict must survive the very brown-out that follows.
/// </summary>
public sealed class FilePinVerdictStore : IPinVerdictStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public FilePinVerdictStore(string stateDirectory)
    {
        _path = Path.Combine(stateDirectory, "pin-verdicts.json");
    }

    /// <summary>The file's path.</summary>
    public string FilePath => _path;

    /// <inheritdoc />
    public async Task<PinVerdict?> FindAsync(string simKey, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var all = await LoadAsync(cancellationToken).ConfigureAwait(false);
            return all.TryGetValue(simKey, out var verdict) ? verdict : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(string simKey, PinVerdict verdict, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var all = await LoadAsync(cancellationToken).ConfigureAwait(false);
            all[simKey] = verdict;
            var directory = Path.GetDirectoryName(_path)!;
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var temporary = _path + ".new";
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            await using (var stream = new FileStream(temporary, options))
            {
                await JsonSerializer.SerializeAsync(stream, all, Json, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
            SyncDirectory(directory);
        }
        finally
        {
            _gate.Release();
        }
    }

    // The rename is only durable once the directory entry is on disk (ext4 commits it within ~5 s
    // otherwise): a power cut right after a Pending save must not lose it, or the PIN goes out again.
    private static void SyncDirectory(string directory)
    {
        // .NET will not open a directory, so libc does (open(2) with O_DIRECTORY, then fsync(2)).
        var fd = Native.Libc.open(directory, Native.Libc.O_RDONLY | Native.Libc.O_DIRECTORY | Native.Libc.O_CLOEXEC);
        if (fd >= 0)
        {
            _ = Native.Libc.fsync(fd);
            _ = Native.Libc.close(fd);
        }
    }

    private async Task<Dictionary<string, PinVerdict>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        try
        {
            await using var stream = File.OpenRead(_path);
            return await JsonSerializer.DeserializeAsync<Dictionary<string, PinVerdict>>(stream, Json, cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (JsonException e)
        {
            // A damaged file must not turn into "no verdicts": that would let a rejected PIN be sent again.
            throw new InvalidDataException($"{_path} is damaged ({e.Message}); fix or remove it to let the gateway send PINs again", e);
        }
    }
}
