namespace ActorGateway.Linux.Native;

/// <summary>Reads open file descriptors from /proc (proc(5): /proc/[pid]/fd/ holds one symlink per descriptor).</summary>
public static class ProcFs
{
    /// <summary>The path with every symlink resolved, e.g. /tmp/ag-sim/huawei-0 → /dev/pts/3.</summary>
    public static string RealPath(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.LinkTarget is null ? Path.GetFullPath(path) : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    /// <summary>The descriptors of process <paramref name="pid"/> ("self" for this one) open on <paramref name="path"/>.</summary>
    public static IReadOnlyList<int> DescriptorsOn(string pid, string path)
    {
        var target = RealPath(path);
        var found = new List<int>();
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                try
                {
                    if (new FileInfo(entry).LinkTarget == target && int.TryParse(Path.GetFileName(entry), out var fd))
                    {
                        found.Add(fd);
                    }
                }
                catch (IOException)
                {
                    // The descriptor closed while we looked.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone, or not ours to look at.
        }

        return found;
    }
}
