using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// Builds the warning event a lifecycle step publishes: the next sequence number, the audiences of the level now,
/// the evidence (the sensors taking part in the scenario's conditions, the identifications it watches), the model
/// versions behind it, the actions per role, the acknowledgements so far and the assistance requested.
/// </summary>
/// <remarks>Not thread-safe: one per engine.</remarks>
internal sealed class WarningEventBuilder(AudienceResolver audiences)
{
    public PublishedWarning Build(ScenarioState s, WarningStatus status, string reason)
    {
        var site = s.Site;
        var def = s.Definition;
        s.Seq++;
        s.Published = true;
        s.Audiences = audiences.For(site.Def, def, s.Level, s.AddedJurisdictions);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(site.LatestMs);
        var identifications = def.WatchesIdentifications
            ? site.Identifications.Select(i => new IdentificationEvidence(i.Substance, i.HazardClasses.Count > 0 ? i.HazardClasses[0] : "none", i.Purpose, i.Score, i.Sample, DateTimeOffset.FromUnixTimeMilliseconds(i.TsMs)) { HazardClasses = i.HazardClasses }).ToArray()
            : null;
        var models = site.Slots.Where(x => x.Seen && def.Kinds.Contains(x.Sensor.Kind) && x.Model is not null).Select(x => x.Model!)
            .Concat(def.WatchesIdentifications ? site.Identifications.Select(i => i.Model) : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var assistance = s.Level >= def.AssistanceFrom && status != WarningStatus.Resolved ? audiences.Assistance(site.Def, def) : [];
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
            Evidence(s),
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

        var stamp = new EventStamp(e.Seq, e.Time);
        var published = new PublishedWarning(e, def, s.FirstEvent, s.LastEvent);
        s.FirstEvent ??= stamp;
        s.LastEvent = stamp;
        return published;
    }

    private static List<SensorEvidence> Evidence(ScenarioState s)
    {
        var site = s.Site;
        var evidence = new List<SensorEvidence>();
        foreach (var slot in site.Slots)
        {
            if (slot.Seen && s.Definition.Kinds.Contains(slot.Sensor.Kind) && ConditionEvaluator.Notable(s.Definition, slot, site))
            {
                evidence.Add(new SensorEvidence(slot.Sensor.Id, slot.Sensor.Kind, slot.Value, slot.Sensor.Kind.CanonicalUnit(), slot.Alarm, Math.Clamp(slot.Risk, 0, 1), DateTimeOffset.FromUnixTimeMilliseconds(slot.TsMs)));
            }
        }

        evidence.Sort((a, b) => string.CompareOrdinal(a.Sensor, b.Sensor));
        return evidence;
    }
}
