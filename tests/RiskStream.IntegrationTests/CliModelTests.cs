using RiskStream.Core;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Contracts;
using RiskStream.IntegrationTests.Support;
using RiskStream.Testing;


namespace RiskStream.IntegrationTests;

/// <summary>The model lifecycle and the bench at the command line.</summary>
public sealed class CliModelTests
{
    [Fact]
    public async Task Dataset_train_evaluate_and_models_use_make_a_served_model_from_the_simulator()
    {
        var dir = Directory.CreateTempSubdirectory("rs-ml");
        try
        {
            var data = Path.Combine(dir.FullName, "data.csv");
            var (code, stdout, stderr) = await CliProcess.RunAsync(["dataset", "--out", data, "--hours", "0.25", "--seed", "4"], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, stderr);
            Assert.Contains("rows", stdout, StringComparison.Ordinal);
            Assert.StartsWith("ts_ms,site,sensor,kind,value,alarm,event,event_id,hazard,alarm,excess", File.ReadLines(data).First(), StringComparison.Ordinal);

            var models = Path.Combine(dir.FullName, "models");
            var trained = await CliProcess.RunAsync(["train", "risk", "--data", data, "--out", Path.Combine(models, "risk", "t1"), "--seed", "4", "--use"], TimeSpan.FromMinutes(3));
            Assert.True(trained.Code == 0, trained.Err);
            Assert.Contains("risk/current = t1", trained.Out, StringComparison.Ordinal);
            Assert.Contains("tree 80 of 80", trained.Err, StringComparison.Ordinal);             // progress while it trains
            Assert.Contains("held out at threshold 0.99:", trained.Err, StringComparison.Ordinal); // the operating curve
            using (var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "risk", "t1", "card.json"))))
            {
                Assert.Equal("t1", card.RootElement.GetProperty("version").GetString());
                Assert.True(card.RootElement.GetProperty("metrics").GetProperty("prAuc").GetDouble() > 0);
                Assert.StartsWith("sha256:", card.RootElement.GetProperty("data").GetProperty("fingerprint").GetString(), StringComparison.Ordinal);
            }

            var plots = Path.Combine(dir.FullName, "plots");
            var evaluated = await CliProcess.RunAsync(["evaluate", "--model", Path.Combine(models, "risk", "t1"), "--data", data, "--json", "--plot", plots], TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.True(evaluated.Code == 0, evaluated.Err);
            Assert.Contains("fault detector: none", evaluated.Err, StringComparison.Ordinal); // the temporary registry has no anomaly model
            using (var doc = JsonDocument.Parse(evaluated.Out.Trim()))
            {
                foreach (var key in new[] { "prAuc", "rocAuc", "precision", "recall", "falseAlarmsPer1000SensorHours", "medianLeadSecondsLeakRamp", "faultsAsHealthShare", "sensorHours" })
                {
                    Assert.True(doc.RootElement.TryGetProperty(key, out _), key);
                }

                Assert.True(doc.RootElement.GetProperty("prAuc").GetDouble() > 0.5);
                Assert.Equal(doc.RootElement.GetProperty("falseAlarms").GetInt64(), doc.RootElement.GetProperty("falseWarnings").GetArrayLength());
            }

            var stricter = await CliProcess.RunAsync(["evaluate", "--model", Path.Combine(models, "risk", "t1"), "--data", data, "--threshold", "1.5"], TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.Equal(2, stricter.Code);
            Assert.Contains("--threshold '1.5'", stricter.Err, StringComparison.Ordinal);

            Assert.All(new[] { "precision-recall.png", "calibration.png", "lead-time.png" }, f => Assert.True(new FileInfo(Path.Combine(plots, f)).Length > 5_000, f));

            // The served version is never written over, not even with --overwrite, nor made its own shadow.
            var before = File.ReadAllBytes(Path.Combine(models, "risk", "t1", "model.zip"));
            foreach (var again in new[] { new[] { "--seed", "5" }, ["--seed", "5", "--overwrite"] })
            {
                var overwrite = await CliProcess.RunAsync(["train", "risk", "--data", data, "--out", Path.Combine(models, "risk", "t1"), .. again], TimeSpan.FromMinutes(3));
                Assert.Equal(2, overwrite.Code);
                Assert.Contains("being served", overwrite.Err, StringComparison.Ordinal);
            }

            Assert.Equal(before, File.ReadAllBytes(Path.Combine(models, "risk", "t1", "model.zip")));
            var shadowSelf = await CliProcess.RunAsync(["models", "shadow", "risk", "t1"], TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.Equal(2, shadowSelf.Code);
            Assert.Contains("being served", shadowSelf.Err, StringComparison.Ordinal);

            var listed = await CliProcess.RunAsync(["models", "list"], TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.Contains("* risk/t1", listed.Out, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(models, "risk", "t1", "model.zip"), "broken");
            var refused = await CliProcess.RunAsync(["models", "use", "risk", "t1"], TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.Equal(2, refused.Code);
            Assert.Contains("does not load", refused.Err, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Bench_prints_one_json_object_with_every_figure()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["bench", "--json", "--duration", "1s", "--sensors", "2000", "--latency-rate", "2000"], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim());
        foreach (var key in new[] { "readingsPerSec", "rawConsumePerSec", "ratio", "latencyP50Ms", "latencyP99Ms", "latencyP999Ms", "latencyRatePerSec", "sensors", "managedBytesPerSensor", "spectraPerSec", "spectraPerSec1000", "librarySubstances", "readingsPerCpuSec", "rawConsumePerCpuSec", "cpuRatio", "gen0BudgetBytes", "readingsPerSecByException", "streamizPerSec", "streamizPerCpuSec", "streamizThreads", "vsStreamiz", "vsStreamizPerCpuSec" })
        {
            Assert.True(doc.RootElement.GetProperty(key).GetDouble() > 0, key);
        }

        // A short run may see no collection at all: a pause of zero, never missing.
        Assert.True(doc.RootElement.GetProperty("latencyGcPauseMs").GetDouble() >= 0);
        Assert.True(doc.RootElement.GetProperty("latencyP999Ms").GetDouble() >= doc.RootElement.GetProperty("latencyP99Ms").GetDouble());
    }
}
