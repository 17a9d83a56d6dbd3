namespace RiskStream.Core.Contracts;

/// <summary>
/// What a Raman spectrum from <c>riskstream.spectra</c> was identified as, on <c>riskstream.identifications</c>
/// (key = site id). <see cref="Id"/> is stable (site, device, sample, time) so consumers deduplicate redeliveries.
/// Schema: <c>schemas/identification.v1.json</c>.
/// </summary>
/// <param name="Substance">The best match, or null when the spectrum is unknown.</param>
/// <param name="HazardClasses">GHS classes of the substance and of every mixture component, most severe first.</param>
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
    int Points);
