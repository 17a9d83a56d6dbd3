using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>The registry file (<c>config/park.json</c>) as written by people; validated into a <see cref="ParkRegistry"/>.</summary>
public sealed record RegistryDocument(
    string Name,
    IReadOnlyList<JurisdictionDocument>? Jurisdictions,
    IReadOnlyList<EnterpriseDocument>? Enterprises,
    IReadOnlyList<SiteDocument>? Sites)
{
    /// <summary>Which jurisdiction engaged which enterprise for which capability.</summary>
    public IReadOnlyList<AgreementDocument>? Assistance { get; init; }
}

public sealed record JurisdictionDocument(string Id, string Name, string Level, string? Parent, string? RegionCode)
{
    /// <summary>Organisation code of the jurisdiction's emergency department (GB/T 35965.1 identifiers).</summary>
    public string? OrgCode { get; init; }
}

public sealed record AgreementDocument(string Jurisdiction, string Enterprise, string Capability, string Basis, string? Reference);

public sealed record EnterpriseDocument(
    string Id,
    string Name,
    string? OrgCode,
    IReadOnlyList<string>? Capabilities,
    IReadOnlyList<ContactDocument>? Contacts);

public sealed record ContactDocument(string Name, string Role, string? Phone);

public sealed record SiteDocument(
    string Id,
    string Name,
    string Enterprise,
    string Jurisdiction,
    double Lat,
    double Lon,
    string? MajorHazard,
    IReadOnlyList<SensorDocument>? Sensors);

public sealed record SensorDocument(string Id, SensorKind Kind, SetpointsDocument? Setpoints, double? Baseline);

public sealed record SetpointsDocument(double? FirstHigh, double? SecondHigh, double? FirstLow, double? SecondLow);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegistryDocument))]
internal sealed partial class RegistryJson : JsonSerializerContext;
