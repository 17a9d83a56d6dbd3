using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>
/// The figures of a risk model on labelled rows: PR-AUC (average precision) and ROC-AUC of the reading-level labels;
/// precision, recall and the confusion matrix at the operating threshold; false hazard warnings (the model warning at
/// a site where no hazard is under way, after at least a minute quiet) per 1,000 sensor-hours; lead time before the
/// national second-level alarm for each hazard that reached it; and injected sensor faults reported as sensor health
/// (anomalous, stuck or stale at some reading of the fault) and not as a hazard. The model warns on
/// risk at or above the threshold for <see cref="WarnAfterMs"/>.
/// </summary>
public static class RiskMetrics
{
    /// <summary>A warning episode ends after this long below the threshold.</summary>
    public const long RearmMs = 60_000;

    /// <summary>
    /// The model warns when a sensor's risk has stayed at or above the threshold for this long (every reading since the
    /// first at or above it), as the scenarios' risk conditions do (<c>{ signal: risk, atLeast: THRESHOLD, for: 5s }</c>;
    /// a test holds them together). False warnings and lead times are both counted from it. Five seconds is one reading
    /// of the slowest reporting period; ten gave a quarter fewer false warnings and 5 s less lead.
    /// </summary>
    public const long WarnAfterMs = 5_000;

    /// <summary>For each row, whether the model is warning there (its sensor's risk at or above the threshold for <see cref="WarnAfterMs"/>).</summary>
    public static bool[] Warnings(IReadOnlyList<DataRow> rows, IReadOnlyList<double> risk, double threshold)
    {
        var warning = new bool[rows.Count];
        foreach (var sensor in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Sensor))
        {
            var since = long.MinValue;
            foreach (var i in sensor.OrderBy(i => rows[i].TsMs))
            {
                since = risk[i] < threshold ? long.MinValue : since == long.MinValue ? rows[i].TsMs : since;
                warning[i] = since != long.MinValue && rows[i].TsMs - since >= WarnAfterMs;
            }
        }

        return warning;
    }

    public static RiskEvaluation Evaluate(IReadOnlyList<DataRow> rows, IReadOnlyList<double> risk, IReadOnlyList<bool> anomalous, double threshold)
    {
        // A reading the anomaly detector takes for a sensor fault is not hazard evidence (the pipeline does the same;
        // the national setpoints stay the floor there).
        risk = risk.Select((r, i) => anomalous[i] ? 0 : r).ToArray();
        var scored = rows.Select((r, i) => (Score: risk[i], Label: r.Hazard)).ToArray();
        var confusion = ConfusionAt(scored, threshold);
        var warnings = Warnings(rows, risk, threshold);
        var (falseAlarms, sensorHours) = FalseWarnings(rows, warnings);
        var leads = LeadTimes(rows, warnings);
        var (faults, health, hazard) = Faults(rows, warnings, anomalous);
        return new RiskEvaluation(
            rows.Count,
            scored.Count(s => s.Label),
            AveragePrecision(scored),
            RocAuc(scored),
            threshold,
            confusion,
            sensorHours,
            falseAlarms.Select(i => new FalseWarning(rows[i].TsMs, rows[i].Site, rows[i].Sensor, rows[i].Kind, rows[i].Value, risk[i])).ToList(),
            sensorHours > 0 ? falseAlarms.Count / sensorHours * 1000 : 0,
            leads,
            Median(leads.Where(l => l.Event == "leak_ramp").Select(l => l.Seconds)),
            Median(leads.Select(l => l.Seconds)),
            faults,
            health,
            hazard,
            PrCurve(scored),
            Calibration(scored));
    }

    /// <summary>Average precision: Σ (Rₖ − Rₖ₋₁)·Pₖ over the scores in falling order (ties taken together).</summary>
    public static double AveragePrecision(IReadOnlyList<(double Score, bool Label)> scored)
    {
        var positives = scored.Count(s => s.Label);
        if (positives == 0)
        {
            return 0;
        }

        double ap = 0, previousRecall = 0;
        long tp = 0, seen = 0;
        foreach (var group in scored.GroupBy(s => s.Score).OrderByDescending(g => g.Key))
        {
            foreach (var s in group)
            {
                seen++;
                tp += s.Label ? 1 : 0;
            }

            var recall = (double)tp / positives;
            ap += (recall - previousRecall) * ((double)tp / seen);
            previousRecall = recall;
        }

        return ap;
    }

    /// <summary>Area under the ROC curve by the rank sum (ties get their average rank).</summary>
    public static double RocAuc(IReadOnlyList<(double Score, bool Label)> scored)
    {
        long positives = scored.Count(s => s.Label), negatives = scored.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return 0;
        }

        double rankSum = 0;
        long rank = 0;
        foreach (var group in scored.GroupBy(s => s.Score).OrderBy(g => g.Key))
        {
            var count = group.Count();
            var average = rank + ((count + 1) / 2.0);
            rankSum += average * group.Count(s => s.Label);
            rank += count;
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    public static Confusion ConfusionAt(IReadOnlyList<(double Score, bool Label)> scored, double threshold)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var (score, label) in scored)
        {
            var predicted = score >= threshold;
            (tp, fp, tn, fn) = (predicted, label) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        return new Confusion(tp, fp, tn, fn);
    }

    /// <summary>
    /// False hazard warnings, as the row of each episode's first warning (in time order): episodes of a sensor warning
    /// at a site where no hazard is under way (a warning is for its site: a neighbour of a leaking detector warning is
    /// not false). A hazard is under way at a site from the first reading of the event to a window length after its
    /// last, and at every reading labelled hazardous. Also the sensor-hours observed (<see cref="ObservedMs"/>).
    /// </summary>
    public static (List<int> Episodes, double SensorHours) FalseWarnings(IReadOnlyList<DataRow> rows, IReadOnlyList<bool> warnings)
    {
        var hazards = rows.Where(r => r.EventId >= 0 && Dataset.IsHazardEvent(r.Event))
            .GroupBy(r => r.EventId)
            .Select(g => (Site: g.First().Site, From: g.Min(r => r.TsMs), To: g.Max(r => r.TsMs) + RearmMs))
            .GroupBy(h => h.Site)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        // A reading labelled hazardous is under way whatever its event column says: a fault on a sensor during a
        // hazard (a drift over an overpressure) takes the event column, and the hazard still shows in the label.
        bool UnderWay(DataRow r) => r.Hazard || (hazards.TryGetValue(r.Site, out var spans) && spans.Any(h => r.TsMs >= h.From && r.TsMs <= h.To));

        var episodes = new List<int>();
        double hours = 0;
        foreach (var sensor in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Sensor))
        {
            var indices = sensor.OrderBy(i => rows[i].TsMs).ToArray();
            hours += ObservedMs(rows, indices) / 3_600_000.0;
            var lastAboveMs = long.MinValue;
            foreach (var i in indices)
            {
                if (!warnings[i] || UnderWay(rows[i]))
                {
                    continue;
                }

                if (lastAboveMs == long.MinValue || rows[i].TsMs - lastAboveMs > RearmMs)
                {
                    episodes.Add(i);
                }

                lastAboveMs = rows[i].TsMs;
            }
        }

        episodes.Sort((a, b) => rows[a].TsMs.CompareTo(rows[b].TsMs));
        return (episodes, hours);
    }

    /// <summary>
    /// How long a sensor was observed: the gaps between its consecutive readings, those longer than a window (a dropout,
    /// or the time between two blocks of a dataset) left out: a sensor that is not reporting cannot warn.
    /// </summary>
    public static long ObservedMs(IReadOnlyList<DataRow> rows, IReadOnlyList<int> ordered)
    {
        long observed = 0;
        for (var k = 1; k < ordered.Count; k++)
        {
            var gap = rows[ordered[k]].TsMs - rows[ordered[k - 1]].TsMs;
            observed += gap <= RearmMs ? gap : 0;
        }

        return observed;
    }

    /// <summary>Per hazard that reached the second-level alarm: how long before it the model first warned.</summary>
    public static List<LeadTime> LeadTimes(IReadOnlyList<DataRow> rows, IReadOnlyList<bool> warnings)
    {
        var result = new List<LeadTime>();
        foreach (var e in Enumerable.Range(0, rows.Count).Where(i => rows[i].EventId >= 0 && Dataset.IsHazardEvent(rows[i].Event) && !Dataset.IsCutOff(rows[i].Event)).GroupBy(i => rows[i].EventId))
        {
            var second = e.Where(i => rows[i].Alarm >= 2).Select(i => rows[i].TsMs).DefaultIfEmpty(long.MaxValue).Min();
            if (second == long.MaxValue)
            {
                continue;
            }

            var model = e.Where(i => warnings[i]).Select(i => rows[i].TsMs).DefaultIfEmpty(long.MaxValue).Min();
            var lead = model < second ? (second - model) / 1000.0 : 0;
            result.Add(new LeadTime(e.Key, rows[e.First()].Event.TrimEnd('~'), lead, model < second));
        }

        return result;
    }

    /// <summary>Injected faults; those seen as sensor health (anomalous, stuck or stale) at some reading; those the model took for a hazard.</summary>
    public static (int Faults, int Health, int Hazard) Faults(IReadOnlyList<DataRow> rows, IReadOnlyList<bool> warnings, IReadOnlyList<bool> anomalous)
    {
        int faults = 0, health = 0, hazard = 0;
        foreach (var e in Enumerable.Range(0, rows.Count).Where(i => rows[i].EventId >= 0 && Dataset.IsFaultEvent(rows[i].Event) && !Dataset.IsCutOff(rows[i].Event)).GroupBy(i => rows[i].EventId))
        {
            faults++;
            var asHazard = e.Any(i => warnings[i]);
            var asHealth = e.Any(i => anomalous[i] || IsStuck(rows[i]) || IsStale(rows[i]));
            hazard += asHazard ? 1 : 0;
            health += asHealth && !asHazard ? 1 : 0;
        }

        return (faults, health, hazard);
    }

    /// <summary>What the scenario engine's <c>flat</c> signal sees: five or more readings in the window, all equal.</summary>
    public static bool IsStuck(DataRow row) => row.Features[FeatureSchema.Index.Count] >= 5 && row.Features[FeatureSchema.Index.Std] == 0;

    /// <summary>What the <c>stale</c> signal sees: 30 s or more since the sensor's previous reading.</summary>
    public static bool IsStale(DataRow row) => row.Features[FeatureSchema.Index.SinceLastS] >= 30;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static List<(double Recall, double Precision)> PrCurve(IReadOnlyList<(double Score, bool Label)> scored)
    {
        var positives = scored.Count(s => s.Label);
        var curve = new List<(double, double)>();
        long tp = 0, seen = 0;
        foreach (var group in scored.GroupBy(s => Math.Round(s.Score, 3)).OrderByDescending(g => g.Key))
        {
            foreach (var s in group)
            {
                seen++;
                tp += s.Label ? 1 : 0;
            }

            curve.Add((positives == 0 ? 0 : (double)tp / positives, (double)tp / seen));
        }

        return curve;
    }

    private static List<(double Predicted, double Observed, long Count)> Calibration(IReadOnlyList<(double Score, bool Label)> scored) =>
        scored.GroupBy(s => Math.Min(9, (int)(s.Score * 10)))
            .OrderBy(g => g.Key)
            .Select(g => (g.Average(s => s.Score), g.Average(s => s.Label ? 1.0 : 0.0), (long)g.Count()))
            .ToList();
}
