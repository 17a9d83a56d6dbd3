using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Cap;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// The common-scenario engine: one active warning per (scenario, site), driven by event time. Each observation
/// re-evaluates the scenarios that watch it at its site; the highest level whose conditions hold is the target.
/// A level rises at once; it falls, and the warning resolves, only after the lower target has lasted the scenario's
/// clear time (hysteresis) and the warning has been active its minimum time. A warning whose target changes too
/// often is held at its highest level and marked flapping. A red warning holds back the lower warnings of its site
/// (inhibition). Silenced sites raise nothing; silenced sensors count for nothing. A warning nobody acknowledges
/// in time escalates.
/// </summary>
/// <remarks>Not thread-safe: one instance per lane; all input of a site reaches the same lane in order.</remarks>
public sealed class ScenarioEngine
{
    private readonly ParkRegistry _registry;
    private readonly ScenarioSet _set;
    private readonly SilenceBook _silences;
    private readonly SiteState?[] _sites;
    private readonly AudienceResolver _audiences;
    private readonly CapWriter _cap;
    private readonly List<ScenarioState> _dirty = [];

    public ScenarioEngine(ParkRegistry registry, ScenarioSet scenarios, IReadOnlyList<Silence>? silences = null)
        : this(registry, scenarios, new SilenceBook(silences ?? []))
    {
    }

    public ScenarioEngine(ParkRegistry registry, ScenarioSet scenarios, SilenceBook silences)
    {
        _registry = registry;
        _set = scenarios;
        _silences = silences;
        _sites = new SiteState?[registry.SiteList.Count];
        _audiences = new AudienceResolver(registry);
        _cap = new CapWriter(registry);
    }

    public ScenarioSet Scenarios => _set;

    /// <summary>Evaluates every watching scenario on every reading, resting or not (the reference the tests compare the resting engine with).</summary>
    internal bool NeverRest { get; init; }

    /// <summary>Warnings currently active in this instance.</summary>
    public int Active => _sites.Sum(s => s?.Scenarios.Count(x => x is { Active: true }) ?? 0);

    /// <summary>Events held back by inhibition and never published (a lower warning raised and resolved under a red one).</summary>
    public long Suppressed { get; private set; }

    /// <summary>Feeds one scored reading; appends the warning events it caused.</summary>
    public void Observe(in SensorObservation o, List<PublishedWarning> events)
    {
        var sensor = o.Sensor;
        var site = SiteOf(sensor.Site);
        var slot = site.SlotOf(sensor);
        if (!slot.Seen || o.TsMs >= slot.TsMs)
        {
            var first = !slot.Seen;
            slot.Seen = true;
            slot.TsMs = o.TsMs;
            if (first || o.TsMs - site.OldestComputedMs >= 1_000)
            {
                // At most once a second of event time: between, the stalest sensor only looks staler than it is,
                // which may wake a scenario for nothing, never leave one asleep.
                site.OldestSlotMs = OldestOf(site);
                site.OldestComputedMs = o.TsMs;
            }

            slot.Value = o.Value;
            slot.Alarm = o.Alarm;
            slot.Risk = o.Risk;
            slot.Flat = o.Flat;
            slot.Anomalous = o.Anomalous;
            slot.Model = o.Model;
        }

        site.LatestMs = Math.Max(site.LatestMs, o.TsMs);
        if (o.Offset >= 0)
        {
            site.ReadingsOffset = Math.Max(site.ReadingsOffset, o.Offset);
        }

        // Replaying readings whose effect the restored state already holds: windows only, no lifecycle change.
        if (o.Offset >= 0 && o.Offset <= site.RestoredUpTo)
        {
            return;
        }

        var scenarios = _set.ByKind[(int)sensor.Kind];
        if (!NeverRest && Calm(site, slot, scenarios))
        {
            return;
        }

        foreach (var index in scenarios)
        {
            // A scenario at rest (no warning, no level condition holding) can only wake if this reading satisfies
            // one of its level conditions, or time made a sensor stale: everything else leaves it at rest.
            if (NeverRest || site.Scenarios[index] is { Idle: false } || MayWake(_set.Scenarios[index], slot, site))
            {
                Evaluate(site, index, site.LatestMs);
            }
        }

        Settle(site, events);
    }

    /// <summary>Every scenario of the kind rests and the reading is below all their floors: nothing can change.</summary>
    private bool Calm(SiteState site, SensorSlot slot, int[] scenarios)
    {
        foreach (var index in scenarios)
        {
            if (site.Scenarios[index] is { Idle: false })
            {
                return false;
            }
        }

        var floor = _set.FloorByKind[(int)slot.Sensor.Kind];
        return !floor.Always
            && (double)slot.Alarm < floor.Alarm
            && !(slot.Risk >= floor.Risk)
            && !(SignalOf(slot, Signal.Ratio, 0) >= floor.Ratio)
            && !(slot.Flat && floor.Flat)
            && !(slot.Anomalous && floor.Anomaly)
            && (site.LatestMs - site.OldestSlotMs) / 1000.0 < floor.StaleSeconds;
    }

    private static long OldestOf(SiteState site)
    {
        var oldest = long.MaxValue;
        foreach (var slot in site.Slots)
        {
            if (slot.Seen)
            {
                oldest = Math.Min(oldest, slot.TsMs);
            }
        }

        return oldest;
    }

    private static bool MayWake(ScenarioDefinition def, SensorSlot changed, SiteState site)
    {
        var conditions = def.AllConditions;
        for (var i = 0; i < def.LevelConditionCount; i++)
        {
            var c = conditions[i];
            if (c.Signal == Signal.Stale)
            {
                // The stalest sensor of the site, whatever its kind: may wake a little too often, never too rarely.
                if (c.Satisfies((site.LatestMs - site.OldestSlotMs) / 1000.0))
                {
                    return true;
                }
            }
            else if (c.Signal != Signal.Identification && c.Counts(changed.Sensor.Kind) && c.Satisfies(SignalOf(changed, c.Signal, site.LatestMs)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Feeds one Raman identification; appends the warning events it caused.</summary>
    public void Identify(IdentificationObservation identification, List<PublishedWarning> events)
    {
        var site = SiteOf(identification.Site);
        site.Identifications.Add(identification);
        site.Identifications.RemoveAll(i => i.TsMs < identification.TsMs - (long)TimeSpan.FromDays(7).TotalMilliseconds);
        site.LatestMs = Math.Max(site.LatestMs, identification.TsMs);
        foreach (var index in _set.ForIdentifications)
        {
            Evaluate(site, index, site.LatestMs);
        }

        Settle(site, events);
    }

    /// <summary>
    /// Applies an acknowledgement whose sender is proven by the topic it came on. Refused when the warning is not
    /// active here or the sender is not one of its audiences; a repeat of the same acknowledgement changes nothing.
    /// </summary>
    public AckRefusal Acknowledge(Acknowledgement ack, List<PublishedWarning> events)
    {
        var state = FindActive(ack.WarningId);
        if (state is null)
        {
            return AckRefusal.UnknownWarning;
        }

        if (!state.Audiences.Any(a => a.Audience.Type == ack.Party.Type && a.Audience.Id == ack.Party.Id))
        {
            return AckRefusal.NotAnAudience;
        }

        if (state.Acks.Any(a => a.Party == ack.Party && a.By == ack.By && a.Time == ack.Time))
        {
            return AckRefusal.Duplicate;
        }

        state.Acks.Add(new AckRecord(ack.Party, ack.By, ack.Time, ack.Text) { Actions = ack.Actions });
        state.Floor = 0;
        var who = ack.Party.Type == PartyType.Government ? "gov" : "ent";
        Mark(state, WarningStatus.Acknowledged, $"acknowledged by {who}:{ack.Party.Id} ({ack.By})");
        Settle(state.Site, events);
        return AckRefusal.None;
    }

    /// <summary>State records changed since the last call (for <c>riskstream.warning-state</c>).</summary>
    public void DrainChanged(List<WarningStateRecord> records)
    {
        foreach (var state in _dirty)
        {
            records.Add(RecordOf(state));
            state.Dirty = false;
        }

        _dirty.Clear();
    }

    /// <summary>Records of every active warning of a site (for periodic re-publication).</summary>
    public IEnumerable<WarningStateRecord> ActiveRecords(SiteDef site) =>
        _sites[site.Index]?.Scenarios.Where(s => s is { Active: true }).Select(s => RecordOf(s!)) ?? [];

    /// <summary>Forgets everything about a site (its partition moved to another instance).</summary>
    public void Forget(SiteDef site) => _sites[site.Index] = null;

    /// <summary>Restores a warning's lifecycle from its state record (after a failover or restart).</summary>
    public void Restore(WarningStateRecord record)
    {
        var index = _set.IndexOf(record.Scenario);
        if (index < 0 || !_registry.Sites.TryGetValue(record.Site, out var siteDef))
        {
            return;
        }

        var site = SiteOf(siteDef);
        site.RestoredUpTo = Math.Max(site.RestoredUpTo, record.ReadingsOffset);
        site.ReadingsOffset = Math.Max(site.ReadingsOffset, record.ReadingsOffset);
        site.LatestMs = Math.Max(site.LatestMs, record.TimeMs);
        var state = StateOf(site, index);
        state.Active = record.Active;
        state.Id = record.Id;
        state.Seq = record.Seq;
        state.Level = record.Level;
        state.Floor = record.Floor;
        state.RaisedAtMs = record.RaisedAtMs;
        state.LastEscalationMs = record.LastEscalationMs;
        state.Flapping = record.Flapping;
        state.Published = record.Published;
        state.Acks.Clear();
        state.Acks.AddRange(record.Acks);
        state.AddedJurisdictions.Clear();
        state.AddedJurisdictions.AddRange(record.AddedJurisdictions);
        state.FirstCap = record.FirstCap;
        state.LastCap = record.LastCap;
        state.LowerSinceMs = null;
        state.Pending = null;
        state.Idle = false;
        if (state.Active)
        {
            state.Audiences = _audiences.For(state.Site.Def, state.Definition, state.Level, state.AddedJurisdictions);
        }
    }

    private SiteState SiteOf(SiteDef def) => _sites[def.Index] ??= new SiteState(def, _set.Scenarios.Count);

    private ScenarioState StateOf(SiteState site, int index) =>
        site.Scenarios[index] ??= new ScenarioState(site, _set.Scenarios[index], index);

    private ScenarioState? FindActive(string warningId)
    {
        // Warning ids are "<scenario>:<site>:<raised ms>".
        var first = warningId.IndexOf(':', StringComparison.Ordinal);
        var last = warningId.LastIndexOf(':');
        if (first <= 0 || last <= first || !_registry.Sites.TryGetValue(warningId[(first + 1)..last], out var siteDef))
        {
            return null;
        }

        var index = _set.IndexOf(warningId[..first]);
        return index >= 0 && _sites[siteDef.Index]?.Scenarios[index] is { Active: true } s && s.Id == warningId ? s : null;
    }

    private void Evaluate(SiteState site, int index, long now)
    {
        var def = _set.Scenarios[index];
        var state = StateOf(site, index);
        var conditions = def.AllConditions;
        var resting = true;
        for (var i = 0; i < conditions.Length; i++)
        {
            var tracker = state.Trackers[i];
            state.Held[i] = Track(tracker, conditions[i], Instant(site, conditions[i], now), now);
            if (i < def.LevelConditionCount && (tracker.TrueSinceMs is not null || tracker.Edges.Count > 0))
            {
                resting = false;
            }
        }

        // Evaluated again on every reading while anything is under way; at rest only when woken (see MayWake).
        state.Idle = resting && !state.Active;

        // Highest level with one alternative holding wholly.
        WarningLevel? target = null;
        for (var level = 4; level >= 1 && target is null; level--)
        {
            foreach (var alternative in def.Levels[level])
            {
                if (AllHeld(state, alternative))
                {
                    target = (WarningLevel)level;
                    break;
                }
            }
        }

        var siteSilenced = IsSilenced(site.Def.Id, null, now);
        var targetValue = target is { } t ? (int)t : 0;
        if (targetValue != state.LastTarget)
        {
            state.LastTarget = targetValue;
            state.TargetChanges.Enqueue((now, targetValue));
        }

        while (state.TargetChanges.Count > 0 && state.TargetChanges.Peek().Ms < now - (long)def.FlappingWithin.TotalMilliseconds)
        {
            state.TargetChanges.Dequeue();
        }

        if (!state.Active)
        {
            if (target is { } raise && !siteSilenced)
            {
                state.Active = true;
                state.Id = $"{def.Id}:{site.Def.Id}:{now}";
                state.Seq = 0;
                state.Level = raise;
                state.Floor = 0;
                state.RaisedAtMs = now;
                state.LastEscalationMs = now;
                state.LowerSinceMs = null;
                state.Flapping = false;
                state.Published = false;
                state.Acks.Clear();
                state.AddedJurisdictions.Clear();
                state.FirstCap = state.LastCap = null;
                state.TargetChanges.Clear();
                Mark(state, WarningStatus.Raised, $"{def.Title}: {raise.ToString().ToLowerInvariant()} conditions hold");
                state.Idle = false;
            }

            return;
        }

        var flapping = state.TargetChanges.Count > def.FlappingChanges;
        if (flapping != state.Flapping)
        {
            state.Flapping = flapping;
            if (flapping)
            {
                // Held at the highest level it reached while toggling.
                state.Level = (WarningLevel)Math.Max((int)state.Level, state.TargetChanges.Max(c => c.Target));
                state.LowerSinceMs = null;
            }

            Mark(state, WarningStatus.Updated, flapping
                ? $"flapping: {state.TargetChanges.Count} level changes within {def.FlappingWithin}; held at {state.Level.ToString().ToLowerInvariant()}"
                : "no longer flapping");
        }

        var effective = Math.Max(targetValue, (int)state.Floor);
        if (effective > (int)state.Level)
        {
            state.Level = (WarningLevel)effective;
            state.LowerSinceMs = null;
            Mark(state, WarningStatus.Escalated, $"conditions of {state.Level.ToString().ToLowerInvariant()} hold");
        }
        else if (effective < (int)state.Level && !state.Flapping)
        {
            state.LowerSinceMs ??= now;
            if (now - state.LowerSinceMs.Value >= (long)def.ClearFor.TotalMilliseconds)
            {
                if (effective == 0)
                {
                    if (now - state.RaisedAtMs >= (long)def.MinActive.TotalMilliseconds && ClearHolds(state, def))
                    {
                        state.Active = false;
                        Mark(state, WarningStatus.Resolved, $"clear for {def.ClearFor}");
                    }
                }
                else
                {
                    state.Level = (WarningLevel)effective;
                    state.LowerSinceMs = null;
                    Mark(state, WarningStatus.Deescalated, $"only {state.Level.ToString().ToLowerInvariant()} conditions for {def.ClearFor}");
                }
            }
        }
        else if (effective == (int)state.Level)
        {
            state.LowerSinceMs = null;
        }

        // Nobody acknowledged in time.
        if (state.Active && def.AckWithin > TimeSpan.Zero && state.Acks.Count == 0 && now - state.LastEscalationMs >= (long)def.AckWithin.TotalMilliseconds)
        {
            state.LastEscalationMs = now;
            if (def.Escalation == EscalationAction.RaiseLevel && state.Level < WarningLevel.Red)
            {
                state.Level++;
                state.Floor = state.Level;
                state.LowerSinceMs = null;
                Mark(state, WarningStatus.Escalated, $"no acknowledgement within {def.AckWithin}: level raised to {state.Level.ToString().ToLowerInvariant()}");
            }
            else if (_audiences.NextJurisdictionUp(site.Def, state.Audiences) is { } parent)
            {
                state.AddedJurisdictions.Add(parent.Id);
                Mark(state, WarningStatus.Escalated, $"no acknowledgement within {def.AckWithin}: {parent.Name} ({parent.Id}) added");
            }
        }
    }

    private static bool AllHeld(ScenarioState state, IReadOnlyList<Condition> alternative)
    {
        foreach (var c in alternative)
        {
            if (!state.Held[c.Index])
            {
                return false;
            }
        }

        return true;
    }

    private static bool ClearHolds(ScenarioState state, ScenarioDefinition def) => AllHeld(state, def.ClearWhen);

    private static bool Track(ConditionTracker tracker, Condition c, bool instant, long now)
    {
        if (instant)
        {
            if (tracker.TrueSinceMs is null)
            {
                tracker.TrueSinceMs = now;
                if (c.Repeat > 0)
                {
                    tracker.Edges.Enqueue(now);
                }
            }
        }
        else
        {
            tracker.TrueSinceMs = null;
        }

        if (c.Repeat > 0)
        {
            while (tracker.Edges.Count > 0 && tracker.Edges.Peek() < now - (long)c.RepeatWithin.TotalMilliseconds)
            {
                tracker.Edges.Dequeue();
            }

            // Became true often enough recently, and holds now.
            return instant && tracker.Edges.Count >= c.Repeat;
        }

        return instant && now - tracker.TrueSinceMs!.Value >= (long)c.For.TotalMilliseconds;
    }

    private bool Instant(SiteState site, Condition c, long now)
    {
        if (c.Signal == Signal.Identification)
        {
            var found = 0;
            foreach (var i in site.Identifications)
            {
                if (i.TsMs >= now - (long)c.Within.TotalMilliseconds && i.TsMs <= now
                    && (c.HazardClasses.Count == 0 || i.HazardClasses.Any(c.HazardClasses.Contains))
                    && (c.Purposes.Count == 0 || c.Purposes.Contains(i.Purpose))
                    && c.Satisfies(i.Score))
                {
                    found++;
                }
            }

            return found >= Math.Max(1, c.Sensors);
        }

        int counted = 0, satisfied = 0;
        foreach (var slot in site.Slots)
        {
            if (!slot.Seen || !c.Counts(slot.Sensor.Kind) || (_silences.Current.Count > 0 && IsSilenced(site.Def.Id, slot.Sensor.Id, now)))
            {
                continue;
            }

            counted++;
            if (c.Satisfies(SignalOf(slot, c.Signal, site.LatestMs)))
            {
                satisfied++;
            }
        }

        return c.Sensors == Condition.All ? counted > 0 && satisfied == counted : satisfied >= c.Sensors;
    }

    private static double SignalOf(SensorSlot slot, Signal signal, long siteLatestMs) => signal switch
    {
        Signal.Alarm => (double)slot.Alarm,
        Signal.Risk => slot.Risk,
        Signal.Ratio => slot.Sensor.Setpoints.SecondHigh is { } sp and > 0 ? slot.Value / sp : double.NaN,
        Signal.Stale => (siteLatestMs - slot.TsMs) / 1000.0,
        Signal.Flat => slot.Flat ? 1 : 0,
        Signal.Anomaly => slot.Anomalous ? 1 : 0,
        _ => double.NaN,
    };

    private bool IsSilenced(string site, string? sensor, long now)
    {
        foreach (var s in _silences.Current)
        {
            if (s.Covers(site, sensor, now))
            {
                return true;
            }
        }

        return false;
    }

    private void Mark(ScenarioState state, WarningStatus status, string reason)
    {
        state.Site.Marked = true;
        // Several steps in one evaluation publish as one event: the most telling status wins.
        state.Pending = state.Pending is not { } pending ? (status, reason)
            : Rank(status) > Rank(pending.Status) ? (status, $"{pending.Reason}; {reason}")
            : (pending.Status, $"{pending.Reason}; {reason}");

        if (!state.Dirty)
        {
            state.Dirty = true;
            _dirty.Add(state);
        }

    }

    private static int Rank(WarningStatus status) => status switch
    {
        WarningStatus.Raised => 6,
        WarningStatus.Resolved => 5,
        WarningStatus.Escalated => 4,
        WarningStatus.Deescalated => 3,
        WarningStatus.Acknowledged => 2,
        _ => 1,
    };

    /// <summary>Applies inhibition at the site and publishes what is pending.</summary>
    private void Settle(SiteState site, List<PublishedWarning> events)
    {
        // Inhibition changes only when a level changes, and that marks an event: nothing marked, nothing to do.
        if (!site.Marked)
        {
            return;
        }

        site.Marked = false;
        ScenarioState? red = null;
        foreach (var s in site.Scenarios)
        {
            if (s is { Active: true, Level: WarningLevel.Red } && (red is null || s.RaisedAtMs < red.RaisedAtMs))
            {
                red = s;
            }
        }

        foreach (var s in site.Scenarios)
        {
            if (s is null)
            {
                continue;
            }

            var inhibited = red is not null && !ReferenceEquals(s, red) && s.Level < WarningLevel.Red;
            if (s.Inhibited && !inhibited && s.Active && s.Pending is null && s.HeldBack)
            {
                // Inhibition lifted: publish where the warning now stands.
                Mark(s, s.Published ? WarningStatus.Updated : WarningStatus.Raised, "no longer held back by a red warning at the site");
            }

            s.Inhibited = inhibited;
            if (s.Pending is not { } pending)
            {
                continue;
            }

            if (inhibited && pending.Status != WarningStatus.Resolved)
            {
                s.HeldBack = true;
                s.Pending = null;
                Suppressed++;
                continue;
            }

            if (pending.Status == WarningStatus.Resolved && !s.Published)
            {
                // Raised and resolved entirely under a red warning: nobody has seen it.
                s.Pending = null;
                Suppressed++;
                continue;
            }

            var status = s.Published ? pending.Status : WarningStatus.Raised;
            s.Pending = null;
            s.HeldBack = false;
            events.Add(Publish(s, status, pending.Reason));
        }
    }

    private PublishedWarning Publish(ScenarioState s, WarningStatus status, string reason)
    {
        var site = s.Site;
        var def = s.Definition;
        s.Seq++;
        s.Published = true;
        s.Audiences = _audiences.For(site.Def, def, s.Level, s.AddedJurisdictions);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(site.LatestMs);
        var evidence = new List<SensorEvidence>();
        foreach (var slot in site.Slots)
        {
            if (slot.Seen && def.Kinds.Contains(slot.Sensor.Kind) && Notable(def, slot, site.LatestMs))
            {
                evidence.Add(new SensorEvidence(slot.Sensor.Id, slot.Sensor.Kind, slot.Value, slot.Sensor.Kind.CanonicalUnit(), slot.Alarm, Math.Clamp(slot.Risk, 0, 1), DateTimeOffset.FromUnixTimeMilliseconds(slot.TsMs)));
            }
        }

        evidence.Sort((a, b) => string.CompareOrdinal(a.Sensor, b.Sensor));
        var identifications = def.WatchesIdentifications
            ? site.Identifications.Select(i => new IdentificationEvidence(i.Substance, i.HazardClasses.Count > 0 ? i.HazardClasses[0] : "none", i.Purpose, i.Score, i.Sample, DateTimeOffset.FromUnixTimeMilliseconds(i.TsMs)) { HazardClasses = i.HazardClasses }).ToArray()
            : null;
        var models = site.Slots.Where(x => x.Seen && def.Kinds.Contains(x.Sensor.Kind) && x.Model is not null).Select(x => x.Model!)
            .Concat(def.WatchesIdentifications ? site.Identifications.Select(i => i.Model) : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var assistance = s.Level >= def.AssistanceFrom && status != WarningStatus.Resolved ? _audiences.Assistance(site.Def, def) : [];
        var e = new WarningEvent(
            s.Id!,
            s.Seq,
            def.Id,
            s.Level,
            status,
            site.Def.Id,
            site.Def.Enterprise.Id,
            site.Def.Jurisdiction.Id,
            time,
            DateTimeOffset.FromUnixTimeMilliseconds(s.RaisedAtMs),
            evidence,
            models,
            s.Audiences.Select(a => a.Audience with { Actions = def.ActionsFor(a.Role, s.Level, status) }).ToArray(),
            s.Audiences.SelectMany(a => def.ActionsFor(a.Role, s.Level, status)).Distinct(StringComparer.Ordinal).ToArray(),
            s.Acks.ToArray())
        {
            Title = def.Title,
            Reason = reason,
            Flapping = s.Flapping,
            Identifications = identifications is { Length: > 0 } ? identifications : null,
            Assistance = assistance.Count > 0 ? assistance : null,
        };

        var (xml, reference) = _cap.Write(e, def, s.FirstCap, s.LastCap);
        s.FirstCap ??= reference;
        s.LastCap = reference;
        return new PublishedWarning(e, xml);
    }

    private static bool Notable(ScenarioDefinition def, SensorSlot slot, long siteLatestMs)
    {
        foreach (var c in def.AllConditions)
        {
            if (c.Signal != Signal.Identification && c.Counts(slot.Sensor.Kind) && c.Sensors != Condition.All && c.Satisfies(SignalOf(slot, c.Signal, siteLatestMs)))
            {
                return true;
            }
        }

        return false;
    }

    private static WarningStateRecord RecordOf(ScenarioState s) => new(
        s.Definition.Id,
        s.Site.Def.Id,
        s.Active,
        s.Id,
        s.Seq,
        s.Level,
        s.Floor,
        s.RaisedAtMs,
        s.LastEscalationMs,
        s.Flapping,
        s.Published,
        s.Acks.ToArray(),
        s.AddedJurisdictions.ToArray(),
        s.FirstCap,
        s.LastCap,
        s.Site.ReadingsOffset,
        s.Site.LatestMs);

    private sealed class SensorSlot(SensorDef sensor)
    {
        public SensorDef Sensor { get; } = sensor;

        /// <summary>The sensor has reported since this instance holds its site.</summary>
        public bool Seen { get; set; }

        public double Value { get; set; } = double.NaN;

        public AlarmLevel Alarm { get; set; }

        public double Risk { get; set; }

        public bool Flat { get; set; }

        public bool Anomalous { get; set; }

        public long TsMs { get; set; } = long.MinValue;

        public string? Model { get; set; }
    }

    private sealed class SiteState(SiteDef def, int scenarios)
    {
        public SiteDef Def { get; } = def;

        /// <summary>
        /// One slot per sensor of the site, allocated together in index order (a site's sensors have consecutive
        /// indexes), so the slots a reading touches sit close together in memory.
        /// </summary>
        public SensorSlot[] Slots { get; } = def.Sensors.OrderBy(x => x.Index).Select(x => new SensorSlot(x)).ToArray();

        private int FirstIndex { get; } = def.Sensors.Count == 0 ? 0 : def.Sensors.Min(x => x.Index);

        public SensorSlot SlotOf(SensorDef sensor)
        {
            var i = sensor.Index - FirstIndex;
            return (uint)i < (uint)Slots.Length && ReferenceEquals(Slots[i].Sensor, sensor) ? Slots[i] : Slots.First(x => ReferenceEquals(x.Sensor, sensor));
        }

        public List<IdentificationObservation> Identifications { get; } = [];

        public ScenarioState?[] Scenarios { get; } = new ScenarioState?[scenarios];

        public long LatestMs { get; set; } = long.MinValue;

        public long ReadingsOffset { get; set; } = -1;

        public long RestoredUpTo { get; set; } = -1;

        /// <summary>Timestamp of the site's stalest sensor (as of <see cref="OldestComputedMs"/>).</summary>
        public long OldestSlotMs { get; set; } = long.MaxValue;

        public long OldestComputedMs { get; set; } = long.MinValue;

        /// <summary>Some warning of the site has an event pending since the last settle.</summary>
        public bool Marked { get; set; }
    }

    private sealed class ConditionTracker
    {
        public long? TrueSinceMs { get; set; }

        public Queue<long> Edges { get; } = new();
    }

    private sealed class ScenarioState
    {
        public ScenarioState(SiteState site, ScenarioDefinition definition, int index)
        {
            Site = site;
            Definition = definition;
            Index = index;
            Trackers = definition.AllConditions.Select(_ => new ConditionTracker()).ToArray();
            Held = new bool[Trackers.Length];
        }

        public SiteState Site { get; }

        public ScenarioDefinition Definition { get; }

        public int Index { get; }

        public ConditionTracker[] Trackers { get; }

        public bool[] Held { get; }

        public bool Active { get; set; }

        public string? Id { get; set; }

        public long Seq { get; set; }

        public WarningLevel Level { get; set; }

        /// <summary>Level an unacknowledged warning was escalated to; it does not fall below it until acknowledged.</summary>
        public WarningLevel Floor { get; set; }

        public long RaisedAtMs { get; set; }

        public long LastEscalationMs { get; set; }

        public long? LowerSinceMs { get; set; }

        public int LastTarget { get; set; }

        public Queue<(long Ms, int Target)> TargetChanges { get; } = new();

        public bool Flapping { get; set; }

        public bool Published { get; set; }

        public bool Inhibited { get; set; }

        public bool HeldBack { get; set; }

        public (WarningStatus Status, string Reason)? Pending { get; set; }

        public bool Dirty { get; set; }

        /// <summary>No warning and no level condition under way: skipped unless a reading may wake it.</summary>
        public bool Idle { get; set; }

        public List<AckRecord> Acks { get; } = [];

        public List<string> AddedJurisdictions { get; } = [];

        public IReadOnlyList<RoutedAudience> Audiences { get; set; } = [];

        public string? FirstCap { get; set; }

        public string? LastCap { get; set; }
    }
}
