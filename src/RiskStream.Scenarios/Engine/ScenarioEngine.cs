using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// The common-scenario engine: one active warning per (scenario, site), driven by event time. Each observation
/// re-evaluates the scenarios that watch it at its site; the highest level whose conditions hold is the target.
/// A façade over single-purpose parts: <see cref="ConditionEvaluator"/> (condition tracking),
/// <see cref="WarningLifecycle"/> (raise, escalate, de-escalate, resolve, flapping, escalation when unacknowledged),
/// <see cref="Inhibition"/> (a red warning holds back the lower ones of its site), <see cref="WarningEventBuilder"/>
/// (the events and their evidence) and <see cref="WarningStateMapper"/> (the state records). Delivery formats (CAP)
/// are rendered by the caller from the <see cref="PublishedWarning"/>s.
/// </summary>
/// <remarks>
/// Not thread-safe: one instance per lane; all input of a site reaches the same lane in order. Each input is all or
/// nothing: if evaluating it throws, the site is put back as it was before it and the exception propagates, so the
/// caller can dead-letter that input alone and go on.
/// </remarks>
public sealed partial class ScenarioEngine
{
    private readonly ParkRegistry _registry;
    private readonly ScenarioSet _set;
    private readonly SiteState?[] _sites;
    private readonly WarningMarks _marks = new();
    private readonly ConditionEvaluator _conditions;
    private readonly WarningLifecycle _lifecycle;
    private readonly ResponseWorkflow _response;
    private readonly Inhibition _inhibition;
    private readonly WarningStateMapper _mapper;
    private readonly SiteTransaction _transaction;
    private bool _open;

    public ScenarioEngine(ParkRegistry registry, ScenarioSet scenarios, IReadOnlyList<Silence>? silences = null)
        : this(registry, scenarios, new SilenceBook(silences ?? []))
    {
    }

    public ScenarioEngine(ParkRegistry registry, ScenarioSet scenarios, SilenceBook silences, int maxWarningBytes = 256 * 1024)
    {
        _registry = registry;
        _set = scenarios;
        _sites = new SiteState?[registry.SiteList.Count];
        var audiences = new AudienceResolver(registry);
        _conditions = new ConditionEvaluator(silences);
        _response = new ResponseWorkflow(audiences, _marks);
        var builder = new WarningEventBuilder(audiences, silences, maxWarningBytes);
        _lifecycle = new WarningLifecycle(audiences, _marks, silences, scenarios.SilentFloor, _response, builder);
        _inhibition = new Inhibition(_marks, builder);
        _mapper = new WarningStateMapper(audiences);
        _transaction = new SiteTransaction(scenarios.Scenarios.Count);
    }

    /// <summary>Most identifications a site keeps (the newest); beyond, a site inspected without pause would grow without bound.</summary>
    public const int MaxIdentificationsPerSite = 1000;

    public ScenarioSet Scenarios => _set;

    /// <summary>Evaluates every watching scenario on every reading, resting or not (the reference the tests compare the resting engine with).</summary>
    internal bool NeverRest { get; init; }

    /// <summary>Called before each scenario evaluation: tests inject a failure here to check that an input is all or nothing.</summary>
    internal Action<ScenarioDefinition>? BeforeEvaluate { get; set; }

    /// <summary>Warnings currently active in this instance.</summary>
    public int Active => _sites.Sum(s => s?.Scenarios.Count(x => x is { Active: true }) ?? 0);

    /// <summary>Events held back by inhibition and never published (a lower warning raised and resolved under a red one).</summary>
    public long Suppressed => _inhibition.Suppressed;

    /// <summary>Feeds one scored reading; appends the warning events it caused.</summary>
    public void Observe(in SensorObservation o, List<PublishedWarning> events)
    {
        var site = Begin(o.Sensor.Site, events);
        try
        {
            ObserveCore(site, o, events);
        }
        catch
        {
            Rollback(events);
            throw;
        }
    }

    /// <summary>Feeds one Raman identification; appends the warning events it caused.</summary>
    public void Identify(IdentificationObservation identification, List<PublishedWarning> events) => Identify([identification], events);

    /// <summary>Feeds the substances one spectrum showed at one site (a mixture's components) as one input.</summary>
    public void Identify(IReadOnlyList<IdentificationObservation> found, List<PublishedWarning> events)
    {
        if (found.Count == 0)
        {
            return;
        }

        var site = Begin(found[0].Site, events);
        try
        {
            _transaction.SaveIdentifications();
            foreach (var identification in found)
            {
                if (!ReferenceEquals(identification.Site, site.Def))
                {
                    throw new ArgumentException("one input's identifications are all at one site", nameof(found));
                }

                site.Identifications.Add(identification);

                // Only as many as any condition counts, and as long as it counts them.
                site.Identifications.RemoveAll(i => i.TsMs < identification.TsMs - _set.IdentificationHorizonMs);
                if (site.Identifications.Count > MaxIdentificationsPerSite)
                {
                    site.Identifications.RemoveRange(0, site.Identifications.Count - MaxIdentificationsPerSite);
                }
                site.LatestMs = Math.Max(site.LatestMs, identification.TsMs);
                site.InputEventMs = Math.Max(site.InputEventMs, identification.TsMs);
                _transaction.SaveScenarios();
                foreach (var index in _set.ForIdentifications)
                {
                    Evaluate(site, index, site.LatestMs);
                }
            }

            _inhibition.Settle(site, events);
        }
        catch
        {
            Rollback(events);
            throw;
        }
    }

    /// <summary>
    /// Applies a party's answer (acknowledge, receipt, dispose, shelve, unshelve, assistance) whose sender is proven by
    /// the topic it came on, to a warning that is active or awaits its disposition. Refused when the warning is not
    /// open here, the sender is not one of its audiences, its role does not allow the answer, or the answer does not
    /// fit the warning (<paramref name="detail"/> says why); a repeat of the same answer changes nothing.
    /// </summary>
    public AckRefusal Acknowledge(Acknowledgement ack, List<PublishedWarning> events, out string detail)
    {
        detail = "";
        var state = FindOpen(ack.WarningId);
        if (state is null)
        {
            return AckRefusal.UnknownWarning;
        }

        var site = Begin(state.Site.Def, events);
        try
        {
            _transaction.SaveScenarios();
            var refusal = _response.Respond(state, ack, site.LatestMs, out detail);
            if (refusal != AckRefusal.None)
            {
                Rollback(events);
                return refusal;
            }

            if (ack.Kind is ResponseKind.Shelve or ResponseKind.Unshelve)
            {
                // The sensor's contribution changed: the scenario is evaluated again at once.
                Evaluate(site, state.Index, site.LatestMs);
            }

            _inhibition.Settle(site, events);
        }
        catch
        {
            Rollback(events);
            throw;
        }

        return AckRefusal.None;
    }

    /// <summary>Applies a party's answer; see <see cref="Acknowledge(Acknowledgement, List{PublishedWarning}, out string)"/>.</summary>
    public AckRefusal Acknowledge(Acknowledgement ack, List<PublishedWarning> events) => Acknowledge(ack, events, out _);

    /// <summary>Sites this engine holds state for.</summary>
    public IEnumerable<SiteDef> Sites => _sites.OfType<SiteState>().Select(s => s.Def);

    /// <summary>The last input's effect is final: it can no longer be undone.</summary>
    public void Commit() => _open = false;

    /// <summary>
    /// Undoes the last input (Observe, Identify or Acknowledge) since the last <see cref="Commit"/>: its site is put
    /// back as it was and the events it appended are removed. For a caller whose own work on those events failed.
    /// </summary>
    public void Undo(List<PublishedWarning> events)
    {
        if (_open)
        {
            Rollback(events);
        }
    }

    /// <summary>State records changed since the last call (for <c>riskstream.warning-state</c>); commits the last input.</summary>
    public void DrainChanged(List<WarningStateRecord> records)
    {
        _open = false;
        _marks.Drain(s => records.Add(WarningStateMapper.RecordOf(s)));
    }

    /// <summary>Records of every active warning of a site (what the state audit holds against the published warnings).</summary>
    public IEnumerable<WarningStateRecord> ActiveRecords(SiteDef site) =>
        _sites[site.Index]?.Scenarios.Where(s => s is { Active: true }).Select(s => WarningStateMapper.RecordOf(s!)) ?? [];

    /// <summary>Records of every warning of a site still owed something (active, awaiting disposition, or with a shelf): for periodic re-publication.</summary>
    public IEnumerable<WarningStateRecord> OpenRecords(SiteDef site) =>
        _sites[site.Index]?.Scenarios.Where(s => s is { Open: true }).Select(s => WarningStateMapper.RecordOf(s!)) ?? [];

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
        if (site.HeldSinceMs == long.MinValue)
        {
            // Taken over: the sensors that do not report from here on are silent from the record's time.
            site.HeldSinceMs = record.TimeMs;
        }

        _mapper.Restore(StateOf(site, index), record);
    }

    private void ObserveCore(SiteState site, in SensorObservation o, List<PublishedWarning> events)
    {
        var slot = site.SlotOf(o.Sensor);
        _transaction.SaveSlot(slot);
        if (!slot.Seen || o.TsMs >= slot.TsMs)
        {
            var first = !slot.Seen;
            slot.Last = new SlotReading
            {
                Seen = true,
                TsMs = o.TsMs,
                Value = o.Value,
                Alarm = o.Alarm,
                Risk = o.Risk,
                Flat = o.Flat,
                Anomalous = o.Anomalous,
                Model = o.Model,
                Intact = slot.Last.Intact.Next(o.TsMs, !o.Anomalous, o.Sensor.ReportingPeriod),
            };
            if (site.HeldSinceMs == long.MinValue)
            {
                site.HeldSinceMs = o.TsMs;
            }

            if (first || o.TsMs - site.OldestComputedMs >= 1_000)
            {
                // At most once a second of event time: between, the stalest sensor only looks staler than it is,
                // which may wake a scenario for nothing, never leave one asleep.
                site.ComputeOldest(o.TsMs);
            }
        }

        site.LatestMs = Math.Max(site.LatestMs, o.TsMs);
        site.InputEventMs = Math.Max(site.InputEventMs, o.TsMs);
        if (o.Offset >= 0)
        {
            site.ReadingsOffset = Math.Max(site.ReadingsOffset, o.Offset);
        }

        // Replaying readings whose effect the restored state already holds: windows only, no lifecycle change.
        if (o.Offset >= 0 && o.Offset <= site.RestoredUpTo)
        {
            return;
        }

        var scenarios = _set.ByKind[(int)o.Sensor.Kind];
        if (!NeverRest && ConditionEvaluator.Calm(site, slot, scenarios, _set.FloorByKind[(int)o.Sensor.Kind]))
        {
            return;
        }

        _transaction.SaveScenarios();
        foreach (var index in scenarios)
        {
            // A scenario at rest (no warning, no level condition holding) can only wake if this reading satisfies
            // one of its level conditions, or time made a sensor stale: everything else leaves it at rest.
            if (NeverRest || site.Scenarios[index] is { Idle: false } || ConditionEvaluator.MayWake(_set.Scenarios[index], slot, site))
            {
                Evaluate(site, index, site.LatestMs);
            }
        }

        _inhibition.Settle(site, events);
    }

    private void Evaluate(SiteState site, int index, long now)
    {
        var state = StateOf(site, index);
        BeforeEvaluate?.Invoke(state.Definition);
        if (state.Shelves.Count > 0)
        {
            _response.ExpireShelves(state, now);
        }

        _lifecycle.Advance(state, _conditions.Target(state, now), now);
    }

    private SiteState Begin(SiteDef def, List<PublishedWarning> events)
    {
        var existed = _sites[def.Index] is not null;
        var site = SiteOf(def);
        _transaction.Begin(site, existed, _marks.Dirty.Count, _inhibition.Suppressed, events.Count);
        _open = true;
        return site;
    }

    private void Rollback(List<PublishedWarning> events)
    {
        _open = false;
        var site = _transaction.Site;
        var (dropSite, dirty, suppressed, eventCount) = _transaction.Rollback();
        if (dropSite)
        {
            _sites[site.Def.Index] = null;
        }

        _marks.TruncateTo(dirty);
        _inhibition.Suppressed = suppressed;
        if (events.Count > eventCount)
        {
            events.RemoveRange(eventCount, events.Count - eventCount);
        }
    }

    /// <summary>The time of the site's stalest reporting sensor, and of its longest-silent one (never-reported ones count from when the site was taken).</summary>
    private SiteState SiteOf(SiteDef def) => _sites[def.Index] ??= new SiteState(def, _set.Scenarios.Count);

    private ScenarioState StateOf(SiteState site, int index) =>
        site.Scenarios[index] ??= new ScenarioState(site, _set.Scenarios[index], index);

    private ScenarioState? FindOpen(string warningId)
    {
        // Warning ids are "<scenario>:<site>:<raised ms>".
        var first = warningId.IndexOf(':', StringComparison.Ordinal);
        var last = warningId.LastIndexOf(':');
        if (first <= 0 || last <= first || !_registry.Sites.TryGetValue(warningId[(first + 1)..last], out var siteDef))
        {
            return null;
        }

        var index = _set.IndexOf(warningId[..first]);
        return index >= 0 && _sites[siteDef.Index]?.Scenarios[index] is { } s && (s.Active || s.Closing) && s.Id == warningId ? s : null;
    }
}
