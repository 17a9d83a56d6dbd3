namespace RiskStream.Core.Contracts;

/// <summary>
/// A warning lifecycle event on <c>riskstream.warnings</c> (key = warning id). <see cref="Id"/> is stable for the
/// life of the warning; <see cref="Seq"/> rises by one with each event, so consumers deduplicate on (id, seq).
/// Schema: <c>schemas/warning.v3.json</c>. Bounded: <see cref="Acks"/> holds each party's latest acknowledgement
/// (<see cref="AckCounts"/> counts them all), and evidence, identifications and audiences are cut beyond fixed
/// numbers with the count omitted, so an event stays under RiskStream:Pipeline:MaxWarningBytes.
/// </summary>
public sealed record WarningEvent(
    string Id,
    long Seq,
    string Scenario,
    WarningLevel Level,
    WarningStatus Status,
    string Site,
    string Enterprise,
    string Jurisdiction,
    DateTimeOffset Time,
    DateTimeOffset RaisedAt,
    IReadOnlyList<SensorEvidence> Evidence,
    IReadOnlyList<string> Models,
    IReadOnlyList<Audience> Audiences,
    IReadOnlyList<string> Actions,
    IReadOnlyList<AckRecord> Acks)
{
    /// <summary>Human title of the scenario.</summary>
    public string? Title { get; init; }

    /// <summary>Why this event happened, in words (e.g. "no acknowledgement for 5m: level raised").</summary>
    public string? Reason { get; init; }

    /// <summary>The warning toggles too often: it is held at its highest level until it settles.</summary>
    public bool Flapping { get; init; }

    /// <summary>Raman identifications that are part of the evidence.</summary>
    public IReadOnlyList<IdentificationEvidence>? Identifications { get; init; }

    /// <summary>Assistance the scenario requests from engaged enterprises.</summary>
    public IReadOnlyList<AssistanceRequest>? Assistance { get; init; }

    /// <summary>Every party's acknowledgements counted, with the first and last time (null when there are none).</summary>
    public IReadOnlyList<AckSummary>? AckCounts { get; init; }

    /// <summary>Sensors taking part beyond those in <see cref="Evidence"/> (null when none were left out).</summary>
    public int? EvidenceOmitted { get; init; }

    /// <summary>Identifications counting for the warning beyond those in <see cref="Identifications"/>.</summary>
    public int? IdentificationsOmitted { get; init; }

    /// <summary>Audiences beyond those listed (the event still reaches each of them on its own topic).</summary>
    public int? AudiencesOmitted { get; init; }

    /// <summary>Each audience's response status (notified, received, acknowledged, overdue) with its times.</summary>
    public IReadOnlyList<PartyResponse>? Responses { get; init; }

    /// <summary>When the warning must be disposed by its owner; <see cref="DisposeOverdue"/> once that has passed.</summary>
    public DateTimeOffset? DisposeDueAt { get; init; }

    public bool DisposeOverdue { get; init; }

    /// <summary>How the warning was (or is being) closed.</summary>
    public Disposition? Disposition { get; init; }

    /// <summary>When its condition cleared: set on the <c>resolved</c> event and on every one after it (disposition, close).</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Maintenance windows covering the site or sensors the scenario watches (a second-level alarm still counts).</summary>
    public IReadOnlyList<OutOfService>? OutOfService { get; init; }

    /// <summary>Sensors whose contribution is shelved, until when and why.</summary>
    public IReadOnlyList<Shelf>? Shelved { get; init; }

    /// <summary>The audit trail: every answer of every party, who, what, when, under which role (the newest, bounded).</summary>
    public IReadOnlyList<TrailEntry>? Trail { get; init; }

    /// <summary>Trail entries older than those listed.</summary>
    public int? TrailOmitted { get; init; }
}
