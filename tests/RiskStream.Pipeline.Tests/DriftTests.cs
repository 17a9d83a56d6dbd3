using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline.Lanes;
using RiskStream.Sensors.Models;
using RiskStream.Simulation;
using RiskStream.Testing;
using Xunit.Abstractions;

namespace RiskStream.Pipeline.Tests;

/// <summary>
/// Feature drift of the served model, watched in the lane. The reference is the features' distribution on data like
/// the park's (the shipped model's card, profiled on the same hours of the day with another seed: a short window
/// against a whole day's training would drift with the daily cycle alone, which is why the window defaults to a
/// day). The park as profiled stays below the bound; the same park with its sensors' normal values shifted a fifth of
/// the way to their first setpoint drifts, shown in the index of the features that measure it and in a warning naming
/// them and the model.
/// </summary>
public sealed class DriftTests(ITestOutputHelper output)
{
    private static readonly ParkRegistry Registry = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> Models = new(Profiled);

    /// <summary>A copy of the shipped registry whose risk card's reference is 28 minutes of the park around the test's hour (seed 6).</summary>
    private static string Profiled()
    {
        var root = Directory.CreateTempSubdirectory("rs-drift-models").FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.Of("models"), "*", SearchOption.AllDirectories).Where(f => !f.Contains("raman", StringComparison.Ordinal)))
        {
            var to = Path.Combine(root, Path.GetRelativePath(RepoPaths.Of("models"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        var registry = new ModelRegistry(root);
        var card = Path.Combine(registry.Folder("risk", registry.Current("risk")!), "card.json");
        var rows = DatasetWriter.Rows(Registry, new SimulationOptions { Seed = 6, RatePerSecond = Registry.SensorCount, HazardShare = 0, DemoHazard = false, EventEvery = TimeSpan.FromDays(7) }, Start.AddMinutes(-10), TimeSpan.FromMinutes(30), new RiskStream.Sensors.Windows.WindowOptions())
            .Where(r => r.TsMs >= Start.AddMinutes(-8).ToUnixTimeMilliseconds()).ToList(); // past the windows' first filling
        (ModelCard.Read(card) with { Distributions = FeatureDistribution.Of(rows) }).Write(card);
        return root;
    }

    private (IReadOnlyDictionary<string, double> Psi, RecordingLogger Log) Run(ParkRegistry simulated)
    {
        var time = new FakeTimeProvider(Start);
        var log = new RecordingLogger();
        var metrics = ModelMetrics.Unregistered();
        var model = new MlRiskModel(new ModelRegistry(Models.Value), log, metrics, drift: new DriftMonitor(metrics, log, TimeSpan.FromMinutes(5), 0.2, time));
        var scenarios = RiskStream.Scenarios.Definitions.ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
        var lane = new OfflineLane(new PipelineContext { Registry = Registry, Options = new PipelineOptions(), Scenarios = scenarios, Time = time, Model = model });
        var simulator = new ParkSimulator(simulated, new SimulationOptions { Seed = 5, RatePerSecond = simulated.SensorCount, HazardShare = 0, DemoHazard = false, EventEvery = TimeSpan.FromDays(7), InspectionEvery = TimeSpan.Zero }, Start);
        for (var second = 0; second <= 11 * 60; second++)
        {
            var ts = Start.AddSeconds(second);
            time.SetUtcNow(ts);
            lane.Process(Topics.Readings, [.. simulator.Sensors.Select(s => simulator.ReadingAt(s, ts)).OfType<Reading>().Select(r => (r.Site, JsonSerializer.SerializeToUtf8Bytes(r, ContractJson.Default.Reading)))]);
            if (second % 10 == 0)
            {
                model.Drift!.Evaluate(); // as the registry watch does, every few seconds
            }
        }

        output.WriteLine(string.Join(", ", model.Drift!.Last.Select(x => $"{x.Key} {x.Value}")));
        return (model.Drift.Last, log);
    }

    /// <summary>The shipped park with every sensor that has a first high setpoint reading a fifth of the way to it in normal operation.</summary>
    private static ParkRegistry Shifted()
    {
        var doc = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("config", "park.json")))!;
        foreach (var site in doc["sites"]!.AsArray())
        {
            foreach (var sensor in site!["sensors"]!.AsArray())
            {
                var def = Registry.Sites[site["id"]!.GetValue<string>()].Sensors.Single(s => s.Id == sensor!["id"]!.GetValue<string>());
                var normal = def.Baseline ?? ParkSimulator.DefaultBaseline(def.Kind);
                if (def.Setpoints.FirstHigh is { } first && first > normal)
                {
                    sensor!["baseline"] = normal + (0.2 * (first - normal));
                }
            }
        }

        var path = Path.Combine(Directory.CreateTempSubdirectory("rs-drift").FullName, "park.json");
        File.WriteAllText(path, doc.ToJsonString());
        return ParkRegistry.Load(path);
    }

    [Fact]
    public void Shifted_baselines_drift_and_are_named_in_a_warning_while_the_park_as_trained_does_not()
    {
        var (calm, calmLog) = Run(Registry);
        var (shifted, shiftedLog) = Run(Shifted());
        var served = "risk/" + new ModelRegistry(RepoPaths.Of("models")).Current("risk");

        // As profiled: every feature below the bound. Shifted: those that see a sensor's level against its normal value move.
        Assert.All(calm, x => Assert.True(x.Value < 0.2, $"{x.Key} {x.Value}"));
        Assert.True(shifted["excess"] > 0.2, $"excess {shifted["excess"]}");
        Assert.True(shifted["excess"] > 5 * calm["excess"], $"shifted {shifted["excess"]}, calm {calm["excess"]}");
        Assert.Contains(shiftedLog.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("Feature drift: excess of " + served, StringComparison.Ordinal));
        Assert.DoesNotContain(calmLog.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("Feature drift: excess", StringComparison.Ordinal));
    }
}
