namespace RiskStream.Core.Contracts;

/// <summary>National alarm level of a reading (GB/T 50493-2019 first/second-level alarm).</summary>
public enum AlarmLevel
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("none")] None = 0,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("first")] First = 1,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("second")] Second = 2,
}

/// <summary>Summary of the sensor's event-time window at the moment a reading was scored.</summary>
public sealed record WindowSummary(int Count, double Mean, double Min, double Max, double SlopePerMin);

/// <summary>
/// The score of one reading, on <c>riskstream.scores</c> (key = site id). <see cref="Id"/> is the reading id, so a
/// redelivered reading produces a score with the same id. <see cref="Anomalous"/>: the anomaly model took the reading for a sensor fault. Schema:
/// <c>schemas/score.v2.json</c> (v1 without <c>anomalous</c>).
/// </summary>
public sealed record Score(
    string Id,
    string Site,
    string Sensor,
    SensorKind Kind,
    double Value,
    string Unit,
    DateTimeOffset Ts,
    AlarmLevel Alarm,
    double Risk,
    string Model,
    bool Anomalous,
    WindowSummary Window,
    bool Late);
