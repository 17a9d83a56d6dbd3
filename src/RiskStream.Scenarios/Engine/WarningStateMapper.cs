using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>Maps a warning's lifecycle to its state record (<c>riskstream.warning-state</c>) and back.</summary>
internal sealed class WarningStateMapper(AudienceResolver audiences)
{
    public static WarningStateRecord RecordOf(ScenarioState s) => new(
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
        s.FirstEvent,
        s.LastEvent,
        s.Site.ReadingsOffset,
        s.Site.LatestMs)
    {
        AckCounts = s.AckCounts.Count > 0 ? s.AckCounts.ToArray() : null,
        PeakLevel = s.PeakLevel,
        Closing = s.Closing,
        ResolvedAtMs = s.ResolvedAtMs,
        Responses = s.Responses.Count > 0 ? s.Responses.ToArray() : null,
        RemindedFor = s.RemindedFor == long.MinValue ? null : s.RemindedFor,
        Disposition = s.Disposition,
        DisposeOverdue = s.DisposeOverdue,
        Trail = s.Trail.Count > 0 ? s.Trail.ToArray() : null,
        TrailOmitted = s.TrailOmitted,
        Shelves = s.Shelves.Count > 0 ? s.Shelves.ToArray() : null,
        Assistance = s.Assistance.Count > 0 ? s.Assistance.ToArray() : null,
    };

    /// <summary>Restores a warning's lifecycle into <paramref name="state"/> (its site's clocks are restored by the caller).</summary>
    public void Restore(ScenarioState state, WarningStateRecord record)
    {
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
        state.AckCounts.Clear();

        // Records written before acknowledgements were counted may list a party more than once: its latest counts.
        foreach (var group in record.Acks.GroupBy(a => a.Party))
        {
            state.Acks.Add(group.MaxBy(a => a.Time)!);
            state.AckCounts.Add(record.AckCounts?.FirstOrDefault(c => c.Party == group.Key) ?? new AckSummary(group.Key, group.Count(), group.Min(a => a.Time), group.Max(a => a.Time)));
        }
        state.AddedJurisdictions.Clear();
        state.AddedJurisdictions.AddRange(record.AddedJurisdictions);
        state.FirstEvent = record.FirstEvent;
        state.LastEvent = record.LastEvent;
        state.PeakLevel = record.PeakLevel ?? record.Level;
        state.Closing = record.Closing;
        state.ResolvedAtMs = record.ResolvedAtMs ?? (record.Active ? null : record.TimeMs);
        state.Responses.Clear();
        state.Responses.AddRange(record.Responses ?? []);
        state.RemindedFor = record.RemindedFor ?? long.MinValue;
        state.Disposition = record.Disposition;
        state.DisposeOverdue = record.DisposeOverdue;
        state.Trail.Clear();
        state.Trail.AddRange(record.Trail ?? []);
        state.TrailOmitted = record.TrailOmitted;
        state.Shelves.Clear();
        state.Shelves.AddRange(record.Shelves ?? []);
        state.Assistance.Clear();
        state.Assistance.AddRange(record.Assistance ?? []);
        state.LowerSinceMs = null;
        state.Pending = null;
        state.Idle = false;
        if (state.Active || state.Closing)
        {
            state.Audiences = audiences.For(state.Site.Def, state.Definition, state.Level, state.AddedJurisdictions, state.Assistance);
        }
    }
}
