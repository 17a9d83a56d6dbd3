namespace RiskStream.Core.Contracts;

/// <summary>A party that must see a warning, why, and what the scenario asks of it.</summary>
public sealed record Audience(PartyType Type, string Id, string Reason)
{
    /// <summary>Recommended actions for this party's role (owner, jurisdiction, neighbour, assisting enterprise).</summary>
    public IReadOnlyList<string>? Actions { get; init; }
}
