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

    /// <summary>How often sensors report unless their site or they say otherwise (<c>10s</c>); one minute when absent.</summary>
    public string? ReportingPeriod { get; init; }
}
