using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>ML.NET's view of a row: the feature vector and the label.</summary>
public sealed class FeatureRow
{
    [VectorType(FeatureSchema.Count)]
    public float[] Features { get; set; } = new float[FeatureSchema.Count];

    public bool Label { get; set; }

    /// <summary>Example weight in training (ignored in prediction).</summary>
    public float Weight { get; set; } = 1;
}

/// <summary>The risk classifier's output: a calibrated probability.</summary>
public sealed class RiskOutput
{
    public float Probability { get; set; }

    public float Score { get; set; }

    public bool PredictedLabel { get; set; }
}

/// <summary>A trained model ready to save: its ML.NET context, transformer, input schema and card.</summary>
public sealed record TrainedModel(MLContext Ml, ITransformer Model, DataViewSchema Schema, ModelCard Card);

/// <summary>
/// Trains the two models with a fixed seed: the <b>risk</b> classifier (FastTree gradient-boosted trees, binary, with
/// Platt calibration: its probability is the risk) and the <b>anomaly</b> detector (FastTree trained on the readings of
/// injected sensor faults against everything else: what it flags is a sensor-health matter, not a hazard; randomized
/// PCA on normal operation was tried first and flagged 0.3 % of fault readings). The last fifth of the data (by time)
/// is held out: the card's metrics and the operating thresholds come from it.
/// </summary>
public static class RiskTrainer
{
    /// <summary>The operating threshold is the lowest of these whose held-out false warnings stay under this rate.</summary>
    public const double TargetFalseAlarmsPer1000SensorHours = 0.5;

    private static readonly double[] Thresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99];

    /// <summary>
    /// Rows of normal operation whose window still holds a hazard or a fault that just ended (within a minute, on the
    /// same sensor): neither clearly normal nor the event, so left out of training (not of evaluation).
    /// </summary>
    public static bool[] Aftermath(IReadOnlyList<DataRow> rows)
    {
        var after = new bool[rows.Count];
        foreach (var sensor in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Sensor))
        {
            var lastEventMs = long.MinValue;
            foreach (var i in sensor.OrderBy(i => rows[i].TsMs))
            {
                if (rows[i].Event != "none")
                {
                    lastEventMs = rows[i].TsMs;
                }
                else if (lastEventMs != long.MinValue && rows[i].TsMs - lastEventMs <= RiskMetrics.RearmMs)
                {
                    after[i] = true;
                }
            }
        }

        return after;
    }

    /// <summary>Training rows with weights: aftermath rows left out; readings of sensor faults weighted up so rare, short faults (a spike is one reading) count.</summary>
    private static IEnumerable<FeatureRow> Weighted(List<DataRow> rows, Func<DataRow, bool> label, float faultWeight)
    {
        var after = Aftermath(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            if (!after[i])
            {
                yield return new FeatureRow { Features = rows[i].Features, Label = label(rows[i]), Weight = Dataset.IsFaultEvent(rows[i].Event) ? faultWeight * (faultWeight > 1 && rows[i].Event.StartsWith("spike", StringComparison.Ordinal) ? 20 : 1) : 1 };
            }
        }
    }

    public static (List<DataRow> Train, List<DataRow> HeldOut) Split(IReadOnlyList<DataRow> rows)
    {
        var first = rows.Min(r => r.TsMs);
        var last = rows.Max(r => r.TsMs);
        var cut = first + ((last - first) * 4 / 5);
        return (rows.Where(r => r.TsMs < cut).ToList(), rows.Where(r => r.TsMs >= cut).ToList());
    }

    public static TrainedModel TrainRisk(IReadOnlyList<DataRow> rows, string version, int seed, TrainingData data, TimeProvider time, Action<string>? progress = null)
    {
        var (train, heldOut) = Split(rows);
        var ml = new MLContext(seed);
        var options = new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            ExampleWeightColumnName = nameof(FeatureRow.Weight),
            NumberOfTrees = 80,
            NumberOfLeaves = 20,
            MinimumExampleCountPerLeaf = 20,
            LearningRate = 0.25,
            NumberOfThreads = 1,
            Seed = seed,
        };
        progress?.Invoke($"training FastTree ({options.NumberOfTrees} trees, {options.NumberOfLeaves} leaves) on {train.Count:N0} rows, {train.Count(r => r.Hazard):N0} hazardous");
        var view = ml.Data.LoadFromEnumerable(Weighted(train, r => r.Hazard, 1).ToList());
        var model = ml.BinaryClassification.Trainers.FastTree(options).Fit(view);
        progress?.Invoke($"scoring {heldOut.Count:N0} held-out rows");
        var risk = Predict(ml, model, view.Schema, heldOut);
        var anomalous = new bool[heldOut.Count];
        var threshold = Thresholds.FirstOrDefault(t => RiskMetrics.FalseAlarms(heldOut, RiskMetrics.Warnings(heldOut, risk, t)) is var (n, h) && h > 0 && n / h * 1000 <= TargetFalseAlarmsPer1000SensorHours, 0.99);
        var evaluation = RiskMetrics.Evaluate(heldOut, risk, anomalous, threshold);
        var card = new ModelCard
        {
            Name = "risk",
            Version = version,
            Kind = "risk",
            FeatureSchemaHash = FeatureSchema.Hash,
            Features = FeatureSchema.Names,
            Trainer = "FastTreeBinary (Microsoft.ML.FastTree), Platt-calibrated",
            Parameters = new Dictionary<string, double>
            {
                ["numberOfTrees"] = options.NumberOfTrees,
                ["numberOfLeaves"] = options.NumberOfLeaves,
                ["minimumExampleCountPerLeaf"] = options.MinimumExampleCountPerLeaf,
                ["learningRate"] = options.LearningRate,
                ["labelFromHazardShare"] = 0.02,
            },
            Threshold = threshold,
            Data = data with { HeldOut = heldOut.Count },
            Metrics = Figures(evaluation),
            Created = time.GetUtcNow(),
            Seed = seed,
        };
        return new TrainedModel(ml, model, view.Schema, card);
    }

    public static TrainedModel TrainAnomaly(IReadOnlyList<DataRow> rows, string version, int seed, TrainingData data, TimeProvider time, Action<string>? progress = null)
    {
        var (train, heldOut) = Split(rows);
        var ml = new MLContext(seed);
        var options = new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            ExampleWeightColumnName = nameof(FeatureRow.Weight),
            NumberOfTrees = 50,
            NumberOfLeaves = 20,
            MinimumExampleCountPerLeaf = 5,
            LearningRate = 0.3,
            NumberOfThreads = 1,
            Seed = seed,
        };
        progress?.Invoke($"training the sensor-fault detector (FastTree, {options.NumberOfTrees} trees) on {train.Count:N0} rows, {train.Count(r => Dataset.IsFaultEvent(r.Event)):N0} in injected faults");
        var view = ml.Data.LoadFromEnumerable(Weighted(train, r => Dataset.IsFaultEvent(r.Event), 3).ToList());
        var model = ml.BinaryClassification.Trainers.FastTree(options).Fit(view);
        var held = Predict(ml, model, view.Schema, heldOut);
        // The threshold: a calibrated probability of one half. (Readings just after a fault, whose windows still hold
        // it, look like faults too: a stricter quantile of "normal" readings would flag nothing.)
        var normal = heldOut.Select((r, i) => (r, i)).Where(x => x.r.Event == "none").Select(x => held[x.i]).ToArray();
        const double threshold = 0.5;
        var flagged = held.Select(p => p > threshold).ToArray();
        var faultRows = heldOut.Select((r, i) => (r, i)).Where(x => Dataset.IsFaultEvent(x.r.Event)).ToList();
        var (faults, health, _) = RiskMetrics.Faults(heldOut, new bool[heldOut.Count], flagged);
        var card = new ModelCard
        {
            Name = "anomaly",
            Version = version,
            Kind = "anomaly",
            FeatureSchemaHash = FeatureSchema.Hash,
            Features = FeatureSchema.Names,
            Trainer = "FastTreeBinary (Microsoft.ML.FastTree) on readings of injected sensor faults (stuck, dropout, spike, drift) against the rest",
            Parameters = new Dictionary<string, double>
            {
                ["numberOfTrees"] = options.NumberOfTrees,
                ["numberOfLeaves"] = options.NumberOfLeaves,
                ["minimumExampleCountPerLeaf"] = options.MinimumExampleCountPerLeaf,
                ["learningRate"] = options.LearningRate,
            },
            Threshold = threshold,
            Data = data with { HeldOut = heldOut.Count, Positives = train.Count(r => Dataset.IsFaultEvent(r.Event)) },
            Metrics = new Dictionary<string, double>
            {
                ["heldOutNormalFlaggedShare"] = normal.Length == 0 ? 0 : Math.Round(normal.Count(p => p > threshold) / (double)normal.Length, 6),
                ["heldOutFaultRowsFlaggedShare"] = faultRows.Count == 0 ? 0 : Math.Round(faultRows.Count(x => flagged[x.i]) / (double)faultRows.Count, 4),
                ["heldOutFaults"] = faults,
                ["heldOutFaultsSeenAsHealth"] = health,
            },
            Created = time.GetUtcNow(),
            Seed = seed,
        };
        return new TrainedModel(ml, model, view.Schema, card);
    }

    public static double[] Predict(MLContext ml, ITransformer model, DataViewSchema schema, IReadOnlyList<DataRow> rows)
    {
        var engine = ml.Model.CreatePredictionEngine<FeatureRow, RiskOutput>(model, schema);
        var input = new FeatureRow();
        var output = new RiskOutput();
        var result = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            input.Features = rows[i].Features;
            engine.Predict(input, ref output);
            result[i] = float.IsFinite(output.Probability) ? output.Probability : 0;
        }

        return result;
    }

    public static Dictionary<string, double> Figures(RiskEvaluation e) => new()
    {
        ["prAuc"] = Math.Round(e.PrAuc, 4),
        ["rocAuc"] = Math.Round(e.RocAuc, 4),
        ["precision"] = Math.Round(e.Confusion.Precision, 4),
        ["recall"] = Math.Round(e.Confusion.Recall, 4),
        ["falseAlarmsPer1000SensorHours"] = Math.Round(e.FalseAlarmsPer1000SensorHours, 3),
        ["medianLeadSecondsLeakRamp"] = Math.Round(e.MedianLeadSecondsLeakRamp, 1),
        ["medianLeadSecondsAllHazards"] = Math.Round(e.MedianLeadSecondsAllHazards, 1),
        ["faultsAsHealthShare"] = Math.Round(e.FaultsAsHealthShare, 4),
        ["rows"] = e.Rows,
    };
}
