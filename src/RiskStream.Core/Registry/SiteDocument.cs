using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

public sealed record SiteDocument(
    string Id,
    string Name,
    string Enterprise,
    string Jurisdiction,
    double Lat,
    double Lon,
    string? MajorHazard,
    IReadOnlyList<SensorDocument>? Sensors)
{
    /// <summary>How often the site's sensors report, unless a sensor says otherwise.</summary>
    public string? ReportingPeriod { get; init; }
}
