using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// Builds the warning event a lifecycle step publishes: the next sequence number, the audiences of the level now,
/// the evidence (the sensors taking part in the scenario's conditions, the identifications it watches), the model
/// versions behind it, the actions per role, each party's latest acknowledgement with the count of all, and the
/// assistance requested. Bounded: at most <see cref="MaxEvidence"/> sensors and <see cref="MaxIdentifications"/>
/// identifications (the newest), and if the event is still over <c>maxBytes</c>, acknowledgement texts and
/// per-audience actions are cut, then audiences beyond <see cref="MaxAudiencesListed"/> (each still gets the event).
/// </summary>
/// <remarks>Not thread-safe: one per engine.</remarks>
internal sealed class WarningEventBuilder(AudienceResolver audiences, SilenceBook silences, int maxBytes)
{
    public const int MaxEvidence = 50;
    public const int MaxIdentifications = 20;
    public const int MaxAudiencesListed = 100;
    private const int MaxAckTextChars = 200;

    public PublishedWarning Build(ScenarioState s, WarningStatus status, string reason)
    {
        var site = s.Site;
        var def = s.Definition;
        s.Seq++;
        s.Published = true;
        s.Audiences = audiences.For(site.Def, def, s.Level, s.AddedJurisdictions, s.Assistance);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(site.LatestMs);
        var identifications = def.WatchesIdentifications ? Identifications(site) : [];
        var models = site.Slots.Where(x => x.Seen && def.Kinds.Contains(x.Sensor.Kind) && x.Model is not null).Select(x => x.Model!)
            .Concat(def.WatchesIdentifications ? site.Identifications.Select(i => i.Model) : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var recipients = s.Audiences.Select(a => a.Audience with { Actions = def.ActionsFor(a.Role, s.Level, status) }).ToArray();
        var evidence = Evidence(s);
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
            evidence.Take(MaxEvidence).ToArray(),
            models,
            recipients,
            s.Audiences.SelectMany(a => def.ActionsFor(a.Role, s.Level, status)).Distinct(StringComparer.Ordinal).ToArray(),
            s.Acks.ToArray())
        {
            Title = def.Title,
            Reason = reason,
            Flapping = s.Flapping,
            Identifications = identifications.Count > 0 ? identifications.TakeLast(MaxIdentifications).ToArray() : null,
            IdentificationsOmitted = identifications.Count > MaxIdentifications ? identifications.Count - MaxIdentifications : null,
            EvidenceOmitted = evidence.Count > MaxEvidence ? evidence.Count - MaxEvidence : null,
            Assistance = s.Assistance.Count > 0 ? s.Assistance.ToArray() : null,
            AckCounts = s.AckCounts.Count > 0 ? s.AckCounts.ToArray() : null,
            Responses = ResponseWorkflow.Responses(s, s.Audiences, site.LatestMs),
            DisposeDueAt = def.Response.Dispose > TimeSpan.Zero && !ResponseWorkflow.DispositionComplete(s) ? DateTimeOffset.FromUnixTimeMilliseconds(s.RaisedAtMs + (long)def.Response.Dispose.TotalMilliseconds) : null,
            DisposeOverdue = s.DisposeOverdue && !ResponseWorkflow.DispositionComplete(s),
            Disposition = s.Disposition,
            Shelved = s.Shelves.Count > 0 ? s.Shelves.ToArray() : null,
            ResolvedAt = !s.Active && s.ResolvedAtMs is { } resolvedAt ? DateTimeOffset.FromUnixTimeMilliseconds(resolvedAt) : null,
            OutOfService = OutOfService(s),
            Trail = s.Trail.Count > 0 ? s.Trail.ToArray() : null,
            TrailOmitted = s.TrailOmitted > 0 ? s.TrailOmitted : null,
        };

        var stamp = new EventStamp(e.Seq, e.Time);
        var published = new PublishedWarning(Bounded(e), def, s.FirstEvent, s.LastEvent, recipients);
        s.FirstEvent ??= stamp;
        s.LastEvent = stamp;
        return published;
    }

    /// <summary>The event cut, step by step, until it fits <c>maxBytes</c>.</summary>
    private WarningEvent Bounded(WarningEvent e)
    {
        if (Size(e) <= maxBytes)
        {
            return e;
        }

        e = e with
        {
            Acks = e.Acks.Select(a => a with { Text = a.Text is { Length: > MaxAckTextChars } t ? t[..MaxAckTextChars] + "…" : a.Text, Actions = a.Actions?.Take(3).ToArray() }).ToArray(),
            Audiences = e.Audiences.Select(a => a with { Actions = null }).ToArray(),
            Trail = e.Trail?.TakeLast(8).Select(t => t with { Detail = t.Detail.Length > MaxAckTextChars ? t.Detail[..MaxAckTextChars] + "…" : t.Detail }).ToArray(),
            TrailOmitted = (e.TrailOmitted ?? 0) + Math.Max(0, (e.Trail?.Count ?? 0) - 8) is var trailOmitted and > 0 ? trailOmitted : null,
        };
        if (Size(e) <= maxBytes)
        {
            return e;
        }

        return e with
        {
            Audiences = e.Audiences.Take(MaxAudiencesListed).ToArray(),
            AudiencesOmitted = e.Audiences.Count > MaxAudiencesListed ? e.Audiences.Count - MaxAudiencesListed : null,
            Identifications = e.Identifications?.TakeLast(3).ToArray(),
            IdentificationsOmitted = (e.IdentificationsOmitted ?? 0) + Math.Max(0, (e.Identifications?.Count ?? 0) - 3) is var omitted and > 0 ? omitted : null,
            Responses = e.Responses?.Where(r => r.Role is ResponseRole.Owner or ResponseRole.Regulator).ToArray(),
        };
    }

    /// <summary>The silences covering the site, or a sensor the scenario watches, at the site's time.</summary>
    private OutOfService[]? OutOfService(ScenarioState s)
    {
        var current = silences.Current;
        if (current.Count == 0)
        {
            return null;
        }

        var site = s.Site;
        var covering = current.Where(x => x.Covers(site.Def.Id, x.Sensor, site.LatestMs) && (x.Sensor is null || site.Slots.Any(slot => slot.Sensor.Id == x.Sensor && s.Definition.Kinds.Contains(slot.Sensor.Kind))))
            .Take(MaxEvidence)
            .Select(x => new OutOfService(x.Sensor, x.From, x.Until, x.DeclaredBy, x.Reason))
            .ToArray();
        return covering.Length > 0 ? covering : null;
    }

    private static int Size(WarningEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, ContractJson.Default.WarningEvent).Length;

    private static List<IdentificationEvidence> Identifications(SiteState site) =>
        site.Identifications.Select(i => new IdentificationEvidence(i.Substance, i.HazardClasses.Count > 0 ? i.HazardClasses[0] : "none", i.Purpose, i.Score, i.Sample, DateTimeOffset.FromUnixTimeMilliseconds(i.TsMs)) { HazardClasses = i.HazardClasses }).ToList();

    /// <summary>The sensors taking part, the most alarming first, then by id.</summary>
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

        if (evidence.Count > MaxEvidence)
        {
            evidence.Sort((a, b) => b.Alarm != a.Alarm ? b.Alarm.CompareTo(a.Alarm) : string.CompareOrdinal(a.Sensor, b.Sensor));
        }

        var listed = evidence.Take(MaxEvidence).ToList();
        listed.Sort((a, b) => string.CompareOrdinal(a.Sensor, b.Sensor));
        return evidence.Count > MaxEvidence ? [.. listed, .. evidence.Skip(MaxEvidence)] : listed;
    }
}
