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

    /// <summary>The highest level reached (null in records written before the response workflow: the level then).</summary>
    public WarningLevel? PeakLevel { get; init; }

    public long? ResolvedAtMs { get; init; }

    /// <summary>Resolved and awaiting its disposition.</summary>
    public bool Closing { get; init; }

    /// <summary>Each audience's notification, receipt and acknowledgement times.</summary>
    public IReadOnlyList<ResponseEntry>? Responses { get; init; }

    /// <summary>The escalation period a reminder was sent for.</summary>
    public long? RemindedFor { get; init; }

    public Disposition? Disposition { get; init; }

    public bool DisposeOverdue { get; init; }

    /// <summary>The audit trail: who did what, when, under which role.</summary>
    public IReadOnlyList<TrailEntry>? Trail { get; init; }

    public int TrailOmitted { get; init; }

    /// <summary>Sensors shelved in this scenario at this site (they outlive the warning).</summary>
    public IReadOnlyList<Shelf>? Shelves { get; init; }

    public IReadOnlyList<AssistanceRequest>? Assistance { get; init; }

    public string Key => KeyOf(Scenario, Site);

    public static string KeyOf(string scenario, string site) => $"{scenario}|{site}";
}
