using System.Globalization;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>One labelled row of a dataset (README "Training": the CSV schema).</summary>
public sealed record DataRow(long TsMs, string Site, string Sensor, string Kind, double Value, int Alarm, string Event, int EventId, bool Hazard, float[] Features);
