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

    /// <summary>Share of the last hour's reporting periods with a valid, non-faulty reading (1 until an hour has passed).</summary>
    public double Intact => Last.Intact.Rate(Sensor.ReportingPeriod);

    public string? Model => Last.Model;
}
