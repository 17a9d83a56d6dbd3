using Microsoft.ML;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>A model was refused (corrupt, another feature schema, failed its smoke prediction); the message says why.</summary>
public sealed class ModelRefusedException(string message, Exception? inner = null) : Exception(message, inner);
