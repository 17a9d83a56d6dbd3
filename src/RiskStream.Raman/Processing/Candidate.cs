namespace RiskStream.Raman.Processing;

/// <summary>One candidate of an identification.</summary>
public sealed record Candidate(string Name, string? Cas, double Score, int ShiftPoints);
