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

/// <summary>A party that must see a warning.</summary>
public sealed record Audience(PartyType Type, string Id, string Reason);

/// <summary>An acknowledgement as recorded in a warning.</summary>
public sealed record AckRecord(Party Party, string By, DateTimeOffset Time, string? Text);

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
    IReadOnlyList<AckRecord> Acks);
