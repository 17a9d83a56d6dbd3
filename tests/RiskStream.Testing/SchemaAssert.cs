using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace RiskStream.Testing;

/// <summary>Validates documents against the JSON Schemas in schemas/, with format validation on.</summary>
public static class SchemaAssert
{
    private static readonly Dictionary<string, JsonSchema> Cache = [];

    public static JsonSchema Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var schema))
            {
                schema = JsonSchema.FromText(File.ReadAllText(RepoPaths.Of("schemas", name)));
                Cache[name] = schema;
            }

            return schema;
        }
    }

    public static EvaluationResults Evaluate(string schemaName, string json) =>
        Load(schemaName).Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

    public static void Valid(string schemaName, string json)
    {
        var result = Evaluate(schemaName, json);
        Assert.True(result.IsValid, $"{schemaName} rejects {json}:\n" + string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    public static void Invalid(string schemaName, string json) =>
        Assert.False(Evaluate(schemaName, json).IsValid, $"{schemaName} accepts {json}");

    public static string Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);
}
