using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

public sealed record SensorDocument(string Id, SensorKind Kind, SetpointsDocument? Setpoints, double? Baseline);
