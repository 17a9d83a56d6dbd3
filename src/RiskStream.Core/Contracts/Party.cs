namespace RiskStream.Core.Contracts;

/// <summary>A government department (jurisdiction) or an enterprise.</summary>
public sealed record Party(PartyType Type, string Id);
