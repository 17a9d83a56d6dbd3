using Microsoft.ML;
using Microsoft.ML.Data;

namespace RiskStream.Raman.Processing;

/// <summary>
/// An ML.NET multiclass classifier (maximum entropy, L-BFGS) over preprocessed spectra, trained on library references
/// measured many times over by <see cref="Synthesis"/> (shifts, broadening, fluorescence, noise from SNR 5 to 40,
/// spikes). It answers with class probabilities; "unknown" when the most probable class is below a threshold. Kept
/// beside the library search to compare the two (<c>riskstream evaluate-raman</c>); a prediction engine is not
/// thread-safe, so each call takes one from a small pool.
/// </summary>
public sealed class Classifier
{
    private sealed class Row
    {
        [VectorType]
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = [];
    }

    private readonly Identifier _search;
    private readonly string[] _classes;
    private readonly System.Collections.Concurrent.ConcurrentBag<PredictionEngine<Row, Output>> _engines = [];
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly int _width;

    private Classifier(Identifier search, MLContext ml, ITransformer model, string[] classes, int width)
    {
        _search = search;
        _ml = ml;
        _model = model;
        _classes = classes;
        _width = width;
    }

    /// <summary>Below this probability the answer is unknown.</summary>
    public double UnknownBelow { get; init; } = 0.5;

    /// <summary>Trains on <paramref name="perClass"/> simulated measurements of each reference, fixed by the seed.</summary>
    public static Classifier Train(Identifier search, int perClass = 40, int seed = 1)
    {
        var references = search.References.ToList();
        var axis = Synthesis.Axis();
        var random = new Random(seed);
        var rows = new List<Row>(references.Count * perClass);
        for (var k = 0; k < perClass; k++)
        {
            foreach (var reference in references)
            {
                var snr = 5 + (random.NextDouble() * 35);
                var y = Synthesis.Measure(reference, axis, new Conditions(snr), random);
                rows.Add(new Row { Features = search.Prepare(axis, y).Spectrum, Label = reference.Name });
            }
        }

        var width = rows[0].Features.Length;
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(Row.Label))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "LabelKey",
                FeatureColumnName = nameof(Row.Features),
                L2Regularization = 0.01f,
                MaximumNumberOfIterations = 200,
            }));
        var model = pipeline.Fit(data);

        // The classes in the order of the score vector: the label key's values.
        VBuffer<ReadOnlyMemory<char>> keys = default;
        model.Transform(data).Schema["LabelKey"].GetKeyValues(ref keys);
        var classes = keys.DenseValues().Select(k => k.ToString()).ToArray();
        return new Classifier(search, ml, model, classes, width);
    }

    /// <summary>The classes ranked by probability, best first.</summary>
    public IReadOnlyList<(string Name, double Probability)> Rank(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var features = _search.Prepare(x, y).Spectrum;
        if (!_engines.TryTake(out var engine))
        {
            var schema = SchemaDefinition.Create(typeof(Row));
            schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, _width);
            engine = _ml.Model.CreatePredictionEngine<Row, Output>(_model, inputSchemaDefinition: schema);
        }

        try
        {
            var scores = engine.Predict(new Row { Features = features }).Score;
            return scores.Select((p, i) => (_classes[i], (double)p)).OrderByDescending(c => c.Item2).ToList();
        }
        finally
        {
            _engines.Add(engine);
        }
    }

    public Verdict Classify(double[] x, double[] y)
    {
        var ranked = Rank(x, y);
        return new Verdict(ranked[0].Probability >= UnknownBelow ? ranked[0].Name : null, ranked.Take(5).Select(r => r.Name).ToArray(), []);
    }
}
