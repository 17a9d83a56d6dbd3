using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

public sealed record AgreementDocument(string Jurisdiction, string Enterprise, string Capability, string Basis, string? Reference);
