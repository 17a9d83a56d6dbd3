namespace RiskStream.Raman.Processing;

/// <summary>A spectrum as the search sees it, with the steps an inspector may want to look at.</summary>
/// <param name="Axis">The common wavenumber axis.</param>
/// <param name="Raw">The despiked spectrum on the common axis (0 outside the measured range).</param>
/// <param name="Baseline">The baseline (fluorescence) removed from it.</param>
/// <param name="Spectrum">Baseline-corrected, smoothed, centred and normalised over the measured range: what is compared.</param>
/// <param name="From">First axis index the spectrum covers.</param>
/// <param name="To">One past the last axis index it covers.</param>
/// <param name="NoiseShare">Share of the spectrum's energy that is noise (0 clean, towards 1 noisy), estimated from it.</param>
public sealed record Prepared(double[] Axis, double[] Raw, double[] Baseline, float[] Spectrum, int From, int To, double NoiseShare)
{
    /// <summary>What is wrong with the measurement itself (a saturated detector), for the inspector.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
