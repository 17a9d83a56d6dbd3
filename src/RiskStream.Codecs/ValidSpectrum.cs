using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Codecs;

/// <summary>A spectrum that passed validation: its site, its points in cm⁻¹ (ascending or not) and intensities.</summary>
public sealed record ValidSpectrum(Spectrum Message, SiteDef Site, double[] Wavenumbers, double[] Intensities);
