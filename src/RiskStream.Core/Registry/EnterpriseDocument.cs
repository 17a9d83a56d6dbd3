using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

public sealed record EnterpriseDocument(
    string Id,
    string Name,
    string? OrgCode,
    IReadOnlyList<string>? Capabilities,
    IReadOnlyList<ContactDocument>? Contacts);
