using System.Collections;
using System.Net;
using System.Reflection;

namespace ActorGateway.Actors.Settings;

/// <summary>What a configuration reload changes in a list of entries with ids (static devices, static uplinks).</summary>
public sealed record SettingsDiff<T>(IReadOnlyList<T> Added, IReadOnlyList<T> Removed, IReadOnlyList<T> Changed, IReadOnlyList<T> Unchanged)
{
    /// <summary>Nothing added, removed or changed.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;
}

/// <summary>
/// Compares settings by value, all the way down: records here hold lists (init strings, DNS servers, probe targets),
/// which a record's own equality compares by reference, so two reads of the same file would never be equal.
/// </summary>
public static class SettingsComparison
{
    /// <summary>
    /// Entries of <paramref name="before"/> and <paramref name="after"/> matched by <paramref name="id"/>: added, removed,
    /// changed (in the new version) and unchanged (in the old one, which keeps running).
    /// </summary>
    public static SettingsDiff<T> Diff<T>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> id)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(id);
        var old = before.ToDictionary(id, StringComparer.Ordinal);
        var now = after.ToDictionary(id, StringComparer.Ordinal);
        return new SettingsDiff<T>(
            [.. after.Where(a => !old.ContainsKey(id(a)))],
            [.. before.Where(b => !now.ContainsKey(id(b)))],
            [.. after.Where(a => old.TryGetValue(id(a), out var b) && !Same(a, b))],
            [.. before.Where(b => now.TryGetValue(id(b), out var a) && Same(a, b))]);
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> hold the same values, lists and dictionaries compared item by item.</summary>
    public static bool Same(object? a, object? b) => Same(a, b, 0);

    /// <summary>
    /// The keys, of <c>(key, before, after)</c> triples, whose values differ (<see cref="Same(object?, object?)"/>): the
    /// settings a reload cannot apply to running parts and names for a restart.
    /// </summary>
    public static List<string> ChangedKeys(params (string Key, object? Before, object? After)[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return [.. settings.Where(s => !Same(s.Before, s.After)).Select(s => s.Key)];
    }

    private static bool Same(object? a, object? b, int depth)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null || a.GetType() != b.GetType() || depth > 32)
        {
            return false;
        }

        var type = a.GetType();
        if (type.IsPrimitive || type.IsEnum || a is string or decimal or DateTime or DateTimeOffset or TimeSpan or IPAddress or IPEndPoint or Uri or Guid)
        {
            return a.Equals(b);
        }

        if (a is IDictionary da && b is IDictionary db)
        {
            return da.Count == db.Count && da.Keys.Cast<object>().All(k => db.Contains(k) && Same(da[k], db[k], depth + 1));
        }

        if (a is IEnumerable ea && b is IEnumerable eb)
        {
            var left = ea.Cast<object?>().ToList();
            var right = eb.Cast<object?>().ToList();
            return left.Count == right.Count && left.Zip(right).All(p => Same(p.First, p.Second, depth + 1));
        }

        if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple", StringComparison.Ordinal) == true)
        {
            return type.GetFields().All(f => Same(f.GetValue(a), f.GetValue(b), depth + 1));
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            if (!Same(property.GetValue(a), property.GetValue(b), depth + 1))
            {
                return false;
            }
        }

        return true;
    }
}
