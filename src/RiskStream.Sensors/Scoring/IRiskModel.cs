using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Scoring;

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
