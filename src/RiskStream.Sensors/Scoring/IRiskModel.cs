using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Scoring;

/// <summary>What a model says of one reading.</summary>
/// <param name="Risk">Probability of a developing hazard, 0..1, never below the setpoint floor at a second-level alarm.</param>
/// <param name="Anomalous">The reading looks like a sensor fault rather than the process (a sensor-health matter).</param>
/// <param name="Model">Name and version of the model that scored it, e.g. <c>risk/2026.11.29-1</c>.</param>
public readonly record struct RiskResult(double Risk, bool Anomalous, string Model);

/// <summary>Turns a reading, its window and its features into a risk.</summary>
public interface IRiskModel
{
    /// <summary>Name and version of the model serving now, e.g. <c>setpoint-baseline/1</c>.</summary>
    string Version { get; }

    /// <summary>
    /// The scorer one lane uses: it may hold state that is not thread-safe (a prediction engine), so each lane takes its
    /// own and calls it from one thread at a time.
    /// </summary>
    IRiskScorer CreateScorer();
}

/// <summary>A lane's own scorer (see <see cref="IRiskModel.CreateScorer"/>).</summary>
public interface IRiskScorer
{
    RiskResult Score(SensorDef sensor, double value, in WindowStats window, ReadOnlySpan<float> features);
}

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
