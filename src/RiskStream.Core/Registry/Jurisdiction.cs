using System.Collections.Frozen;
using System.Text.Json;
using RiskStream.Core.Alarms;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>A jurisdiction: city, district, street or industrial park.</summary>
public sealed record Jurisdiction(string Id, string Name, string Level, string? Parent, string? RegionCode)
{
    /// <summary>Organisation code of its emergency department, if known.</summary>
    public string? OrgCode { get; init; }
}
