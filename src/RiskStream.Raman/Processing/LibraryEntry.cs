using System.Numerics;

namespace RiskStream.Raman.Processing;

/// <summary>One reference as the search holds it: its prepared spectrum, and its energy prefix sums (full and coarse axis) and its bands.</summary>
internal sealed record LibraryEntry(Reference Reference, float[] Spectrum, double[] Energy, float[] Coarse, double[] CoarseEnergy, Band[] Bands);
