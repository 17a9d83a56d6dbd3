using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>The risk classifier's output: a calibrated probability.</summary>
public sealed class RiskOutput
{
    public float Probability { get; set; }

    public float Score { get; set; }

    public bool PredictedLabel { get; set; }
}
