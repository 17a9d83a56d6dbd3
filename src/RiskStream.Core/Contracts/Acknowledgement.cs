namespace RiskStream.Core.Contracts;

/// <summary>
/// A party's acknowledgement of a warning, sent on <c>riskstream.acks.gov.&lt;j&gt;</c> or
/// <c>riskstream.acks.ent.&lt;e&gt;</c>: the topic, guarded by ACLs, proves the sender.
/// </summary>
public sealed record Acknowledgement(
    string WarningId,
    Party Party,
    string By,
    DateTimeOffset Time,
    string? Text,
    IReadOnlyList<string>? Actions);
