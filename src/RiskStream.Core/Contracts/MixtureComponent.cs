namespace RiskStream.Core.Contracts;

/// <summary>A component of a mixture and its share of the spectrum.</summary>
public sealed record MixtureComponent(string Name, string? Cas, double Fraction, IReadOnlyList<string> HazardClasses)
{
    /// <summary>Standard uncertainty of <see cref="Fraction"/>.</summary>
    public double? Uncertainty { get; init; }
}
