using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Raman;

/// <summary>How a simulated measurement departs from the reference.</summary>
/// <param name="Snr">Height of the strongest band over the noise (shot and read) at that point.</param>
/// <param name="MaxShiftCm">Wavenumber calibration shift, uniform in ±this (cm⁻¹).</param>
/// <param name="Broadening">Band widths scaled by a factor uniform in 1 ± this.</param>
/// <param name="Spikes">Cosmic-ray spikes per spectrum (each 5 to 30 times the strongest band, one or two points).</param>
/// <param name="Fluorescence">Largest fluorescence background, in multiples of the strongest band.</param>
public sealed record Conditions(double Snr, double MaxShiftCm = 5, double Broadening = 0.2, int Spikes = 1, double Fluorescence = 3);
