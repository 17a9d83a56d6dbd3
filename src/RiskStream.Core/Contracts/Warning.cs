namespace RiskStream.Core.Contracts;

/// <summary>China's four warning levels; red (I) is the highest.</summary>
public enum WarningLevel
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("blue")] Blue = 1,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("yellow")] Yellow = 2,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("orange")] Orange = 3,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("red")] Red = 4,
}

/// <summary>Lifecycle step a warning event reports.</summary>
public enum WarningStatus
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("raised")] Raised,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("escalated")] Escalated,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("deescalated")] Deescalated,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("updated")] Updated,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("resolved")] Resolved,
}

/// <summary>One sensor's part in the evidence of a warning.</summary>
public sealed record SensorEvidence(
    string Sensor,
    SensorKind Kind,
    double Value,
    string Unit,
    AlarmLevel Alarm,
    double Risk,
    DateTimeOffset Ts);

/// <summary>A Raman identification in the evidence of a warning.</summary>
/// <param name="HazardClass">The most severe of its hazard classes (all of them in <see cref="HazardClasses"/>).</param>
public sealed record IdentificationEvidence(string Substance, string HazardClass, string Purpose, double Score, string Sample, DateTimeOffset Ts)
{
    /// <summary>Every GHS hazard class of the substance, most severe first.</summary>
    public IReadOnlyList<string>? HazardClasses { get; init; }
}

/// <summary>A party that must see a warning, why, and what the scenario asks of it.</summary>
public sealed record Audience(PartyType Type, string Id, string Reason)
{
    /// <summary>Recommended actions for this party's role (owner, jurisdiction, neighbour, assisting enterprise).</summary>
    public IReadOnlyList<string>? Actions { get; init; }
}

/// <summary>An acknowledgement (or feedback) as recorded in a warning: the audit trail of each party's part.</summary>
public sealed record AckRecord(Party Party, string By, DateTimeOffset Time, string? Text)
{
    /// <summary>Actions the party reports having taken.</summary>
    public IReadOnlyList<string>? Actions { get; init; }
}

/// <summary>
/// Obligation-based assistance asked of enterprises engaged by a jurisdiction for a capability (by government
/// purchase or as a project).
/// </summary>
public sealed record AssistanceRequest(string Capability, string Enterprise, string EngagedBy, string Basis, string Request);

/// <summary>
/// A warning lifecycle event on <c>riskstream.warnings</c> (key = warning id). <see cref="Id"/> is stable for the
/// life of the warning; <see cref="Seq"/> rises by one with each event, so consumers deduplicate on (id, seq).
/// Schema: <c>schemas/warning.v1.json</c>.
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
}
