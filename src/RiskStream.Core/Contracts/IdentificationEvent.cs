namespace RiskStream.Core.Contracts;

/// <summary>
/// What a Raman spectrum from <c>riskstream.spectra</c> was identified as, on <c>riskstream.identifications</c>
/// (key = site id). <see cref="Id"/> is stable (site, device, sample, time) so consumers deduplicate redeliveries.
/// Schema: <c>schemas/identification.v2.json</c> (v1 with the family, the mixture fractions' uncertainties and the
/// measurement's warnings).
/// </summary>
/// <param name="Substance">The species identified, or null when the spectrum is unknown or answered by its <see cref="Family"/>.</param>
/// <param name="HazardClasses">GHS classes of the substance (or of its family) and of every mixture component, most severe first.</param>
/// <param name="Score">Noise-corrected hit-quality index of the best match (or of the mixture fit), 0 to 1.</param>
/// <param name="Library">Version of the reference library that made it.</param>
public sealed record IdentificationEvent(
    string Id,
    string Site,
    string Enterprise,
    string Jurisdiction,
    string Device,
    string Sample,
    SpectrumPurpose Purpose,
    DateTimeOffset Ts,
    string? Substance,
    string? Cas,
    IReadOnlyList<string> HazardClasses,
    double Score,
    double Margin,
    bool Unknown,
    IReadOnlyList<IdentifiedCandidate> Candidates,
    IReadOnlyList<MixtureComponent> Mixture,
    string Library,
    int Points)
{
    /// <summary>The family the spectrum was identified as when its species is not confirmed (the candidates name the species most like it).</summary>
    public IdentifiedFamily? Family { get; init; }

    /// <summary>What is wrong with the measurement itself (a saturated band), for the inspector.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}

/// <summary>A family of substances an identification was answered as, e.g. "a nitrate" (oxidizer).</summary>
public sealed record IdentifiedFamily(string Name, IReadOnlyList<string> HazardClasses);
