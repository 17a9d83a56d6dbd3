namespace RiskStream.Core.Contracts;

/// <summary>A Raman spectrum as it arrives on <c>riskstream.spectra</c> (key = site id).</summary>
/// <remarks>Either <see cref="Wavenumbers"/> or <see cref="Axis"/> is given. Schema: <c>schemas/spectrum.v1.json</c>.</remarks>
public sealed record Spectrum(
    string Site,
    string Device,
    string Sample,
    SpectrumPurpose Purpose,
    DateTimeOffset Ts,
    double LaserNm,
    double[]? Wavenumbers,
    SpectrumAxis? Axis,
    double[] Intensities)
{
    /// <summary>The largest spectrum accepted; longer ones are dead-lettered.</summary>
    public const int MaxPoints = 16_384;
}
