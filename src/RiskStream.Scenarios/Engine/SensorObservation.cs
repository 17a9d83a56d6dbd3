using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Scenarios.Engine;

/// <summary>One scored reading as the engine sees it.</summary>
/// <param name="Flat">The sensor's window holds at least five readings, all the same value (a stuck sensor).</param>
/// <param name="Offset">Input offset of the reading (for restoring state after a failover); -1 if none.</param>
public readonly record struct SensorObservation(
    SensorDef Sensor,
    double Value,
    AlarmLevel Alarm,
    double Risk,
    bool Flat,
    long TsMs,
    string Model,
    long Offset = -1)
{
    /// <summary>The risk model's anomaly detector takes the reading for a sensor fault (a sensor-health matter).</summary>
    public bool Anomalous { get; init; }
}
