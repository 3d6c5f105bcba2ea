using System.Globalization;

namespace ActorGateway.Core.Usb;

/// <summary>
/// UUCP lock files for ttys, in the HDB format that pppd, minicom and lockdev use (FHS 3.0 §5.9 "/var/lock"): the file
/// <c>LCK..ttyUSB0</c> in the lock directory holds the owner's PID as ten ASCII characters, right-aligned, and a newline.
/// A lock whose process no longer exists is stale and may be removed.
/// </summary>
public static class UucpLock
{
    /// <summary>Where Debian keeps them (<c>/var/lock</c> is a link to it).</summary>
    public const string DefaultDirectory = "/run/lock";

    /// <summary>
    /// The lock file's name for a tty: <c>LCK..</c> and the device's base name (<c>/dev/ttyUSB0</c> → <c>LCK..ttyUSB0</c>),
    /// as pppd's lock() forms it. Call with the resolved path so that two names of one tty share a lock.
    /// </summary>
    public static string FileName(string ttyPath) => "LCK.." + Path.GetFileName(ttyPath.TrimEnd('/'));

    /// <summary>The file's content for <paramref name="pid"/>: <c>"      1234\n"</c>.</summary>
    public static string Content(int pid) => pid.ToString(CultureInfo.InvariantCulture).PadLeft(10) + "\n";

    /// <summary>How long a lock file may hold no PID (created, not yet written) before it counts as stale.</summary>
    public static readonly TimeSpan WriteGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether a lock file that holds no PID (empty, garbage, <c>0</c>), last written at <paramref name="written"/>, is
    /// stale at <paramref name="now"/>. pppd's lock() takes such a file as stale at once; it gets <see cref="WriteGrace"/>
    /// here, since its taker may be between creating and writing it.
    /// </summary>
    public static bool IsStaleWithoutPid(DateTimeOffset written, DateTimeOffset now) => now - written >= WriteGrace;

    /// <summary>
    /// The PID in a lock file's content. HDB writes ASCII; old UUCP wrote a binary int, which is read too (4 bytes, host
    /// order). Null when it holds neither.
    /// </summary>
    public static int? ParsePid(ReadOnlySpan<byte> content)
    {
        var text = System.Text.Encoding.ASCII.GetString(content).Trim();
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && pid > 0)
        {
            return pid;
        }

        if (content.Length == 4)
        {
            var binary = BitConverter.ToInt32(content);
            return binary > 0 ? binary : null;
        }

        return null;
    }
}
