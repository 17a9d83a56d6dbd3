using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>A binary confusion matrix at one threshold.</summary>
public sealed record Confusion(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);
}
