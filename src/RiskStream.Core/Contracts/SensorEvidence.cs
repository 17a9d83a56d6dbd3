namespace RiskStream.Core.Contracts;

/// <summary>One sensor's part in the evidence of a warning.</summary>
public sealed record SensorEvidence(
    string Sensor,
    SensorKind Kind,
    double Value,
    string Unit,
    AlarmLevel Alarm,
    double Risk,
    DateTimeOffset Ts);
