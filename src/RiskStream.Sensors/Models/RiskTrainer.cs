using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>
/// Trains the two models with a fixed seed: the <b>risk</b> classifier (FastTree gradient-boosted trees, binary, with
/// Platt calibration: its probability is the risk) and the <b>anomaly</b> detector (FastTree trained on the readings of
/// injected sensor faults against everything else: what it flags is a sensor-health matter, not a hazard; randomized
/// PCA on normal operation was tried first and flagged 0.3 % of fault readings). The last fifth of the data (by time)
/// is held out: the card's metrics come from it (the risk model's at its operating threshold, <see cref="DefaultThreshold"/>
/// unless given).
/// </summary>
public static class RiskTrainer
{
    /// <summary>
    /// The default operating threshold: chosen on six validation sets (seeds 2–7, 6 simulated hours each) as the one
    /// with the fewest false warnings whose median lead on leak ramps stays at 30 s or more on every set (README,
    /// Training). The held-out fifth of one training set is too small to choose by: one false warning moves its rate by
    /// two per 1,000 sensor-hours.
    /// </summary>
    public const double DefaultThreshold = 0.99;

    private static readonly double[] Thresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99];

    /// <summary>
    /// Rows of normal operation whose window still holds an event that just ended on the same sensor (within a minute):
    /// of a hazard for the risk model, of any event for the fault detector. Neither clearly normal nor the event, so
    /// left out of training (not of evaluation). The risk model does learn from the minute after a fault: a drift
    /// snapping back or a stuck sensor resuming is a jump it must not take for a hazard.
    /// </summary>
    public static bool[] Aftermath(IReadOnlyList<DataRow> rows, Func<string, bool> counts)
    {
        var after = new bool[rows.Count];
        foreach (var sensor in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Sensor))
        {
            var lastEventMs = long.MinValue;
            foreach (var i in sensor.OrderBy(i => rows[i].TsMs))
            {
                if (rows[i].Event != "none")
                {
                    lastEventMs = counts(rows[i].Event) ? rows[i].TsMs : lastEventMs;
                }
                else if (lastEventMs != long.MinValue && rows[i].TsMs - lastEventMs <= RiskMetrics.RearmMs)
                {
                    after[i] = true;
                }
            }
        }

        return after;
    }

    /// <summary>
    /// Training rows with weights, aftermath rows left out. The fault detector weights fault readings up so rare, short
    /// faults count (a spike is one reading); weighting them up for the risk model too was tried and gave no fewer false
    /// warnings.
    /// </summary>
    private static IEnumerable<FeatureRow> Weighted(List<DataRow> rows, Func<DataRow, bool> label, Func<DataRow, float> weight, Func<string, bool> aftermathOf)
    {
        var after = Aftermath(rows, aftermathOf);
        for (var i = 0; i < rows.Count; i++)
        {
            if (!after[i])
            {
                yield return new FeatureRow { Features = rows[i].Features, Label = label(rows[i]), Weight = weight(rows[i]) };
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

    /// <summary>The risk classifier's trainer options (its card records them; a test checks the shipped card against them).</summary>
    public static FastTreeBinaryTrainer.Options RiskOptions(int seed) => Options(seed, trees: 80, leaves: 20, minimumPerLeaf: 20, learningRate: 0.25);

    /// <summary>The fault detector's trainer options.</summary>
    public static FastTreeBinaryTrainer.Options AnomalyOptions(int seed) => Options(seed, trees: 50, leaves: 20, minimumPerLeaf: 5, learningRate: 0.3);

    /// <summary>The options as a card records them.</summary>
    public static Dictionary<string, double> Parameters(FastTreeBinaryTrainer.Options options) => new()
    {
        ["numberOfTrees"] = options.NumberOfTrees,
        ["numberOfLeaves"] = options.NumberOfLeaves,
        ["minimumExampleCountPerLeaf"] = options.MinimumExampleCountPerLeaf,
        ["learningRate"] = options.LearningRate,
    };

    /// <summary>
    /// Progress while FastTree trains: it traces one "numTotalTrees left" line per boosting iteration on its channel;
    /// every tenth tree is reported. (A trace line, not an API: if a version stops writing it, training just reports less.)
    /// </summary>
    private static void ReportTrees(MLContext ml, int trees, Action<string>? progress)
    {
        if (progress is null)
        {
            return;
        }

        var built = 0;
        ml.Log += (_, e) =>
        {
            if (e.Message.Contains("numTotalTrees left", StringComparison.Ordinal) && ++built % 10 == 0)
            {
                progress($"tree {built} of {trees}");
            }
        };
    }

    // One thread and the seed: training is reproducible.
    private static FastTreeBinaryTrainer.Options Options(int seed, int trees, int leaves, int minimumPerLeaf, double learningRate) => new()
    {
        LabelColumnName = nameof(FeatureRow.Label),
        FeatureColumnName = nameof(FeatureRow.Features),
        ExampleWeightColumnName = nameof(FeatureRow.Weight),
        NumberOfTrees = trees,
        NumberOfLeaves = leaves,
        MinimumExampleCountPerLeaf = minimumPerLeaf,
        LearningRate = learningRate,
        NumberOfThreads = 1,
        Seed = seed,
    };

    public static TrainedModel TrainRisk(IReadOnlyList<DataRow> rows, string version, int seed, TrainingData data, TimeProvider time, Action<string>? progress = null, double threshold = DefaultThreshold)
    {
        var (train, heldOut) = Split(rows);
        var ml = new MLContext(seed);
        var options = RiskOptions(seed);
        ReportTrees(ml, options.NumberOfTrees, progress);
        progress?.Invoke($"training FastTree ({options.NumberOfTrees} trees, {options.NumberOfLeaves} leaves) on {train.Count:N0} rows, {train.Count(r => r.Hazard):N0} hazardous");
        var view = ml.Data.LoadFromEnumerable(Weighted(train, r => r.Hazard, _ => 1, Dataset.IsHazardEvent).ToList());
        var model = ml.BinaryClassification.Trainers.FastTree(options).Fit(view);
        progress?.Invoke($"scoring {heldOut.Count:N0} held-out rows");
        var risk = Predict(ml, model, view.Schema, heldOut).Select((p, i) => MlRiskModel.Evidenced(p, heldOut[i].Features)).ToArray();
        var anomalous = new bool[heldOut.Count];
        OperatingCurve(heldOut, risk, progress);
        var evaluation = RiskMetrics.Evaluate(heldOut, risk, anomalous, threshold);
        var card = new ModelCard
        {
            Name = "risk",
            Version = version,
            Kind = "risk",
            FeatureSchemaHash = FeatureSchema.Hash,
            Features = FeatureSchema.Names,
            Trainer = "FastTreeBinary (Microsoft.ML.FastTree), Platt-calibrated",
            Parameters = new Dictionary<string, double>(Parameters(options)) { ["labelFromHazardShare"] = 0.02, ["minExcess"] = Math.Round(MlRiskModel.MinExcess, 4), ["warnAfterMs"] = RiskMetrics.WarnAfterMs },
            Threshold = threshold,
            Data = data with { HeldOut = heldOut.Count },
            Metrics = Figures(evaluation),
            Created = time.GetUtcNow(),
            Seed = seed,
            Distributions = FeatureDistribution.Of(train),
        };
        return new TrainedModel(ml, model, view.Schema, card);
    }

    /// <summary>False warnings and lead at each candidate threshold on the held-out rows, to progress: the operating curve.</summary>
    private static void OperatingCurve(IReadOnlyList<DataRow> heldOut, IReadOnlyList<double> risk, Action<string>? progress)
    {
        foreach (var t in progress is null ? [] : Thresholds)
        {
            var warnings = RiskMetrics.Warnings(heldOut, risk, t);
            var (episodes, hours) = RiskMetrics.FalseWarnings(heldOut, warnings);
            var lead = RiskMetrics.Median(RiskMetrics.LeadTimes(heldOut, warnings).Where(l => l.Event == "leak_ramp").Select(l => l.Seconds));
            progress!(FormattableString.Invariant($"held out at threshold {t}: {episodes.Count} false warnings in {hours:F0} sensor-hours (risk model alone, no fault detector), median lead {lead:F1} s on leak ramps"));
        }
    }

    public static TrainedModel TrainAnomaly(IReadOnlyList<DataRow> rows, string version, int seed, TrainingData data, TimeProvider time, Action<string>? progress = null)
    {
        var (train, heldOut) = Split(rows);
        var ml = new MLContext(seed);
        var options = AnomalyOptions(seed);
        ReportTrees(ml, options.NumberOfTrees, progress);
        progress?.Invoke($"training the sensor-fault detector (FastTree, {options.NumberOfTrees} trees) on {train.Count:N0} rows, {train.Count(r => Dataset.IsFaultEvent(r.Event)):N0} in injected faults");
        var view = ml.Data.LoadFromEnumerable(Weighted(train, r => Dataset.IsFaultEvent(r.Event), r => !Dataset.IsFaultEvent(r.Event) ? 1 : r.Event.StartsWith("spike", StringComparison.Ordinal) ? 60 : 3, _ => true).ToList());
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
            Parameters = Parameters(options),
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
