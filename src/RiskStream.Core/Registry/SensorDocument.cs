using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>A sensor as written in the registry file.</summary>
public sealed record SensorDocument(string Id, SensorKind Kind, SetpointsDocument? Setpoints, double? Baseline)
{
    /// <summary>How often it reports (<c>5s</c>); the site's, else the registry's, else one minute.</summary>
    public string? ReportingPeriod { get; init; }
}
