using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskStream.Sensors.Models;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(DataCard))]
internal sealed partial class CardJson : JsonSerializerContext;
