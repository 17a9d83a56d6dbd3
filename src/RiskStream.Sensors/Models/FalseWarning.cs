using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>The first reading of a false hazard warning episode: what a data scientist looks at to see why.</summary>
public sealed record FalseWarning(long TsMs, string Site, string Sensor, string Kind, double Value, double Risk);
