using System.Text.Json.Serialization;

namespace RiskStream.Scenarios.Engine;

/// <summary>Source-generated JSON of the warning-state records (<c>riskstream.warning-state</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WarningStateRecord))]
public sealed partial class StateJson : JsonSerializerContext;
