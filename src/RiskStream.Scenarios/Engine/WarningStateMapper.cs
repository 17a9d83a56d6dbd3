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
        state.LowerSinceMs = null;
        state.Pending = null;
        state.Idle = false;
        if (state.Active)
        {
            state.Audiences = audiences.For(state.Site.Def, state.Definition, state.Level, state.AddedJurisdictions);
        }
    }
}
