using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Scoring;

/// <summary>Turns a reading in its window into a risk in [0,1].</summary>
/// <remarks>Called from one lane at a time per instance; an implementation shared by lanes must be thread-safe.</remarks>
public interface IRiskModel
{
    /// <summary>Name and version carried by every score and warning, e.g. <c>setpoint-baseline/1</c>.</summary>
    string Version { get; }

    double Score(SensorDef sensor, double value, in WindowStats window);
}

/// <summary>
/// The floor every later model keeps: risk from the distance to the national alarm setpoints, nudged up by a rising
/// trend towards the first-level setpoint.
/// </summary>
public sealed class SetpointBaselineModel : IRiskModel
{
    public string Version => "setpoint-baseline/1";

    public double Score(SensorDef sensor, double value, in WindowStats window)
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
