using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Scoring;

/// <summary>What a model says of one reading.</summary>
/// <param name="Risk">Probability of a developing hazard, 0..1, never below the setpoint floor at a second-level alarm.</param>
/// <param name="Anomalous">The reading looks like a sensor fault rather than the process (a sensor-health matter).</param>
/// <param name="Model">Name and version of the model that scored it, e.g. <c>risk/2026.11.29-1</c>.</param>
public readonly record struct RiskResult(double Risk, bool Anomalous, string Model);
