using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Scenarios.Engine.State;

/// <summary>What the engine knows of one sensor of a site: its newest reading as scored.</summary>
internal sealed class SensorSlot(SensorDef sensor)
{
    public SensorDef Sensor { get; } = sensor;

    /// <summary>The sensor's newest reading, or <see cref="SlotReading.None"/> before the first.</summary>
    public SlotReading Last;

    /// <summary>The sensor has reported since this instance holds its site.</summary>
    public bool Seen => Last.Seen;

    public double Value => Last.Value;

    public AlarmLevel Alarm => Last.Alarm;

    public double Risk => Last.Risk;

    public bool Flat => Last.Flat;

    public bool Anomalous => Last.Anomalous;

    public long TsMs => Last.TsMs;

    public string? Model => Last.Model;
}

/// <summary>A sensor's newest reading as the engine keeps it (a value, so that a site's slots copy cheaply).</summary>
internal struct SlotReading
{
    public static readonly SlotReading None = new() { Value = double.NaN, TsMs = long.MinValue };

    public bool Seen;
    public double Value;
    public AlarmLevel Alarm;
    public double Risk;
    public bool Flat;
    public bool Anomalous;
    public long TsMs;
    public string? Model;
}
