using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskStream.Sensors.Models;

/// <summary>The data a model was trained on.</summary>
public sealed record TrainingData(string File, string Fingerprint, long Rows, long Positives, long HeldOut);
