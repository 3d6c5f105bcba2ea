using System.Security.Cryptography;
using System.Text;

namespace ActorGateway.Core.Modem;

/// <summary>Where a PIN attempt stands for one SIM and one configured PIN.</summary>
public enum PinAttemptState
{
    /// <summary>Written just before the PIN is sent: if the gateway dies now, the outcome is unknown.</summary>
    Pending,

    /// <summary>The SIM accepted this PIN.</summary>
    Accepted,

    /// <summary>The SIM rejected this PIN: it is never sent again.</summary>
    Rejected,
}

/// <summary>
/// What is remembered of a PIN attempt, keyed by SIM: a salted hash of the PIN (never the PIN), the
/// state, the tries the SIM had left before and after, and the key of the SIM's ICCID when it was known
/// (null when the attempt happened while the ICCID could not be read).
/// </summary>
public sealed record PinVerdict(
    string PinHash,
    PinAttemptState State,
    int? TriesBefore,
    int? TriesAfter,
    DateTimeOffset At,
    string? IccidKey = null);

/// <summary>
/// The keys one SIM's verdict is kept under, and which kept verdicts apply to it. The ICCID names the SIM,
/// but reading it can fail (a SIM busy just after a brown-out): a verdict is therefore also kept under the
/// modem's IMEI and the device id, and one found there applies when it was written without an ICCID or
/// with this one — never when it belongs to another SIM that was in the same modem.
/// </summary>
public sealed record SimVerdictKeys(string? IccidKey, IReadOnlyList<string> OtherKeys)
{
    /// <summary>The keys for a SIM with this ICCID (if read) in a modem with this IMEI (if read).</summary>
    public static SimVerdictKeys For(string? iccid, string? imei, string deviceId)
    {
        var others = new List<string>();
        if (imei is { Length: > 0 })
        {
            others.Add(PinHash.SimKey(null, imei, deviceId));
        }

        others.Add(PinHash.SimKey(null, null, deviceId));
        return new SimVerdictKeys(iccid is { Length: > 0 } ? PinHash.SimKey(iccid, null, deviceId) : null, others);
    }

    /// <summary>Every key, the ICCID's first.</summary>
    public IReadOnlyList<string> All => IccidKey is null ? OtherKeys : [IccidKey, .. OtherKeys];

    /// <summary>The verdict as it is written under every key: stamped with the ICCID's key.</summary>
    public PinVerdict Stamp(PinVerdict verdict) => verdict with { IccidKey = IccidKey };

    /// <summary>
    /// Of the verdicts found (by key), those that concern this SIM, and of them the strictest for
    /// <paramref name="pin"/>: a rejection beats a pending attempt beats an acceptance. Null when none applies.
    /// </summary>
    public PinVerdict? Applicable(IReadOnlyDictionary<string, PinVerdict> found, string pin)
    {
        var candidates = new List<PinVerdict>();
        if (IccidKey is not null && found.TryGetValue(IccidKey, out var byIccid))
        {
            candidates.Add(byIccid);
        }

        foreach (var key in OtherKeys)
        {
            if (found.TryGetValue(key, out var verdict) && (verdict.IccidKey is null || verdict.IccidKey == IccidKey))
            {
                candidates.Add(verdict);
            }
        }

        var matching = candidates.Where(v => PinHash.Matches(v.PinHash, pin)).ToList();
        return matching.OrderBy(v => v.State switch
            {
                PinAttemptState.Rejected => 0,
                PinAttemptState.Pending => 1,
                _ => 2,
            }).FirstOrDefault()
            ?? candidates.FirstOrDefault();
    }
}

/// <summary>Keeps PIN verdicts across restarts and reboots (a brown-out must not burn a try per boot).</summary>
public interface IPinVerdictStore
{
    /// <summary>The verdict for a SIM, if any.</summary>
    Task<PinVerdict?> FindAsync(string simKey, CancellationToken cancellationToken);

    /// <summary>Stores the verdict durably before returning.</summary>
    Task SaveAsync(string simKey, PinVerdict verdict, CancellationToken cancellationToken);
}

/// <summary>Salted, slow hashes of PINs, and the key a SIM is remembered by.</summary>
public static class PinHash
{
    private const int Iterations = 100_000;
    private const int MaxIterations = 10_000_000;
    private const int MinHashBytes = 16;

    /// <summary>A new salted PBKDF2-SHA256 hash: <c>pbkdf2-sha256$iterations$salt$hash</c>.</summary>
    public static string Create(string pin)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="pin"/> is the PIN behind <paramref name="stored"/>.</summary>
    public static bool Matches(string stored, string pin)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations)
            || iterations is <= 0 or > MaxIterations)
        {
            return false; // a damaged store must neither throw nor stall the actor for hours
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            if (expected.Length < MinHashBytes)
            {
                return false; // an empty (truncated) hash would compare equal to any PIN's
            }

            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The key a SIM's verdict is stored under: a hash of its ICCID when the modem gives one, else of the
    /// modem's IMEI (the SIM is then assumed to stay in that modem), else of the device id.
    /// </summary>
    public static string SimKey(string? iccid, string? imei, string deviceId)
    {
        var (kind, value) = iccid is { Length: > 0 } ? ("iccid", iccid) : imei is { Length: > 0 } ? ("imei", imei) : ("device", deviceId);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}:{value}"));
        return $"{kind}-{Convert.ToHexStringLower(digest)[..24]}";
    }
}

/// <summary>What to do about a SIM that asks for its PIN.</summary>
public abstract record PinDecision
{
    private PinDecision()
    {
    }

    /// <summary>Send the configured PIN, once.</summary>
    public sealed record Send : PinDecision
    {
        public static readonly Send Instance = new();
    }

    /// <summary>Do not send anything; the device stops with this reason until the configuration changes.</summary>
    public sealed record Refuse(string Reason, PinVerdict? NewVerdict = null) : PinDecision;
}

/// <summary>
/// The PIN rules, pure: a wrong PIN is never sent twice (three tries lock the SIM), the verdict
/// survives restarts, an attempt whose outcome was lost is judged by the SIM's own try counter, and
/// the last try is not risked unless the configuration says so.
/// </summary>
public static class PinPolicy
{
    /// <summary>Decides whether to send <paramref name="pin"/> to a SIM that asks for it.</summary>
    public static PinDecision Decide(string pin, PinVerdict? verdict, int? triesLeft, bool allowLastTry, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(pin))
        {
            return new PinDecision.Refuse("the SIM asks for its PIN and none is configured (set pin for this device)");
        }

        if (verdict is not null && PinHash.Matches(verdict.PinHash, pin))
        {
            switch (verdict.State)
            {
                case PinAttemptState.Rejected:
                    return new PinDecision.Refuse(
                        $"PIN rejected{TriesText(triesLeft ?? verdict.TriesAfter)}; it will not be sent again until the configured PIN changes");
                case PinAttemptState.Pending when triesLeft is { } now2 && verdict.TriesBefore is { } before && now2 < before:
                    return new PinDecision.Refuse(
                        $"PIN rejected{TriesText(now2)} (the SIM counted the attempt that was in flight when the gateway stopped); it will not be sent again until the configured PIN changes",
                        verdict with { State = PinAttemptState.Rejected, TriesAfter = now2, At = now });
                case PinAttemptState.Pending when triesLeft is null || verdict.TriesBefore is null:
                    return new PinDecision.Refuse(
                        "a PIN attempt was in flight when the gateway stopped and this modem cannot tell how many tries are left, so the gateway will not risk another; unlock the SIM by hand or change the configured PIN");
            }
        }

        if (triesLeft is 0)
        {
            return new PinDecision.Refuse("the SIM has no PIN tries left (it needs its PUK)");
        }

        if (triesLeft is 1 && !allowLastTry)
        {
            return new PinDecision.Refuse(
                "the SIM has only one PIN try left; the gateway will not risk the PUK lock (unlock it by hand, or set allow-last-pin-try = on)");
        }

        return PinDecision.Send.Instance;
    }

    /// <summary>", 2 tries left" or nothing when unknown.</summary>
    public static string TriesText(int? tries) => tries switch
    {
        null => string.Empty,
        1 => ", 1 try left",
        _ => $", {tries} tries left",
    };
}
