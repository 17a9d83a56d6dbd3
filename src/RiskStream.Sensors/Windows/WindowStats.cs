using RiskStream.Core.Contracts;

namespace RiskStream.Sensors.Windows;

/// <summary>Aggregates of a sensor window.</summary>
/// <param name="FractionAboveFirst">Share of the window's readings at or above the first-level setpoint.</param>
public readonly record struct WindowStats(int Count, double Mean, double StdDev, double Min, double Max, double SlopePerMin, double FractionAboveFirst)
{
    public WindowSummary ToSummary() => new(Count, Mean, Count == 0 ? 0 : Min, Count == 0 ? 0 : Max, SlopePerMin);
}
