using System.Collections.Frozen;
using System.Text.Json;
using RiskStream.Core.Alarms;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>An enterprise that owns sites and may lend professional capacity.</summary>
public sealed record Enterprise(string Id, string Name, string? OrgCode, IReadOnlyList<string> Capabilities);
