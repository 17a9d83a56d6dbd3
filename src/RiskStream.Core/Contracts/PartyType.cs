namespace RiskStream.Core.Contracts;

/// <summary>Which side of the common scenario a party is on.</summary>
public enum PartyType
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("gov")] Government,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("ent")] Enterprise,
}
