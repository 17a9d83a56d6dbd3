using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskStream.Sensors.Models;

/// <summary>
/// <c>card.json</c> beside a model's <c>model.zip</c>: what it is, what it was trained on and with, how it scored, and
/// the operating threshold the pipeline uses.
/// </summary>
public sealed record ModelCard
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary><c>risk</c> (binary classifier: probability of a developing hazard) or <c>anomaly</c> (sensor fault detector).</summary>
    public required string Kind { get; init; }

    public required string FeatureSchemaHash { get; init; }

    public required IReadOnlyList<string> Features { get; init; }

    public required string Trainer { get; init; }

    public required IReadOnlyDictionary<string, double> Parameters { get; init; }

    /// <summary>Risk: probability from which a reading counts as a hazard. Anomaly: score above which a reading is anomalous.</summary>
    public required double Threshold { get; init; }

    public required TrainingData Data { get; init; }

    /// <summary>Figures from evaluation on the held-out part of the training data (see <c>riskstream evaluate</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public required DateTimeOffset Created { get; init; }

    public int Seed { get; init; }

    /// <summary>Each feature's distribution on the training data (deciles), the reference of the drift index; empty for a card written before it.</summary>
    public IReadOnlyList<FeatureDistribution> Distributions { get; init; } = [];

    /// <summary>Every run of the promotion gate on this version (<c>riskstream models promote</c>), oldest first.</summary>
    public IReadOnlyList<PromotionRecord> Promotions { get; init; } = [];

    public string Tag => $"{Name}/{Version}";

    /// <summary>Largest card read, in bytes: a card is a page of metrics, not data.</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>Reads a card; a file over <see cref="MaxBytes"/> or without version, kind, feature schema or features is <see cref="InvalidDataException"/>.</summary>
    public static ModelCard Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new InvalidDataException($"{path}: {length:N0} bytes; a card is at most {MaxBytes:N0}");
        }

        var card = JsonSerializer.Deserialize(File.ReadAllText(path), CardJson.Default.ModelCard) ?? throw new InvalidDataException($"{path}: empty card");
        if (card.Version is null || card.Kind is null || card.FeatureSchemaHash is null || card.Features is null)
        {
            throw new InvalidDataException($"{path}: a card needs version, kind, featureSchemaHash and features");
        }

        return card;
    }

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, CardJson.Default.ModelCard) + "\n");
}
