using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Models;
using RiskStream.Sensors.Windows;
using RiskStream.Simulation;

namespace RiskStream.Sensors.Tests;

/// <summary>Training, evaluation, the registry and serving with hot swap.</summary>
public sealed class ModelLifecycleTests : IDisposable
{
    private static readonly ParkRegistry Park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private readonly string _root = Directory.CreateTempSubdirectory("rs-models-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static List<DataRow> SmallDataset(int seed)
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var writer = new StreamWriter(path))
            {
                DatasetWriter.Write(writer, Park, new SimulationOptions { Seed = seed, EventEvery = TimeSpan.FromSeconds(20), DemoHazard = false }, new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(12), new WindowOptions());
            }

            return Dataset.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly Lazy<List<DataRow>> Rows = new(() => SmallDataset(3));

    private static TrainingData Data(List<DataRow> rows) => new("test.csv", "sha256:test", rows.Count, rows.Count(r => r.Hazard), 0);

    [Fact]
    public async Task A_dataset_written_as_Parquet_reads_back_row_for_row_and_a_foreign_file_is_refused_by_name()
    {
        var rows = Rows.Value;
        var path = Path.Combine(_root, "data.parquet");
        await ParquetDataset.WriteAsync(rows, path);
        var back = Dataset.Read(path);
        Assert.Equal(rows.Count, back.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i] with { Features = [] }, back[i] with { Features = [] });
            Assert.Equal(rows[i].Features, back[i].Features);
        }

        Assert.True(new FileInfo(path).Length < rows.Count * 40, "typed and compressed");

        // A Parquet file of another schema: an error naming the column it lacks, not a crash.
        var other = Path.Combine(_root, "other.parquet");
        var field = new Parquet.Schema.DataField<long>("ts_ms");
        await using (var stream = File.Create(other))
        await using (var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(field), stream))
        {
            using var rg = writer.CreateRowGroup();
            await rg.WriteAsync<long>(field, new long[] { 1, 2 });
        }

        Assert.Contains("no column 'site'", Assert.Throws<FormatException>(() => Dataset.Read(other)).Message, StringComparison.Ordinal);
        File.WriteAllText(other, "not parquet");
        Assert.Contains("not a readable Parquet dataset", Assert.Throws<FormatException>(() => Dataset.Read(other)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dataset_with_a_non_finite_value_or_of_another_feature_schema_is_refused_by_line()
    {
        var rows = Rows.Value.Take(50).ToList();
        var csv = Path.Combine(_root, "data.csv");
        using (var writer = new StreamWriter(csv))
        {
            DatasetWriter.WriteHeader(writer);
            foreach (var r in rows)
            {
                writer.Write(FormattableString.Invariant($"{r.TsMs},{r.Site},{r.Sensor},{r.Kind},{r.Value},{r.Alarm},{r.Event},{r.EventId},{(r.Hazard ? 1 : 0)},{string.Join(',', r.Features.Select(f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}\n"));
            }
        }

        Assert.Equal(50, Dataset.Read(csv).Count);
        var lines = File.ReadAllLines(csv);
        foreach (var (column, bad, says) in new[] { (4, "NaN", "value is NaN"), (9, "Infinity", "is Infinity"), (5, "7", "alarm is 7"), (0, "-5", "ts_ms -5"), (9, "1e999", "is Infinity") })
        {
            var cells = lines[7].Split(',');
            cells[column] = bad;
            File.WriteAllLines(csv, [.. lines[..7], string.Join(',', cells), .. lines[8..]]);
            var refused = Assert.Throws<FormatException>(() => Dataset.Read(csv)).Message;
            Assert.StartsWith(csv + ":8: ", refused, StringComparison.Ordinal);
            Assert.Contains(says, refused, StringComparison.Ordinal);
        }

        // Parquet names the feature schema it was written with; another one is refused before a row is read.
        var parquet = Path.Combine(_root, "data.parquet");
        await ParquetDataset.WriteAsync(rows, parquet);
        var bytes = File.ReadAllBytes(parquet);
        var at = bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(FeatureSchema.Hash));
        System.Text.Encoding.ASCII.GetBytes("0123456789abcdef").CopyTo(bytes, at);
        File.WriteAllBytes(parquet, bytes);
        Assert.Contains("written with feature schema 0123456789abcdef", Assert.Throws<FormatException>(() => Dataset.Read(parquet)).Message, StringComparison.Ordinal);

        // A NaN feature in Parquet: the row named.
        await ParquetDataset.WriteAsync(rows.Select((r, i) => i == 3 ? r with { Features = [.. r.Features[..^1], float.NaN] } : r), parquet);
        Assert.Contains("row 4: feature", Assert.Throws<FormatException>(() => Dataset.Read(parquet)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_archive_or_card_past_its_bounds_is_refused_before_ML_NET_opens_it()
    {
        var registry = RegistryWith("risk/v1", "risk/v2", "risk/v3");
        var folder = registry.Folder("risk", "v1");
        File.Delete(Path.Combine(folder, "model.zip"));
        using (var zip = System.IO.Compression.ZipFile.Open(Path.Combine(folder, "model.zip"), System.IO.Compression.ZipArchiveMode.Create))
        {
            for (var i = 0; i <= LoadedModel.MaxEntries; i++)
            {
                zip.CreateEntry($"e{i}");
            }
        }

        Assert.Contains("entries; at most", Assert.Throws<ModelRefusedException>(() => LoadedModel.Load(folder, "risk")).Message, StringComparison.Ordinal);

        var cardPath = Path.Combine(registry.Folder("risk", "v2"), "card.json");
        File.WriteAllText(cardPath, new string(' ', (int)ModelCard.MaxBytes + 1) + File.ReadAllText(cardPath));
        Assert.Contains("a card is at most", Assert.Throws<ModelRefusedException>(() => LoadedModel.Load(registry.Folder("risk", "v2"), "risk")).Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(registry.Folder("risk", "v3"), "card.json"), "{\"version\":\"v3\"}");
        Assert.Contains("not a readable model card", Assert.Throws<ModelRefusedException>(() => LoadedModel.Load(registry.Folder("risk", "v3"), "risk")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_is_reproducible_for_a_seed()
    {
        var rows = Rows.Value;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        var a = RiskTrainer.TrainRisk(rows, "a", 5, Data(rows), time);
        var b = RiskTrainer.TrainRisk(rows, "b", 5, Data(rows), time);
        var pa = RiskTrainer.Predict(a.Ml, a.Model, a.Schema, rows);
        var pb = RiskTrainer.Predict(b.Ml, b.Model, b.Schema, rows);
        Assert.Equal(pa, pb);
        Assert.Equal(a.Card.Threshold, b.Card.Threshold);
        Assert.Equal(FeatureSchema.Hash, a.Card.FeatureSchemaHash);
        Assert.Contains(pa, p => p > 0.5);
        Assert.Contains(pa, p => p < 0.1);
    }

    [Fact]
    public void Evaluation_figures_on_a_tiny_known_dataset()
    {
        (double, bool)[] scored = [(0.9, true), (0.8, false), (0.7, true), (0.1, false)];
        Assert.Equal((0.5 * 1) + (0.5 * 2 / 3.0), RiskMetrics.AveragePrecision(scored), 10);
        Assert.Equal(0.75, RiskMetrics.RocAuc(scored), 10);
        Assert.Equal(new Confusion(2, 1, 1, 0), RiskMetrics.ConfusionAt(scored, 0.5));

        // One hazard on sensor A: its risk is at or above 0.5 from t = 10 s, so the model warns once it has held 5 s
        // (t = 15 s); the second-level alarm comes at t = 40 s: 25 s of lead. Sensor B at another site holds above the
        // threshold for 5 s twice, 2 minutes apart (two false warnings), and once for 4 s only (none). A fault on
        // sensor C is flagged by the detector: seen as health. Sensor D reports for 10 s, is away 3 minutes (not
        // observed), and reports 10 s more.
        var f = new float[FeatureSchema.Count];
        f[10] = 30;
        var rows = new List<DataRow>();
        var risk = new List<double>();
        for (var t = 0; t <= 60; t++)
        {
            rows.Add(new DataRow(t * 1000L, "S1", "A", "combustible_lel", 0, t >= 40 ? 2 : 0, "leak_ramp", 1, t >= 5, f));
            risk.Add(t >= 10 ? 0.9 : 0.1);
        }

        for (var t = 0; t <= 200; t++)
        {
            rows.Add(new DataRow(t * 1000L, "S2", "B", "co", 0, 0, "none", -1, false, f));
            risk.Add(t is (>= 10 and <= 15) or (>= 80 and <= 84) or (>= 150 and <= 155) ? 0.9 : 0.1);
            rows.Add(new DataRow(t * 1000L, "S3", "C", "co", 0, 0, t < 20 ? "spike" : "none", t < 20 ? 2 : -1, false, f));
            risk.Add(0);
        }

        foreach (var t in Enumerable.Range(0, 11).Concat(Enumerable.Range(190, 11)))
        {
            rows.Add(new DataRow(t * 1000L, "S3", "D", "co", 0, 0, "none", -1, false, f));
            risk.Add(0);
        }

        var anomalous = rows.Select(r => r.Sensor == "C" && r.TsMs == 5000).ToList();
        var e = RiskMetrics.Evaluate(rows, risk, anomalous, 0.5);
        var lead = Assert.Single(e.LeadTimes);
        Assert.Equal((25.0, true), (lead.Seconds, lead.ModelFirst));
        Assert.Equal([15_000L, 155_000L], e.FalseWarnings.Select(w => w.TsMs));
        Assert.Equal((60 + 200 + 200 + 20) / 3600.0, e.SensorHours, 6);
        Assert.Equal((1, 1, 0), (e.Faults, e.FaultsReportedAsHealth, e.FaultsReportedAsHazard));
    }

    private ModelRegistry RegistryWith(params string[] versions)
    {
        foreach (var (name, version) in versions.Select(v => (v.Split('/')[0], v.Split('/')[1])))
        {
            var folder = Path.Combine(_root, name, version);
            var shipped = new ModelRegistry(RepoPaths.Of("models")).Current(name)!;
            CopyFolder(RepoPaths.Of("models", name, shipped), folder);
            var card = Path.Combine(folder, "card.json");
            File.WriteAllText(card, File.ReadAllText(card).Replace($"\"version\": \"{shipped}\"", $"\"version\": \"{version}\"", StringComparison.Ordinal));
        }

        return new ModelRegistry(_root);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    [Fact]
    public void The_shipped_models_were_trained_with_the_trainers_parameters_so_train_reproduces_them()
    {
        var registry = new ModelRegistry(RepoPaths.Of("models"));
        foreach (var (name, options) in new[] { ("risk", (Func<int, Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options>)RiskTrainer.RiskOptions), ("anomaly", RiskTrainer.AnomalyOptions) })
        {
            var card = LoadedModel.Load(registry.Folder(name, registry.Current(name)!), name).Card;
            Assert.All(RiskTrainer.Parameters(options(card.Seed)), p => Assert.Equal(p.Value, card.Parameters[p.Key]));
            Assert.Equal(FeatureSchema.Hash, card.FeatureSchemaHash);
        }
    }

    [Fact]
    public void The_shipped_models_load_compile_faithfully_and_keep_the_setpoint_floor()
    {
        var registry = new ModelRegistry(RepoPaths.Of("models"));
        var model = new MlRiskModel(registry, NullLogger.Instance);
        Assert.Equal($"risk/{registry.Current("risk")}+anomaly/{registry.Current("anomaly")}", model.Version);
        Assert.NotNull(LoadedModel.Load(registry.Folder("risk", registry.Current("risk")!), "risk").Compiled);
        var lel = Park.SiteList.SelectMany(s => s.Sensors).First(s => s.Kind == SensorKind.CombustibleLel);
        var scorer = model.CreateScorer();
        var calm = new float[FeatureSchema.Count];
        calm[9] = 1;
        calm[10] = 30;
        Assert.True(scorer.Score(lel, 1.5, new WindowStats(30, 1.5, 0.4, 0.8, 2.2, 0, 0), calm).Risk < 0.1);
        // A second-level value with calm features (a model that misses it) still has the floor's risk.
        Assert.True(scorer.Score(lel, 60, new WindowStats(30, 1.5, 0.4, 0.8, 2.2, 0, 0), calm).Risk >= 0.9);
    }

    [Fact]
    public void A_corrupt_model_or_one_of_another_feature_schema_is_refused_and_the_old_one_keeps_serving()
    {
        var registry = RegistryWith("risk/v1", "risk/v2", "risk/v3");
        registry.SetCurrent("risk", "v1");
        var metrics = ModelMetrics.Unregistered();
        var model = new MlRiskModel(registry, NullLogger.Instance, metrics);
        Assert.Equal("risk/v1", model.Version);

        // v2: model.zip overwritten with garbage.
        File.WriteAllText(Path.Combine(_root, "risk", "v2", "model.zip"), "not a zip");
        registry.SetCurrent("risk", "v2");
        Assert.False(model.Check());
        Assert.Equal("risk/v1", model.Version);
        Assert.Equal(1, metrics.Loads.WithLabels("risk", "refused").Value);
        Assert.Contains("does not load", Assert.Throws<ModelRefusedException>(() => LoadedModel.Load(registry.Folder("risk", "v2"), "risk")).Message, StringComparison.Ordinal);

        // v3: a card naming another feature schema.
        var cardPath = Path.Combine(_root, "risk", "v3", "card.json");
        File.WriteAllText(cardPath, File.ReadAllText(cardPath).Replace(FeatureSchema.Hash, "0123456789abcdef", StringComparison.Ordinal));
        registry.SetCurrent("risk", "v3");
        Assert.False(model.Check());
        Assert.Equal("risk/v1", model.Version);
        Assert.Equal(2, metrics.Loads.WithLabels("risk", "refused").Value);
        Assert.Contains("feature schema 0123456789abcdef", Assert.Throws<ModelRefusedException>(() => LoadedModel.Load(registry.Folder("risk", "v3"), "risk")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_version_is_tried_again_once_its_files_change_and_not_before()
    {
        var registry = RegistryWith("risk/v1", "risk/v2");
        registry.SetCurrent("risk", "v1");
        var metrics = ModelMetrics.Unregistered();
        var model = new MlRiskModel(registry, NullLogger.Instance, metrics);
        var zip = Path.Combine(_root, "risk", "v2", "model.zip");
        var good = File.ReadAllBytes(zip);
        File.WriteAllText(zip, "not a zip");
        registry.SetCurrent("risk", "v2");
        Assert.False(model.Check());
        Assert.False(model.Check());
        Assert.Equal(1, metrics.Loads.WithLabels("risk", "refused").Value);

        // The data scientist copies the right archive in: the same version now serves.
        File.WriteAllBytes(zip, good);
        File.SetLastWriteTimeUtc(zip, DateTime.UtcNow.AddSeconds(1));
        Assert.True(model.Check());
        Assert.Equal("v2", model.RiskVersion);
        Assert.Equal(1, metrics.Loads.WithLabels("risk", "refused").Value);
    }

    [Fact]
    public void An_empty_or_missing_current_keeps_the_model_that_serves_and_says_so_once()
    {
        var registry = RegistryWith("risk/v1");
        registry.SetCurrent("risk", "v1");
        var log = new RecordingLogger();
        var model = new MlRiskModel(registry, log);
        var current = Path.Combine(_root, "risk", "current");
        File.WriteAllText(current, "");
        Assert.False(model.Check());
        Assert.False(model.Check());
        Assert.Equal("v1", model.RiskVersion);
        File.Delete(current);
        Assert.False(model.Check());
        Assert.Equal("v1", model.RiskVersion);
        Assert.Single(log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("models/risk/current is empty or missing: risk/v1 keeps serving", StringComparison.Ordinal));

        // A fresh process with no current serves the setpoint baseline, as before.
        Assert.Equal(RiskStream.Sensors.Scoring.SetpointBaselineModel.Name, new MlRiskModel(new ModelRegistry(Directory.CreateTempSubdirectory("rs-empty-").FullName), NullLogger.Instance).Version);
    }

    private sealed class FailingRegistry(string root) : ModelRegistry(root)
    {
        public volatile Exception? Failure;

        public override string? Current(string name) => Failure is { } e ? throw e : base.Current(name);
    }

    [Fact]
    public async Task The_watcher_survives_an_error_of_any_kind_says_so_once_and_recovers()
    {
        RegistryWith("risk/v1", "risk/v2");
        var registry = new FailingRegistry(_root);
        registry.SetCurrent("risk", "v1");
        var metrics = ModelMetrics.Unregistered();
        var log = new RecordingLogger();
        var model = new MlRiskModel(registry, log, metrics);
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var watching = model.WatchAsync(TimeSpan.FromSeconds(5), time, stop.Token);

        foreach (var failure in new Exception[] { new IOException("disk gone"), new OutOfMemoryException("no room"), new InvalidOperationException("odd") })
        {
            registry.Failure = failure;
            for (var i = 0; i < 3; i++)
            {
                var before = metrics.WatchErrors.WithLabels("risk").Value + metrics.WatchErrors.WithLabels("registry").Value;
                time.Advance(TimeSpan.FromSeconds(5));
                await Eventually.TrueAsync(() => metrics.WatchErrors.WithLabels("risk").Value + metrics.WatchErrors.WithLabels("registry").Value > before, TimeSpan.FromSeconds(10), $"a failed check counted ({failure.GetType().Name})");
            }
        }

        Assert.False(watching.IsCompleted, "the watcher is still watching");
        Assert.Equal("v1", model.RiskVersion);
        Assert.Equal(0, metrics.WatchHealthy.Value);
        Assert.Equal(6, metrics.WatchErrors.WithLabels("registry").Value);
        Assert.Equal(3, metrics.WatchErrors.WithLabels("risk").Value);
        Assert.Single(log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.StartsWith("Checking the model registry failed: OutOfMemoryException", StringComparison.Ordinal));

        // The disk is back and a new version is named: the next tick serves it.
        registry.Failure = null;
        registry.SetCurrent("risk", "v2");
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => model.RiskVersion == "v2", TimeSpan.FromSeconds(30), "v2 served after the registry reads again");
        await Eventually.TrueAsync(() => metrics.WatchHealthy.Value == 1, TimeSpan.FromSeconds(10), "healthy again");
        await stop.CancelAsync();
        await watching;
    }

    [Fact]
    public void A_risk_model_operating_at_another_threshold_than_the_scenarios_is_served_with_a_warning()
    {
        var registry = RegistryWith("risk/v1", "risk/v2");
        var card = Path.Combine(_root, "risk", "v2", "card.json");
        File.WriteAllText(card, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(card), "\"threshold\": [0-9.]+", "\"threshold\": 0.9"));
        registry.SetCurrent("risk", "v1");
        var log = new RecordingLogger();
        var warnsAt = new[] { new ModelRegistry(RepoPaths.Of("models")).Current("risk") is { } v ? LoadedModel.Load(RepoPaths.Of("models", "risk", v), "risk").Card.Threshold : 0 };
        var model = new MlRiskModel(registry, log, warnsAt: warnsAt);
        Assert.DoesNotContain(log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);

        registry.SetCurrent("risk", "v2");
        Assert.True(model.Check());
        Assert.Equal("risk/v2", model.Version);
        var warning = Assert.Single(log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("risk/v2 operates at risk 0.9 but the scenarios warn at risk 0.99", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shadow_candidate_scores_beside_the_served_model_and_only_their_agreement_is_kept()
    {
        var registry = RegistryWith("risk/v1", "risk/v2");
        registry.SetCurrent("risk", "v1");
        // v2 warns on everything (threshold 0): it disagrees wherever v1 sees no hazard.
        var card = Path.Combine(_root, "risk", "v2", "card.json");
        File.WriteAllText(card, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(card), "\"threshold\": [0-9.]+", "\"threshold\": 0"));
        registry.SetShadow("risk", "v2");
        var metrics = ModelMetrics.Unregistered();
        var model = new MlRiskModel(registry, NullLogger.Instance, metrics);
        Assert.Equal("risk/v1", model.Version);
        var scorer = model.CreateScorer();
        var features = new SensorFeatures(Park, new WindowOptions());
        var f = new float[FeatureSchema.Count];
        var sensors = Park.SiteList.SelectMany(s => s.Sensors).Where(s => s.Kind == SensorKind.CombustibleLel).ToArray();
        for (var i = 0; i < 100; i++)
        {
            var sensor = sensors[i % sensors.Length];
            var (stats, _) = features.Observe(sensor, 1.5, 1_800_000_000_000 + (i * 1000L), AlarmLevel.None, f);
            Assert.Equal("risk/v1", scorer.Score(sensor, 1.5, stats, f).Model);
        }

        Assert.Equal(100, metrics.Shadow.WithLabels("v1", "v2", "agree").Value + metrics.Shadow.WithLabels("v1", "v2", "disagree").Value);
        Assert.Equal(100, metrics.Shadow.WithLabels("v1", "v2", "disagree").Value);

        registry.SetShadow("risk", null);
        Assert.True(model.Check());
        var before = metrics.Shadow.WithLabels("v1", "v2", "disagree").Value;
        var (s1, _) = features.Observe(sensors[0], 1.5, 1_800_000_200_000, AlarmLevel.None, f);
        scorer.Score(sensors[0], 1.5, s1, f);
        Assert.Equal(before, metrics.Shadow.WithLabels("v1", "v2", "disagree").Value);
    }

    [Fact]
    public async Task A_hot_swap_under_load_scores_every_reading_once_by_one_model_or_the_other()
    {
        var registry = RegistryWith("risk/v1", "risk/v2");
        registry.SetCurrent("risk", "v1");
        var model = new MlRiskModel(registry, NullLogger.Instance);
        var sensors = Park.SiteList.SelectMany(s => s.Sensors).ToArray();
        const int perLane = 20_000;
        var seen = new List<string>[2];
        using var go = new Barrier(3);
        using var started = new SemaphoreSlim(0);
        var lanes = Enumerable.Range(0, 2).Select(lane => Task.Run(() =>
        {
            var scorer = model.CreateScorer();
            var features = new SensorFeatures(Park, new WindowOptions());
            var f = new float[FeatureSchema.Count];
            var versions = new List<string>(perLane);
            go.SignalAndWait();
            for (var i = 0; i < perLane; i++)
            {
                var sensor = sensors[(i + lane) % sensors.Length];
                var (stats, _) = features.Observe(sensor, 1 + (i % 7), 1_800_000_000_000 + (i * 100L), AlarmLevel.None, f);
                versions.Add(scorer.Score(sensor, 1 + (i % 7), stats, f).Model);
            }

            seen[lane] = versions;
        })).ToArray();

        go.SignalAndWait();
        registry.SetCurrent("risk", "v2");
        Assert.True(model.Check());
        await Task.WhenAll(lanes).WaitAsync(TimeSpan.FromMinutes(2));

        foreach (var versions in seen)
        {
            Assert.Equal(perLane, versions.Count);
            Assert.All(versions, v => Assert.True(v is "risk/v1" or "risk/v2", v));
            // Once a lane has scored with v2 it never goes back: each reading by exactly one model.
            var firstNew = versions.IndexOf("risk/v2");
            Assert.True(firstNew >= 0, "the swap reached the lane");
            Assert.DoesNotContain("risk/v1", versions.Skip(firstNew));
        }

        Assert.Equal("risk/v2", model.Version);
    }
}
