using System.Collections.Frozen;
using System.Text.Json;
using RiskStream.Core.Alarms;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>
/// Obligation-based assistance: <see cref="Jurisdiction"/> engaged <see cref="Enterprise"/> to lend
/// <see cref="Capability"/>, by government purchase or as a project.
/// </summary>
public sealed record AssistanceAgreement(string Jurisdiction, string Enterprise, string Capability, string Basis, string? Reference)
{
    public const string GovernmentPurchase = "government_purchase";
    public const string Project = "project";
}
