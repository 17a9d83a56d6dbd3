using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskStream.Core.Contracts;

/// <summary>Source-generated System.Text.Json metadata for every message contract.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Reading))]
[JsonSerializable(typeof(Spectrum))]
[JsonSerializable(typeof(Acknowledgement))]
[JsonSerializable(typeof(Score))]
[JsonSerializable(typeof(WarningEvent))]
[JsonSerializable(typeof(DeadLetter))]
[JsonSerializable(typeof(IdentificationEvent))]
[JsonSerializable(typeof(AlarmKpis))]
[JsonSerializable(typeof(DataQuality))]
[JsonSerializable(typeof(Label))]
public sealed partial class ContractJson : JsonSerializerContext;
