using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Scenarios.Engine.State;

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

    /// <summary>The sensor's intact rate over the last hour, carried from reading to reading.</summary>
    public IntactRing Intact;
}
