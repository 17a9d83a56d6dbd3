using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Scoring;

/// <summary>A lane's own scorer (see <see cref="IRiskModel.CreateScorer"/>).</summary>
public interface IRiskScorer
{
    RiskResult Score(SensorDef sensor, double value, in WindowStats window, ReadOnlySpan<float> features);
}
