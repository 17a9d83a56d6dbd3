namespace RiskStream.Core.Contracts;

/// <summary>An evenly spaced wavenumber axis in cm⁻¹.</summary>
public sealed record SpectrumAxis(double Start, double Step, int Count);
