using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Kpis;

/// <summary>
/// The alarm KPIs of a park from its warning events, in event time: each event is reduced to the facts it adds (a
/// raise, an acknowledgement, a disposition, a deadline missed, …; each counted once however often later events
/// repeat it), and <see cref="Close"/> turns the facts of every window that has ended into one <see cref="AlarmKpis"/>
/// per scope that had anything in it (the park always). Windows of 10 minutes, an hour and a day (midnight China
/// Standard Time). Deterministic: no clock of its own, the caller says how far time has got.
/// </summary>
public sealed class AlarmKpiCalculator(ParkRegistry registry)
{
    /// <summary>A warning resolved within this long of its raise is fleeting.</summary>
    public static readonly TimeSpan FleetingUnder = TimeSpan.FromMinutes(1);

    /// <summary>A warning active longer than this at a window's end is standing.</summary>
    public static readonly TimeSpan StandingAfter = TimeSpan.FromHours(24);

    /// <summary>More than this many raised in 10 minutes is a flood.</summary>
    public const int FloodAbove = 10;

    /// <summary>This many raises of one scenario at one site within <see cref="ChatterWithin"/> is chattering.</summary>
    public const int ChatterCount = 3;

    public static readonly TimeSpan ChatterWithin = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan Slot = TimeSpan.FromMinutes(10);
    private static readonly (string Name, TimeSpan Size)[] Windows = [("10m", Slot), ("1h", TimeSpan.FromHours(1)), ("1d", TimeSpan.FromDays(1))];

    private readonly Dictionary<string, WarningTraits> _warnings = new(StringComparer.Ordinal);
    private readonly List<AlarmFact> _facts = [];
    private readonly DateTimeOffset?[] _closedUntil = new DateTimeOffset?[Windows.Length];
    private readonly Dictionary<string, DateTimeOffset> _shelves = new(StringComparer.Ordinal);

    /// <summary>Each sensor's last alarm level and its time (registry sensors only), and the activations seen.</summary>
    private readonly Dictionary<(string Site, string Sensor), (AlarmLevel Level, DateTimeOffset Ts)> _sensorAlarm = [];
    private readonly List<(DateTimeOffset Time, SensorDef Sensor)> _activations = [];

    /// <summary>Warnings it remembers (open ones, and closed ones until the day windows have passed them).</summary>
    public int Remembered => _warnings.Count;

    /// <summary>Takes one warning event (any status; repeats and replays are harmless).</summary>
    public void Observe(WarningEvent e)
    {
        if (!_warnings.TryGetValue(e.Id, out var w))
        {
            w = new WarningTraits(e.Id, e.Scenario, e.Site, e.Enterprise, e.Jurisdiction, e.Evidence.Count > 0 ? e.Evidence[0].Sensor : "-", e.Level, e.Models.Count > 0 ? e.Models[0] : "-", e.RaisedAt);
            _warnings[e.Id] = w;
        }

        w.LastEvent = e.Time > w.LastEvent ? e.Time : w.LastEvent;
        Add(w, "raised", FactKind.Raised, w.RaisedAt, w.Level);
        if (e.OutOfService is { Count: > 0 } && e.Status == WarningStatus.Raised)
        {
            Add(w, "oos", FactKind.OutOfService, w.RaisedAt, e.Level);
        }

        if (e.ResolvedAt is { } resolved && w.ResolvedAt is null)
        {
            w.ResolvedAt = resolved;
            if (resolved - w.RaisedAt < FleetingUnder)
            {
                Add(w, "fleeting", FactKind.Fleeting, resolved, e.Level);
            }
        }

        foreach (var r in e.Responses ?? [])
        {
            if (r.AcknowledgedAt is { } ack)
            {
                Add(w, "ack|" + r.Party.Address(), FactKind.Acknowledged, ack, e.Level, (ack - r.NotifiedAt).TotalSeconds, role: r.Role);
            }

            if (r.Status == ResponseStatus.Overdue)
            {
                Add(w, "ackdue|" + r.Party.Address(), FactKind.AckOverdue, r.DueAt ?? e.Time, e.Level, role: r.Role);
            }
        }

        if (e.Disposition is { } d)
        {
            Add(w, "disposed", FactKind.Disposed, d.Time, e.Level, (d.Time - w.RaisedAt).TotalSeconds, reason: d.Reason);
        }

        if (e.DisposeOverdue)
        {
            Add(w, "disposedue", FactKind.DisposeOverdue, e.DisposeDueAt ?? e.Time, e.Level);
        }

        foreach (var s in e.Shelved ?? [])
        {
            // A shelf belongs to the sensor, not the warning: a new warning of the site carries an old one on.
            if (_shelves.TryAdd($"{e.Site}|{s.Sensor}|{s.From.ToUnixTimeMilliseconds()}", s.From))
            {
                Add(w, $"shelf|{s.Sensor}|{s.From.ToUnixTimeMilliseconds()}", FactKind.Shelved, s.From, e.Level);
            }
        }

        foreach (var a in e.Assistance ?? [])
        {
            var agreement = (a.EngagedBy, a.Enterprise, a.Capability, a.Basis);
            var key = $"{a.Capability}|{a.Enterprise}";
            if (a.RequestedAt is { } asked)
            {
                Add(w, "asked|" + key, FactKind.AssistanceRequested, asked, e.Level, agreement: agreement);
                var took = a.AnsweredAt is { } answered ? (answered - asked).TotalSeconds : 0;
                switch (a.Status)
                {
                    case AssistanceStatus.Accepted when a.AnsweredAt is { } at:
                        Add(w, "answer|" + key, FactKind.AssistanceAccepted, at, e.Level, took, agreement: agreement);
                        break;
                    case AssistanceStatus.Declined when a.AnsweredAt is { } at:
                        Add(w, "answer|" + key, FactKind.AssistanceDeclined, at, e.Level, took, agreement: agreement);
                        break;
                    case AssistanceStatus.Unanswered:
                        Add(w, "answer|" + key, FactKind.AssistanceUnanswered, a.AnswerDueAt ?? e.Time, e.Level, agreement: agreement);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Takes one score: a rise of the sensor's setpoint alarm level over its previous reading is an activation (a
    /// sensor's first reading in alarm counts too). Scores of a sensor come in order (one partition per site); an
    /// older one than the last seen, or a sensor not in the registry, changes nothing.
    /// </summary>
    public void ObserveScore(Score score)
    {
        if (!registry.Sites.TryGetValue(score.Site, out var site) || !site.TryGetSensor(score.Sensor, out var sensor))
        {
            return;
        }

        var key = (score.Site, score.Sensor);
        var had = _sensorAlarm.TryGetValue(key, out var last);
        if (had && score.Ts < last.Ts)
        {
            return;
        }

        _sensorAlarm[key] = (score.Alarm, score.Ts);
        if (score.Alarm > (had ? last.Level : AlarmLevel.None))
        {
            _activations.Add((score.Ts, sensor));
        }
    }

    /// <summary>The first windows start at <paramref name="from"/> (floored), whatever older facts are read: those still count as state (active, standing warnings).</summary>
    public void StartAt(DateTimeOffset from)
    {
        for (var k = 0; k < Windows.Length; k++)
        {
            _closedUntil[k] ??= KpiWindows.Floor(from, Windows[k].Size);
        }
    }

    /// <summary>
    /// The figures of every window that ended at or before <paramref name="until"/> and was not closed yet, oldest
    /// first; a fact that arrives later for a closed window is not counted again (the caller holds windows open long
    /// enough for its lateness). The first call starts the windows at the earliest fact or sensor alarm seen.
    /// </summary>
    public IReadOnlyList<AlarmKpis> Close(DateTimeOffset until)
    {
        var result = new List<AlarmKpis>();
        var earliest = _facts.Select(f => f.Time).Concat(_activations.Select(a => a.Time)).DefaultIfEmpty(until).Min();
        for (var k = 0; k < Windows.Length; k++)
        {
            var (name, size) = Windows[k];
            var from = _closedUntil[k] ?? KpiWindows.Floor(earliest < until ? earliest : until, size);
            while (from + size <= until)
            {
                result.AddRange(Compute(name, from, from + size));
                from += size;
            }

            _closedUntil[k] = from;
        }

        Forget();
        return result;
    }

    private void Add(WarningTraits w, string key, FactKind kind, DateTimeOffset time, WarningLevel level, double seconds = 0, ResponseRole? role = null, DispositionReason? reason = null, (string, string, string, string)? agreement = null)
    {
        if (w.Counted.Add(key))
        {
            _facts.Add(new AlarmFact(kind, time, w) { Level = level, Seconds = Math.Max(0, seconds), Role = role, Reason = reason, Agreement = agreement });
        }
    }

    /// <summary>Facts before every open window, and warnings resolved before the oldest open window and no longer spoken of.</summary>
    private void Forget()
    {
        if (_closedUntil.Any(c => c is null))
        {
            return;
        }

        var oldest = _closedUntil.Min()!.Value;
        _facts.RemoveAll(f => f.Time < oldest);
        _activations.RemoveAll(a => a.Time < oldest);
        foreach (var shelf in _shelves.Where(x => x.Value < oldest - StandingAfter).Select(x => x.Key).ToArray())
        {
            _shelves.Remove(shelf);
        }
        foreach (var id in _warnings.Where(w => w.Value.ResolvedAt < oldest - StandingAfter && w.Value.LastEvent < oldest - StandingAfter).Select(w => w.Key).ToArray())
        {
            _warnings.Remove(id);
        }
    }

    private IEnumerable<string> Scopes(WarningTraits w) => Scopes(w.Site, w.Enterprise, w.Jurisdiction);

    private IEnumerable<string> Scopes(string site, string enterprise, string jurisdiction)
    {
        yield return "park:park";
        yield return "site:" + site;
        yield return "enterprise:" + enterprise;
        for (string? j = jurisdiction; j is not null; j = registry.Jurisdictions.TryGetValue(j, out var jd) ? jd.Parent : null)
        {
            yield return "jurisdiction:" + j;
        }
    }

    private IEnumerable<AlarmKpis> Compute(string window, DateTimeOffset from, DateTimeOffset until)
    {
        var facts = _facts.Where(f => f.Time >= from && f.Time < until).ToList();
        var active = _warnings.Values.Where(w => w.RaisedAt < until && (w.ResolvedAt is null || w.ResolvedAt >= until)).ToList();
        var scopes = new SortedDictionary<string, (List<AlarmFact> Facts, List<WarningTraits> Active)>(StringComparer.Ordinal) { ["park:park"] = ([], []) };
        foreach (var f in facts)
        {
            foreach (var s in Scopes(f.Warning))
            {
                (scopes.TryGetValue(s, out var x) ? x : scopes[s] = ([], [])).Facts.Add(f);
            }
        }

        foreach (var w in active)
        {
            foreach (var s in Scopes(w))
            {
                (scopes.TryGetValue(s, out var x) ? x : scopes[s] = ([], [])).Active.Add(w);
            }
        }

        var activations = new Dictionary<string, List<(DateTimeOffset Time, SensorDef Sensor)>>(StringComparer.Ordinal);
        foreach (var a in _activations.Where(a => a.Time >= from && a.Time < until))
        {
            foreach (var s in Scopes(a.Sensor.Site.Id, a.Sensor.Site.Enterprise.Id, a.Sensor.Site.Jurisdiction.Id))
            {
                (activations.TryGetValue(s, out var list) ? list : activations[s] = []).Add(a);
                scopes.TryAdd(s, ([], []));
            }
        }

        foreach (var (key, (scopeFacts, scopeActive)) in scopes)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var sensorAlarms = activations.GetValueOrDefault(key) ?? [];
            yield return AlarmKpiFigures.Of(key[..colon], key[(colon + 1)..], window, from, until, scopeFacts, scopeActive) with
            {
                SensorAlarms = sensorAlarms.Count,
                ChatteringSensors = AlarmKpiFigures.Chattering(sensorAlarms.GroupBy(a => a.Sensor).Select(g => g.Select(a => a.Time))),
            };
        }
    }
}
