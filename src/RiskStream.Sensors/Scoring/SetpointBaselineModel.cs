using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Scoring;

/// <summary>
/// The floor every later model keeps: risk from the distance to the national alarm setpoints, nudged up by a rising
/// trend towards the first-level setpoint.
/// </summary>
public sealed class SetpointBaselineModel : IRiskModel, IRiskScorer
{
    public const string Name = "setpoint-baseline/1";

    public string Version => Name;

    public IRiskScorer CreateScorer() => this;

    public RiskResult Score(SensorDef sensor, double value, in WindowStats window, ReadOnlySpan<float> features) => new(Risk(sensor, value, window), false, Name);

    public static double Risk(SensorDef sensor, double value, in WindowStats window)
    {
        var risk = sensor.Setpoints.BaselineRisk(value);
        if (sensor.Setpoints.FirstHigh is { } first && window.Count >= 3 && window.SlopePerMin > 0 && value < first)
        {
            // Where the value will be in a minute if the trend holds: an early hint, capped below the first level's 0.5.
            var projected = sensor.Setpoints.BaselineRisk(value + window.SlopePerMin);
            risk = Math.Max(risk, Math.Min(0.49, projected));
        }

        return Math.Clamp(risk, 0, 1);
    }
}
