namespace RiskStream.Core.Contracts;

/// <summary>Which side of the common scenario a party is on.</summary>
public enum PartyType
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("gov")] Government,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("ent")] Enterprise,
}

/// <summary>A government department (jurisdiction) or an enterprise.</summary>
public sealed record Party(PartyType Type, string Id);

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
