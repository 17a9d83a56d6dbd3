using Microsoft.Extensions.Logging;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Pipeline.State;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Holds a site's restored warning state against what the parties were told. At the site's first message after an
/// assignment, every warning <c>riskstream.warnings</c> shows open for the site that the engine does not hold (its
/// state record was lost: a deleted or compacted-away record, a wiped topic) is closed with an explicit Cancel (status
/// <c>resolved</c>, reason <c>state_lost</c>; CAP <c>Cancel</c> referencing its first and last message) before the
/// site's readings can raise a new one; nobody is left holding a warning that will never resolve. A restored warning
/// whose resolve was published is counted. One read of the log per assignment, shared by the lanes.
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
internal sealed class StateAudit(PipelineContext context, IPublishedWarnings published, ScenarioEngine engine, ILogger log)
{
    public const string Reason = "state_lost";

    /// <summary>Warnings this lane published, with the last seq it published: bounded by clearing (warnings are rare).</summary>
    private const int MaxRemembered = 100_000;

    private readonly long[] _audited = Enumerable.Repeat(long.MinValue, context.Registry.SiteList.Count).ToArray();
    private readonly Dictionary<int, List<OpenWarning>> _pending = [];
    private readonly Dictionary<string, long> _published = new(StringComparer.Ordinal);
    private long _generation = long.MinValue;
    private PublishedState? _snapshot;

    /// <summary>This lane published an event of the warning: the log read before it is no judge of that warning.</summary>
    public void Saw(WarningEvent e)
    {
        if (_published.Count >= MaxRemembered)
        {
            _published.Clear();
        }

        _published[e.Id] = Math.Max(e.Seq, _published.GetValueOrDefault(e.Id));
    }

    /// <summary>
    /// At the site's first reading of an assignment, finds its orphans; at each reading, closes those the readings
    /// have gone past (event time after the orphan's last event) and drops those the engine holds again (a replay of
    /// uncommitted readings raising the same warning). Never fails the reading: an error is counted and logged.
    /// </summary>
    public void Audit(SiteDef site, long generation, long nowMs, List<PublishedWarning> events)
    {
        try
        {
            if (_audited[site.Index] != generation)
            {
                _audited[site.Index] = generation;
                Find(site, generation);
            }

            if (_pending.TryGetValue(site.Index, out var orphans))
            {
                Close(site, orphans, nowMs, events);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _pending.Remove(site.Index);
            context.Metrics.StateGaps.WithLabels("audit_failed").Inc();
            log.LogWarning("Warning state of {Site} not audited: {Type}: {Reason}", site.Id, e.GetType().Name, e.Message);
        }
    }

    private void Find(SiteDef site, long generation)
    {
        _pending.Remove(site.Index);
        if (_generation != generation)
        {
            _generation = generation;
            _snapshot = null;
            try
            {
                _snapshot = published.Read(generation);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                context.Metrics.StateGaps.WithLabels("audit_failed").Inc();
                log.LogWarning("Warning state not audited after this assignment: riskstream.warnings could not be read: {Type}: {Reason}", e.GetType().Name, e.Message);
            }
        }

        if (_snapshot is not { } snapshot)
        {
            return;
        }

        var held = Held(site);
        foreach (var id in held.Where(snapshot.Resolved.Contains).Where(id => !_published.ContainsKey(id)))
        {
            context.Metrics.StateGaps.WithLabels("log_resolved").Inc();
            log.LogWarning("Warning {Id} restored as active though its resolve was published", id);
        }

        var orphans = (snapshot.OpenBySite.GetValueOrDefault(site.Id) ?? [])
            .Where(o => !held.Contains(o.Last.Id) && _published.GetValueOrDefault(o.Last.Id, long.MinValue) <= o.Last.Seq && context.Scenarios.IndexOf(o.Last.Scenario) >= 0)
            .ToList();
        if (orphans.Count > 0)
        {
            _pending[site.Index] = orphans;
        }
    }

    private void Close(SiteDef site, List<OpenWarning> orphans, long nowMs, List<PublishedWarning> events)
    {
        var held = Held(site);
        for (var i = orphans.Count - 1; i >= 0; i--)
        {
            var orphan = orphans[i];
            var last = orphan.Last;
            if (held.Contains(last.Id) || _published.GetValueOrDefault(last.Id, long.MinValue) > last.Seq)
            {
                // The engine holds it again (uncommitted readings replayed raised the same warning): not an orphan.
                orphans.RemoveAt(i);
                continue;
            }

            if (nowMs <= last.Time.ToUnixTimeMilliseconds())
            {
                // The readings have not yet gone past what was published of it: they may still raise it again.
                continue;
            }

            orphans.RemoveAt(i);
            var cancel = last with
            {
                Seq = last.Seq + 1,
                Status = WarningStatus.Resolved,
                Time = DateTimeOffset.FromUnixTimeMilliseconds(nowMs),
                Evidence = [],
                Reason = $"{Reason}: this warning's state was lost (riskstream.warning-state no longer holds it); closed so that it does not stay open for ever. If the hazard persists, a new warning is raised.",
                Flapping = false,
            };
            events.Add(new PublishedWarning(cancel, context.Scenarios.Scenarios[context.Scenarios.IndexOf(last.Scenario)], orphan.First, new EventStamp(last.Seq, last.Time), last.Audiences));
            context.Metrics.StateGaps.WithLabels("store_lacks").Inc();
            log.LogWarning("Warning {Id} ({Scenario} at {Site}, seq {Seq}) was left open but its state is lost: closed with a Cancel (reason state_lost)", last.Id, last.Scenario, last.Site, last.Seq);
        }

        if (orphans.Count == 0)
        {
            _pending.Remove(site.Index);
        }
    }

    private HashSet<string> Held(SiteDef site) => engine.ActiveRecords(site).Select(r => r.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
