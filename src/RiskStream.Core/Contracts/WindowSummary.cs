namespace RiskStream.Core.Contracts;

/// <summary>Summary of the sensor's event-time window at the moment a reading was scored.</summary>
public sealed record WindowSummary(int Count, double Mean, double Min, double Max, double SlopePerMin);
