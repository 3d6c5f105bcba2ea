using System.Collections.Immutable;

namespace ActorGateway.Core.Network;

/// <summary>
/// One uplink as the failover decision sees it.
/// </summary>
/// <param name="Id">The uplink's id.</param>
/// <param name="Priority">Lower wins.</param>
/// <param name="Order">When it was added: breaks ties between equal priorities (first come first).</param>
/// <param name="Ready">It has its address and routes: it could carry traffic now.</param>
/// <param name="Health">What its probes say.</param>
/// <param name="HealthySince">Since when it has been ready and healthy; null when it is not.</param>
/// <param name="Recovering">
/// It has failed since it last carried traffic: before it takes the traffic back from a working uplink, it must
/// stay healthy for the hold time. A newly added uplink that never failed needs no hold time; one added again
/// soon after it was removed (a PPP redial, a phone that re-enumerates) counts as recovering.
/// </param>
/// <param name="Detail">The last thing that happened to it, in words.</param>
public sealed record FailoverCandidate(
    string Id,
    int Priority,
    int Order,
    bool Ready,
    UplinkHealth Health,
    DateTimeOffset? HealthySince,
    bool Recovering,
    string Detail)
{
    /// <summary>Ready and confirmed healthy by its probes.</summary>
    public bool Usable => Ready && Health == UplinkHealth.Up;
}

/// <summary>Which uplink carries the LAN's traffic and the default route, why, and since when.</summary>
public sealed record FailoverState(
    ImmutableDictionary<string, FailoverCandidate> Candidates,
    string? Active,
    DateTimeOffset? ActiveSince,
    string Reason,
    DateTimeOffset? FailbackAt,
    int NextOrder)
{
    /// <summary>No uplinks yet.</summary>
    public static readonly FailoverState Initial = new(
        ImmutableDictionary<string, FailoverCandidate>.Empty.WithComparers(StringComparer.Ordinal),
        null, null, "no uplink yet", null, 0);

    /// <summary>When each uplink that left the list left it, for as long as <see cref="FailoverPolicy.Remember"/> says.</summary>
    public ImmutableDictionary<string, DateTimeOffset> Removed { get; init; } =
        ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);
}

/// <summary>The failover policy: how long a recovered, preferred uplink must stay healthy before it takes the traffic back.</summary>
/// <param name="HoldTime">How long a recovering uplink must stay healthy before it takes the traffic back.</param>
/// <param name="Remember">
/// How long a removed uplink is remembered: added again within it, it counts as recovering. Null: ten hold
/// times, at least ten minutes (a PPP redial or a phone re-enumerating takes seconds to a minute or two).
/// </param>
public sealed record FailoverPolicy(TimeSpan HoldTime, TimeSpan? Remember = null)
{
    /// <summary>How long a removed uplink is remembered.</summary>
    public TimeSpan RememberRemoved => Remember ?? TimeSpan.FromTicks(Math.Max(HoldTime.Ticks * 10, TimeSpan.FromMinutes(10).Ticks));
}

/// <summary>What happened to the uplinks; the input of <see cref="Failover.Apply"/>.</summary>
public abstract record FailoverEvent
{
    private FailoverEvent()
    {
    }

    /// <summary>An uplink joined the list (declared, or found: a PPP call, a tethering interface).</summary>
    public sealed record UplinkAdded(string Id, int Priority) : FailoverEvent;

    /// <summary>An uplink left the list (its device went away, its PPP call ended).</summary>
    public sealed record UplinkRemoved(string Id, string Reason) : FailoverEvent;

    /// <summary>The uplink has its address and routes.</summary>
    public sealed record UplinkReady(string Id) : FailoverEvent;

    /// <summary>A hard signal: carrier lost, interface down or gone, DHCP lease lost, pppd exited.</summary>
    public sealed record UplinkNotReady(string Id, string Reason) : FailoverEvent;

    /// <summary>The uplink's probes changed its health.</summary>
    public sealed record HealthChanged(string Id, UplinkHealth Health, string Reason) : FailoverEvent;

    /// <summary>The failback hold time of a recovered uplink has run out.</summary>
    public sealed record FailbackDue : FailoverEvent
    {
        public static readonly FailbackDue Instance = new();
    }
}

/// <summary>What the uplink manager must do; the output of <see cref="Failover.Apply"/>.</summary>
public abstract record FailoverAction
{
    private FailoverAction()
    {
    }

    /// <summary>
    /// Move the default route and the LAN's traffic from <paramref name="From"/> (null: none) to
    /// <paramref name="To"/> (null: no uplink is left).
    /// </summary>
    public sealed record Switch(string? From, string? To, string Reason) : FailoverAction;

    /// <summary>Send <see cref="FailoverEvent.FailbackDue"/> after <paramref name="After"/> (replacing any earlier schedule).</summary>
    public sealed record ScheduleFailback(TimeSpan After) : FailoverAction;

    /// <summary>The scheduled failback no longer applies.</summary>
    public sealed record CancelFailback : FailoverAction
    {
        public static readonly CancelFailback Instance = new();
    }
}

/// <summary>
/// The failover decision, pure: <c>(state, event, now) → (state, actions)</c>, like the AT chat core. The best
/// usable uplink (lowest priority number, then first added) carries the traffic. An uplink that can no longer
/// carry it (a hard signal, or probes that go unanswered) is left at once. A better uplink that comes back
/// takes the traffic only after it has been healthy for the hold time, so that a flapping link does not drag
/// the LAN with it (mwan3 has no hold time and fails back on its first good round; its users ask for one).
/// </summary>
public static class Failover
{
    /// <summary>Applies <paramref name="e"/> at <paramref name="now"/>.</summary>
    public static (FailoverState State, IReadOnlyList<FailoverAction> Actions) Apply(
        FailoverState state, FailoverEvent e, DateTimeOffset now, FailoverPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(policy);
        var candidates = state.Candidates;
        string? happened;
        switch (e)
        {
            case FailoverEvent.UplinkAdded added:
                if (candidates.TryGetValue(added.Id, out var existing))
                {
                    candidates = candidates.SetItem(added.Id, existing with { Priority = added.Priority });
                    happened = null;
                }
                else
                {
                    // Removed and added again soon (pppd redials, a phone re-enumerates): it failed, it is recovering.
                    var again = state.Removed.TryGetValue(added.Id, out var left) && now - left < policy.RememberRemoved;
                    candidates = candidates.Add(added.Id, new FailoverCandidate(
                        added.Id, added.Priority, state.NextOrder, false, UplinkHealth.Unknown, null, again, again ? "added again" : "added"));
                    state = state with { NextOrder = state.NextOrder + 1, Removed = state.Removed.Remove(added.Id) };
                    happened = null;
                }

                break;
            case FailoverEvent.UplinkRemoved removed:
                if (!candidates.ContainsKey(removed.Id))
                {
                    return (state, []);
                }

                candidates = candidates.Remove(removed.Id);
                var remember = policy.RememberRemoved;
                state = state with
                {
                    Removed = state.Removed
                        .RemoveRange(state.Removed.Where(r => now - r.Value >= remember).Select(r => r.Key))
                        .SetItem(removed.Id, now),
                };
                happened = $"{removed.Id} is gone: {removed.Reason}";
                break;
            case FailoverEvent.UplinkReady ready:
                if (!candidates.TryGetValue(ready.Id, out var r))
                {
                    return (state, []);
                }

                candidates = candidates.SetItem(ready.Id, r with
                {
                    Ready = true,
                    HealthySince = r.Health == UplinkHealth.Up ? r.HealthySince ?? now : null,
                    Detail = "connected",
                });
                happened = $"{ready.Id} is connected";
                break;
            case FailoverEvent.UplinkNotReady notReady:
                if (!candidates.TryGetValue(notReady.Id, out var n))
                {
                    return (state, []);
                }

                // The link itself changed: what the probes said of it no longer holds.
                candidates = candidates.SetItem(notReady.Id, n with
                {
                    Ready = false,
                    Health = UplinkHealth.Unknown,
                    HealthySince = null,
                    Recovering = true,
                    Detail = notReady.Reason,
                });
                happened = $"{notReady.Id} is down: {notReady.Reason}";
                break;
            case FailoverEvent.HealthChanged health:
                if (!candidates.TryGetValue(health.Id, out var h))
                {
                    return (state, []);
                }

                candidates = candidates.SetItem(health.Id, h with
                {
                    Health = health.Health,
                    HealthySince = health.Health == UplinkHealth.Up && h.Ready ? h.HealthySince ?? now : null,
                    Recovering = h.Recovering || health.Health == UplinkHealth.Down,
                    Detail = health.Reason,
                });
                happened = health.Health switch
                {
                    UplinkHealth.Up => $"{health.Id} is healthy: {health.Reason}",
                    UplinkHealth.Down => $"{health.Id} is unhealthy: {health.Reason}",
                    _ => $"{health.Id}: {health.Reason}",
                };
                break;
            case FailoverEvent.FailbackDue:
                happened = null;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e, "unknown failover event");
        }

        return Decide(state with { Candidates = candidates }, e, happened, now, policy);
    }

    /// <summary>The default route's metric for an uplink: the active one below every standby one, standbys in priority order.</summary>
    /// <param name="metrics">The two bases.</param>
    /// <param name="active">Whether the uplink carries the traffic.</param>
    /// <param name="priority">Its priority (0 to 99).</param>
    /// <param name="index">Its slot (0 to 99), unique among live uplinks: IPv4 routes to the same prefix with the same
    /// metric collide (ip-route(8): <c>replace</c> would take another uplink's route), so no two uplinks share a metric.</param>
    public static int Metric(RouteMetrics metrics, bool active, int priority, int index)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return active ? metrics.Active + index : metrics.Standby + (priority * 100) + index;
    }

    private static (FailoverState, IReadOnlyList<FailoverAction>) Decide(
        FailoverState state, FailoverEvent e, string? happened, DateTimeOffset now, FailoverPolicy policy)
    {
        var all = state.Candidates.Values.OrderBy(c => c.Priority).ThenBy(c => c.Order).ToList();
        var active = state.Active is { } id && state.Candidates.TryGetValue(id, out var a) ? a : null;
        var bestUp = all.FirstOrDefault(c => c.Usable);
        var actions = new List<FailoverAction>();
        string? target;
        string reason;
        DateTimeOffset? failbackAt = null;

        if (active is null || !active.Ready || active.Health == UplinkHealth.Down)
        {
            // The traffic has nowhere good to go: move it now, no hold time.
            var bestUnknown = all.FirstOrDefault(c => c.Ready && c.Health == UplinkHealth.Unknown);
            var candidate = bestUp ?? bestUnknown;
            var lead = happened ?? (active is null && state.Active is { } gone ? $"{gone} is gone" : null);
            if (candidate is not null)
            {
                target = candidate.Id;
                reason = Join(lead, candidate.Health == UplinkHealth.Up
                    ? $"{candidate.Id} carries the traffic"
                    : $"{candidate.Id} carries the traffic (connected, not yet confirmed by probes)");
            }
            else if (active is { Ready: true })
            {
                target = active.Id;
                reason = Join(lead, $"no other uplink is healthy, so {active.Id} keeps the traffic");
            }
            else if (all.FirstOrDefault(c => c.Ready) is { } connected)
            {
                target = connected.Id;
                reason = Join(lead, $"no uplink is healthy; {connected.Id} is the best connected one");
            }
            else
            {
                target = null;
                reason = Join(lead, "no uplink is left");
            }
        }
        else
        {
            target = active.Id;
            reason = e is FailoverEvent.HealthChanged { Health: UplinkHealth.Up } confirmed && confirmed.Id == active.Id
                ? Join(happened, $"{active.Id} carries the traffic")
                : state.Reason;
            if (bestUp is not null && bestUp.Id != active.Id && Better(bestUp, active))
            {
                if (!bestUp.Recovering)
                {
                    target = bestUp.Id;
                    reason = $"{bestUp.Id} is healthy and preferred (priority {bestUp.Priority} before {active.Priority})";
                }
                else if (bestUp.HealthySince is { } since && now >= since + policy.HoldTime)
                {
                    target = bestUp.Id;
                    reason = $"{bestUp.Id} has been healthy for {Words(policy.HoldTime)}: back to the preferred uplink";
                }
                else
                {
                    failbackAt = (bestUp.HealthySince ?? now) + policy.HoldTime;
                }
            }
        }

        if (failbackAt is { } at && at != state.FailbackAt)
        {
            actions.Add(new FailoverAction.ScheduleFailback(at - now));
        }
        else if (failbackAt is null && state.FailbackAt is { } was && was > now)
        {
            actions.Add(FailoverAction.CancelFailback.Instance); // still pending; one that is due has fired already
        }

        var candidates = state.Candidates;
        if (target != state.Active)
        {
            actions.Insert(0, new FailoverAction.Switch(state.Active, target, reason));
            if (target is not null)
            {
                candidates = candidates.SetItem(target, candidates[target] with { Recovering = false });
            }

            return (state with
            {
                Candidates = candidates,
                Active = target,
                ActiveSince = target is null ? null : now,
                Reason = reason,
                FailbackAt = failbackAt,
            }, actions);
        }

        return (state with { Reason = reason, FailbackAt = failbackAt }, actions);
    }

    // Only a strictly better priority takes the traffic from a working uplink: between equals, staying put is free.
    private static bool Better(FailoverCandidate x, FailoverCandidate y) => x.Priority < y.Priority;

    private static string Join(string? lead, string rest) => lead is null ? rest : $"{lead}; {rest}";

    private static string Words(TimeSpan t) => t.TotalMinutes >= 1 && t.Seconds == 0
        ? $"{t.TotalMinutes:0.#} min"
        : $"{t.TotalSeconds:0.#} s";
}

/// <summary>
/// Route metrics (ip-route(8) <c>metric</c>): every uplink keeps its default route, and the active one has the
/// lowest metric. <paramref name="Active"/> + slot for the active uplink; <paramref name="Standby"/> +
/// priority × 100 + slot for the others, so that the kernel's own fallback follows the priorities too.
/// </summary>
public sealed record RouteMetrics(int Active, int Standby);
