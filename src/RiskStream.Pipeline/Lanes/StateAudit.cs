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

    private readonly long[] _audited = Enumerable.Repeat(long.MinValue, context.Registry.SiteList.Count).ToArray();
    private readonly HashSet<string> _publishedSince = new(StringComparer.Ordinal);
    private long _generation = long.MinValue;
    private PublishedState? _snapshot;

    /// <summary>This lane published an event of the warning since the log was read: the log is no judge of it.</summary>
    public void Saw(WarningEvent e) => _publishedSince.Add(e.Id);

    /// <summary>Audits the site once per assignment, adding the Cancel of each orphaned warning to <paramref name="events"/>.</summary>
    public void Audit(SiteDef site, long generation, long nowMs, List<PublishedWarning> events)
    {
        if (_audited[site.Index] == generation)
        {
            return;
        }

        _audited[site.Index] = generation;
        if (_generation != generation)
        {
            _generation = generation;
            _publishedSince.Clear();
            try
            {
                _snapshot = published.Read();
            }
            catch (Exception e) when (e is Confluent.Kafka.KafkaException or TimeoutException or InvalidOperationException)
            {
                _snapshot = null;
                context.Metrics.StateGaps.WithLabels("audit_failed").Inc();
                log.LogWarning("Warning state not audited after this assignment: riskstream.warnings could not be read: {Reason}", e.Message);
            }
        }

        if (_snapshot is not { } snapshot)
        {
            return;
        }

        var held = engine.ActiveRecords(site).Select(r => r.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var id in held.Where(snapshot.Resolved.Contains).Where(id => !_publishedSince.Contains(id)))
        {
            context.Metrics.StateGaps.WithLabels("log_resolved").Inc();
            log.LogWarning("Warning {Id} restored as active though its resolve was published", id);
        }

        foreach (var open in snapshot.OpenBySite.GetValueOrDefault(site.Id) ?? [])
        {
            var last = open.Last;
            var index = context.Scenarios.IndexOf(last.Scenario);
            if (held.Contains(last.Id) || _publishedSince.Contains(last.Id) || index < 0)
            {
                continue;
            }

            var time = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(nowMs, last.Time.ToUnixTimeMilliseconds()));
            var cancel = last with
            {
                Seq = last.Seq + 1,
                Status = WarningStatus.Resolved,
                Time = time,
                Evidence = [],
                Reason = $"{Reason}: this warning's state was lost (riskstream.warning-state no longer holds it); closed so that it does not stay open for ever. If the hazard persists, a new warning is raised.",
                Flapping = false,
            };
            events.Add(new PublishedWarning(cancel, context.Scenarios.Scenarios[index], open.First, new EventStamp(last.Seq, last.Time), last.Audiences));
            _publishedSince.Add(last.Id);
            context.Metrics.StateGaps.WithLabels("store_lacks").Inc();
            log.LogWarning("Warning {Id} ({Scenario} at {Site}, seq {Seq}) was left open but its state is lost: closed with a Cancel (reason state_lost)", last.Id, last.Scenario, last.Site, last.Seq);
        }
    }
}
