using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

public sealed record ContactDocument(string Name, string Role, string? Phone);
