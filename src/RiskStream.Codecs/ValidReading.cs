using RiskStream.Core.Registry;

namespace RiskStream.Codecs;

/// <summary>A reading that passed validation: its sensor from the registry and its value in the canonical unit.</summary>
public readonly record struct ValidReading(SensorDef Sensor, double Value, long TsMs);
