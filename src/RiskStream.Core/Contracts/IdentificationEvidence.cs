namespace RiskStream.Core.Contracts;

/// <summary>A Raman identification in the evidence of a warning.</summary>
/// <param name="HazardClass">The most severe of its hazard classes (all of them in <see cref="HazardClasses"/>).</param>
public sealed record IdentificationEvidence(string Substance, string HazardClass, string Purpose, double Score, string Sample, DateTimeOffset Ts)
{
    /// <summary>Every GHS hazard class of the substance, most severe first.</summary>
    public IReadOnlyList<string>? HazardClasses { get; init; }
}
