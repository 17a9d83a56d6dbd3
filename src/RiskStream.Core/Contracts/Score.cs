namespace RiskStream.Core.Contracts;

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
