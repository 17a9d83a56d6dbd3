using RiskStream.Core.Registry;

namespace RiskStream.Scenarios.Engine;

/// <summary>A substance identified from a Raman spectrum at a site, with its GHS hazard classes (most severe first).</summary>
public sealed record IdentificationObservation(
    SiteDef Site,
    string Substance,
    IReadOnlyList<string> HazardClasses,
    string Purpose,
    double Score,
    string Sample,
    long TsMs,
    string Model);
