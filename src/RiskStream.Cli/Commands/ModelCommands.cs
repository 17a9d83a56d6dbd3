using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Models;
using RiskStream.Simulation;

namespace RiskStream.Cli.Commands;

/// <summary>
/// The model lifecycle at the command line: <c>dataset</c>, <c>train</c>, <c>evaluate</c>, <c>models list|use</c>.
/// </summary>
internal static class ModelCommands
{
    private static readonly double[] Periods = [1, 2, 5];

    /// <summary>Datasets start on this day (UTC) so a seed always gives the same rows.</summary>
    public static readonly DateTimeOffset DatasetDay = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// <c>dataset --out FILE [--hours N] [--seed N]</c>: N hours of the simulated park as half-hour blocks spread over a
    /// day (so the daily cycle is all there), each reading a labelled row.
    /// </summary>
    public static int Dataset(ProcessHost host)
    {
        var options = RiskStreamOptions.Read(host.Settings);
        var output = host.Cli.Value("--out") ?? throw new OptionsException("usage: riskstream dataset --out FILE.csv|FILE.parquet [--hours 2] [--seed N]");
        var hours = ParseDouble(host.Cli.Value("--hours"), 2, 0.05, 48, "--hours");
        var registry = ParkRegistry.Load(options.RegistryPath);
        // No demonstration hazard at the start of each block: events come from the schedule alone.
        var simulation = options.Simulation with { DemoHazard = false };
        var blocks = Math.Max(1, (int)Math.Round(hours * 2));
        var blockLength = TimeSpan.FromHours(hours / blocks);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long rows = 0;
        IEnumerable<Sensors.Models.DataRow> Blocks()
        {
            for (var b = 0; b < blocks; b++)
            {
                var start = DatasetDay + TimeSpan.FromHours(24.0 * b / blocks);
                // Sensors report every 1, 2 or 5 s, block by block: the models must not depend on one reporting period.
                var period = Periods[b % Periods.Length];
                var sensors = options.Simulation.Sites > 0 ? registry.SiteList.Take(options.Simulation.Sites).Sum(s => s.Sensors.Count) : registry.SensorCount;
                var block = b;
                foreach (var row in DatasetWriter.Rows(registry, simulation with { Seed = options.Simulation.Seed + (b * 7919), RatePerSecond = sensors / period }, start, blockLength, options.Pipeline.Window, (t, _) => host.Log.LogInformation("dataset: block {Block}/{Blocks}, {Minutes:F0} simulated minutes, {Rows:N0} rows", block + 1, blocks, t.TotalMinutes, rows), eventIdBase: b * 100_000))
                {
                    rows++;
                    yield return row;
                }
            }
        }

        if (Sensors.Models.ParquetDataset.IsParquet(output))
        {
            Sensors.Models.ParquetDataset.WriteAsync(Blocks(), output).GetAwaiter().GetResult();
        }
        else
        {
            using var writer = new StreamWriter(output, false, new System.Text.UTF8Encoding(false), 1 << 16);
            DatasetWriter.WriteHeader(writer);
            var line = new System.Text.StringBuilder(256);
            foreach (var row in Blocks())
            {
                DatasetWriter.WriteRow(writer, row, line);
            }
        }

        host.Log.LogInformation("dataset: {Rows:N0} rows in {Seconds:F1} s", rows, clock.Elapsed.TotalSeconds);
        Console.Out.WriteLine($"wrote {rows:N0} rows ({hours} simulated hours in {blocks} blocks over a day, sensors reporting every 1, 2 or 5 s, seed {options.Simulation.Seed}) to {output}");
        return 0;
    }

    /// <summary><c>train risk|anomaly --data FILE --out DIR [--seed N] [--use]</c>.</summary>
    public static int Train(ProcessHost host)
    {
        var options = RiskStreamOptions.Read(host.Settings);
        if (host.Cli.Arguments is not [var kind] || kind is not ("risk" or "anomaly"))
        {
            throw new OptionsException("usage: riskstream train risk|anomaly --data FILE --out models/<name>/<version> [--seed N] [--threshold T (risk)] [--use]");
        }

        var data = host.Cli.Value("--data") ?? throw new OptionsException("train needs --data FILE (see riskstream dataset)");
        var output = host.Cli.Value("--out") ?? throw new OptionsException("train needs --out models/<name>/<version>");
        var version = Path.GetFileName(Path.TrimEndingDirectorySeparator(output));
        var rows = ReadData(data, host);
        var seed = options.Simulation.Seed;
        var trainingData = new TrainingData(Path.GetFileName(data), Sensors.Models.Dataset.Fingerprint(data), rows.Count, rows.Count(r => r.Hazard), 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Progress(string m) => host.Log.LogInformation("train {Kind}: {Message} ({Seconds:F1} s)", kind, m, clock.Elapsed.TotalSeconds);
        var trained = kind == "risk"
            ? RiskTrainer.TrainRisk(rows, version, seed, trainingData, TimeProvider.System, Progress, Threshold(host, RiskTrainer.DefaultThreshold))
            : RiskTrainer.TrainAnomaly(rows, version, seed, trainingData, TimeProvider.System, Progress);
        LoadedModel.Save(trained, output);
        Console.Out.WriteLine($"{trained.Card.Tag}: {output} in {clock.Elapsed.TotalSeconds:F1} s; threshold {trained.Card.Threshold.ToString("G4", CultureInfo.InvariantCulture)}; held out: {string.Join(", ", trained.Card.Metrics.Select(m => $"{m.Key} {m.Value.ToString("G4", CultureInfo.InvariantCulture)}"))}");
        if (host.Cli.Has("--use"))
        {
            var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(output)))!;
            new ModelRegistry(root).SetCurrent(kind, version);
            Console.Out.WriteLine($"{kind}/current = {version}");
        }

        return 0;
    }

    /// <summary>The operating threshold of <c>--threshold T</c>, in (0, 1].</summary>
    private static double Threshold(ProcessHost host, double otherwise) => host.Cli.Value("--threshold") is { } t
        ? double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var chosen) && chosen is > 0 and <= 1 ? chosen : throw new OptionsException($"--threshold '{t}': expected a number in (0, 1]")
        : otherwise;

    /// <summary><c>evaluate --model DIR --data FILE [--anomaly DIR] [--threshold T] [--json] [--plot DIR]</c>.</summary>
    public static int Evaluate(ProcessHost host)
    {
        var options = RiskStreamOptions.Read(host.Settings);
        var modelDir = host.Cli.Value("--model") ?? throw new OptionsException("usage: riskstream evaluate --model DIR --data FILE [--anomaly DIR] [--threshold T] [--json] [--plot DIR]");
        var data = host.Cli.Value("--data") ?? throw new OptionsException("evaluate needs --data FILE");
        LoadedModel risk;
        LoadedModel? anomaly;
        try
        {
            risk = LoadedModel.Load(modelDir, "risk");
            var registry = new ModelRegistry(options.ModelsPath);
            var anomalyDir = host.Cli.Value("--anomaly") ?? (registry.Current("anomaly") is { } v ? registry.Folder("anomaly", v) : null);
            anomaly = anomalyDir is null ? null : LoadedModel.Load(anomalyDir, "anomaly");
        }
        catch (ModelRefusedException refused)
        {
            throw new OptionsException(refused.Message);
        }

        var threshold = Threshold(host, risk.Card.Threshold);
        var rows = ReadData(data, host);
        var riskEngine = risk.RiskEngine();
        var anomalyEngine = anomaly?.AnomalyEngine();
        var p = new double[rows.Count];
        var flagged = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            p[i] = MlRiskModel.Evidenced(riskEngine.Predict(rows[i].Features), rows[i].Features);
            flagged[i] = anomalyEngine is not null && rows[i].Features[Sensors.Features.FeatureSchema.Index.Count] >= MlRiskModel.WarmReadings && anomalyEngine.Predict(rows[i].Features) > anomaly!.Card.Threshold;
        }

        var e = RiskMetrics.Evaluate(rows, p, flagged, threshold);
        if (host.Cli.Value("--plot") is { } plots)
        {
            EvaluationPlots.Write(plots, risk.Card.Tag, e);
            host.Log.LogInformation("evaluate: plots written to {Folder}", plots);
        }

        if (host.Cli.Has("--json"))
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = risk.Card.Tag,
                anomaly = anomaly?.Card.Tag,
                data = Path.GetFileName(data),
                rows = e.Rows,
                positives = e.Positives,
                prAuc = Math.Round(e.PrAuc, 4),
                rocAuc = Math.Round(e.RocAuc, 4),
                threshold = e.Threshold,
                precision = Math.Round(e.Confusion.Precision, 4),
                recall = Math.Round(e.Confusion.Recall, 4),
                confusion = new { tp = e.Confusion.TruePositives, fp = e.Confusion.FalsePositives, tn = e.Confusion.TrueNegatives, fn = e.Confusion.FalseNegatives },
                sensorHours = Math.Round(e.SensorHours, 1),
                falseAlarms = e.FalseAlarms,
                falseAlarmsPer1000SensorHours = Math.Round(e.FalseAlarmsPer1000SensorHours, 3),
                falseWarnings = e.FalseWarnings.Select(f => new { ts = DateTimeOffset.FromUnixTimeMilliseconds(f.TsMs), site = f.Site, sensor = f.Sensor, kind = f.Kind, value = f.Value, risk = Math.Round(f.Risk, 4) }),
                hazardsReachingSecondLevel = e.LeadTimes.Count,
                leakRampsReachingSecondLevel = e.LeadTimes.Count(l => l.Event == "leak_ramp"),
                medianLeadSecondsLeakRamp = Math.Round(e.MedianLeadSecondsLeakRamp, 1),
                medianLeadSecondsAllHazards = Math.Round(e.MedianLeadSecondsAllHazards, 1),
                modelFirstShare = e.LeadTimes.Count == 0 ? 0 : Math.Round(e.LeadTimes.Count(l => l.ModelFirst) / (double)e.LeadTimes.Count, 4),
                faults = e.Faults,
                faultsAsHealth = e.FaultsReportedAsHealth,
                faultsAsHazard = e.FaultsReportedAsHazard,
                faultsAsHealthShare = Math.Round(e.FaultsAsHealthShare, 4),
            }));
        }
        else
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                {risk.Card.Tag}{(anomaly is null ? "" : " with " + anomaly.Card.Tag)} on {Path.GetFileName(data)}: {e.Rows:N0} rows, {e.Positives:N0} hazardous, {e.SensorHours:F1} sensor-hours
                PR-AUC {e.PrAuc:F4}   ROC-AUC {e.RocAuc:F4}   (bar PR-AUC ≥ 0.95)
                at threshold {e.Threshold}: precision {e.Confusion.Precision:F4}, recall {e.Confusion.Recall:F4}
                confusion: TP {e.Confusion.TruePositives:N0}  FP {e.Confusion.FalsePositives:N0}  TN {e.Confusion.TrueNegatives:N0}  FN {e.Confusion.FalseNegatives:N0}
                false hazard warnings: {e.FalseAlarms} = {e.FalseAlarmsPer1000SensorHours:F2} per 1,000 sensor-hours (bar ≤ 1)
                lead time before the second-level alarm: median {e.MedianLeadSecondsLeakRamp:F1} s on {e.LeadTimes.Count(l => l.Event == "leak_ramp")} leak ramps (bar ≥ 30 s), {e.MedianLeadSecondsAllHazards:F1} s on all {e.LeadTimes.Count} hazards reaching it; model first on {e.LeadTimes.Count(l => l.ModelFirst)}
                sensor faults: {e.FaultsReportedAsHealth} of {e.Faults} reported as sensor health and not as hazards ({e.FaultsAsHealthShare:P1}, bar ≥ 95 %); {e.FaultsReportedAsHazard} taken for hazards
                """));
            foreach (var f in e.FalseWarnings.Take(20))
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  false warning at {DateTimeOffset.FromUnixTimeMilliseconds(f.TsMs):yyyy-MM-dd HH:mm:ss}: {f.Site}/{f.Sensor} ({f.Kind}) value {f.Value:G5}, risk {f.Risk:F4}"));
            }
        }

        return 0;
    }

    /// <summary><c>models list [--json]</c> and <c>models use NAME VERSION</c>.</summary>
    public static int Models(ProcessHost host)
    {
        var options = RiskStreamOptions.Read(host.Settings);
        var registry = new ModelRegistry(options.ModelsPath);
        switch (host.Cli.Arguments)
        {
            case ["list"]:
                var all = registry.List().ToList();
                if (host.Cli.Has("--json"))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(all.Select(m => new { name = m.Name, version = m.Version, current = m.Current, schema = m.Card?.FeatureSchemaHash, threshold = m.Card?.Threshold, created = m.Card?.Created, metrics = m.Card?.Metrics })));
                    return 0;
                }

                Console.Out.WriteLine($"model registry {options.ModelsPath} (feature schema {Sensors.Features.FeatureSchema.Hash}):");
                foreach (var (name, version, card, current) in all)
                {
                    var metrics = card is null ? "card unreadable" : string.Join(", ", card.Metrics.Where(m => m.Key != "rows").Select(m => $"{m.Key} {m.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
                    Console.Out.WriteLine($"  {(current ? "*" : " ")} {$"{name}/{version}",-24} {(card?.FeatureSchemaHash == Sensors.Features.FeatureSchema.Hash ? "" : "OTHER SCHEMA ")}{card?.Created:yyyy-MM-dd HH:mm}  {metrics}");
                }

                return 0;
            case ["use", var name, var version]:
                try
                {
                    LoadedModel.Load(registry.Folder(name, version), name);
                }
                catch (ModelRefusedException e)
                {
                    throw new OptionsException($"not switching: {e.Message}");
                }

                registry.SetCurrent(name, version);
                Console.Out.WriteLine($"{name}/current = {version} (a running pipeline picks it up within RiskStream:Models:WatchInterval)");
                return 0;
            case ["shadow", "risk", "off"]:
                registry.SetShadow("risk", null);
                Console.Out.WriteLine("risk/shadow removed");
                return 0;
            case ["shadow", "risk", var candidate]:
                try
                {
                    LoadedModel.Load(registry.Folder("risk", candidate), "risk");
                }
                catch (ModelRefusedException e)
                {
                    throw new OptionsException($"not a shadow: {e.Message}");
                }

                registry.SetShadow("risk", candidate);
                Console.Out.WriteLine($"risk/shadow = {candidate}: scored beside risk/{registry.Current("risk") ?? "(none)"}, agreement in riskstream_model_shadow_readings_total");
                return 0;
            default:
                throw new OptionsException("usage: riskstream models list [--json] | models use NAME VERSION | models shadow risk VERSION|off");
        }
    }

    private static List<DataRow> ReadData(string path, ProcessHost host)
    {
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = Sensors.Models.Dataset.Read(path);
            host.Log.LogInformation("read {Rows:N0} rows from {Path} in {Seconds:F1} s", rows.Count, path, clock.Elapsed.TotalSeconds);
            return rows.Count > 0 ? rows : throw new OptionsException($"{path}: no rows");
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new OptionsException(e.Message);
        }
    }

    private static double ParseDouble(string? text, double @default, double min, double max, string flag) =>
        text is null ? @default
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
        : throw new OptionsException($"{flag} '{text}': expected {min} to {max}");
}
