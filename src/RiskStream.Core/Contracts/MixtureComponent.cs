namespace RiskStream.Core.Contracts;

/// <summary>A component of a mixture and its share of the spectrum.</summary>
public sealed record MixtureComponent(string Name, string? Cas, double Fraction, IReadOnlyList<string> HazardClasses);
