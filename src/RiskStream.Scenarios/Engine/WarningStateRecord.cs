using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// The lifecycle of one (scenario, site) warning as kept on the compacted topic <c>riskstream.warning-state</c>
/// (key = <c>scenario|site</c>). An instance that takes over a site restores it before processing, so a failover
/// neither raises a warning twice nor loses a resolve. <see cref="Active"/> false records a resolved warning.
/// </summary>
/// <param name="FirstEvent">The warning's first published event (CAP updates reference it).</param>
/// <param name="LastEvent">The warning's latest published event.</param>
/// <param name="ReadingsOffset">
/// Input offset of the newest reading of the site whose effect this record includes; readings at or below it are
/// replayed into the windows after a failover but do not change the warning again.
/// </param>
public sealed record WarningStateRecord(
    string Scenario,
    string Site,
    bool Active,
    string? Id,
    long Seq,
    WarningLevel Level,
    WarningLevel Floor,
    long RaisedAtMs,
    long LastEscalationMs,
    bool Flapping,
    bool Published,
    IReadOnlyList<AckRecord> Acks,
    IReadOnlyList<string> AddedJurisdictions,
    EventStamp? FirstEvent,
    EventStamp? LastEvent,
    long ReadingsOffset,
    long TimeMs)
{
    /// <summary>Each party's acknowledgements counted (<see cref="Acks"/> holds each party's latest).</summary>
    public IReadOnlyList<AckSummary>? AckCounts { get; init; }

    public string Key => KeyOf(Scenario, Site);

    public static string KeyOf(string scenario, string site) => $"{scenario}|{site}";
}
