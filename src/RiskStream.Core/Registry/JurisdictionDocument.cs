using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

public sealed record JurisdictionDocument(string Id, string Name, string Level, string? Parent, string? RegionCode)
{
    /// <summary>Organisation code of the jurisdiction's emergency department (GB/T 35965.1 identifiers).</summary>
    public string? OrgCode { get; init; }
}
