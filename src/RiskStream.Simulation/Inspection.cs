using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Raman;
using RiskStream.Raman.Processing;

namespace RiskStream.Simulation;

/// <summary>A simulated inspection: the spectrum taken and what was really there (null for a substance not in the library).</summary>
public sealed record Inspection(Spectrum Spectrum, string? Truth);
