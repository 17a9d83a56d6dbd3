using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>ML.NET's view of a row: the feature vector and the label.</summary>
public sealed class FeatureRow
{
    [VectorType(FeatureSchema.Count)]
    public float[] Features { get; set; } = new float[FeatureSchema.Count];

    public bool Label { get; set; }

    /// <summary>Example weight in training (ignored in prediction).</summary>
    public float Weight { get; set; } = 1;
}
