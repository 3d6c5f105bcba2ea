using System.Text.RegularExpressions;

namespace ActorGateway.Core.Network;

/// <summary>
/// Network interface names the gateway accepts: what the kernel accepts (at most IFNAMSIZ-1 = 15 bytes, no
/// '/', ':' or blanks; net/core/dev.c dev_valid_name) narrowed to letters, digits, '-', '_' and '.', so that
/// a name can go into an nft string or an argument list without quoting questions.
/// </summary>
public static partial class InterfaceName
{
    /// <summary>The kernel's limit: IFNAMSIZ (16) including the terminating NUL.</summary>
    public const int MaxLength = 15;

    /// <summary>True when <paramref name="name"/> is an interface name the gateway will use.</summary>
    public static bool IsValid(string? name) => name is not null and not "." and not ".." && Pattern().IsMatch(name);

    /// <summary>Returns <paramref name="name"/>, or throws <see cref="ArgumentException"/> saying what is wrong with it.</summary>
    public static string Require(string name, string paramName = "name") => IsValid(name)
        ? name
        : throw new ArgumentException(
            $"\"{name}\" is not an interface name (1 to {MaxLength} letters, digits, '-', '_' or '.')", paramName);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,15}$")]
    private static partial Regex Pattern();
}
