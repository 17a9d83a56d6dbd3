namespace RiskStream.Core.Contracts;

/// <summary>A candidate substance of an identification.</summary>
public sealed record IdentifiedCandidate(string Name, string? Cas, double Score);
