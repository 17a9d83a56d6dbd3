using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using RiskStream.IntegrationTests.Support;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// The retraining loop at the command line, as docs/training.md tells it: a simulated history whose warnings the
/// simulated people dispose, written into a real influxd; a dataset from it (combined with simulated rows); a
/// candidate trained and evaluated; the promotion gate refusing a deliberately worse candidate and passing the good
/// one, with the shadow's agreement from a running pipeline; the promoted model swapped into that running pipeline.
/// </summary>
public sealed class RetrainingLoopTests
{
    private static readonly DateTimeOffset Until = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task History_to_dataset_to_training_to_the_gate_to_the_running_pipeline()
    {
        var dir = Directory.CreateTempSubdirectory("rs-retrain").FullName;
        var models = Path.Combine(dir, "models");
        foreach (var file in Directory.GetFiles(RepoPaths.Of("models"), "*", SearchOption.AllDirectories).Where(f => !f.Contains("/raman/", StringComparison.Ordinal)))
        {
            var to = Path.Combine(models, Path.GetRelativePath(RepoPaths.Of("models"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        var served = File.ReadAllText(Path.Combine(models, "risk", "current")).Trim();
        var env = new Dictionary<string, string> { ["RiskStream__Models__Path"] = models };
        async Task<string> Cli(params string[] args)
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync(args, TimeSpan.FromMinutes(4), env);
            Assert.True(code == 0, $"riskstream {string.Join(' ', args)}: exit {code}\n{stderr}");
            return stdout;
        }

        using var influx = new InfluxFixture();
        await influx.CreateDatabaseAsync("riskstream");
        var url = influx.Url.ToString();

        // 1. History: three simulated hours through the lane; the simulated people acknowledge and dispose.
        var history = await Cli("simulate-history", "--hours", "3", "--until", Until.ToString("O", CultureInfo.InvariantCulture), "--influx-url", url, "--seed", "7");
        Assert.Matches(@"\d+ labels \(confirmed_hazard \d+, false_alarm \d+, instrument_fault \d+\)", history);
        Assert.True(await influx.CountAsync("riskstream", "SELECT count(\"warning\") FROM \"label\"") > 50);

        // 2. A dataset from InfluxDB, after an hour of simulated rows; its card says where each came from.
        var simulated = Path.Combine(dir, "sim.csv");
        await Cli("dataset", "--out", simulated, "--hours", "1", "--seed", "3");
        var combined = Path.Combine(dir, "combined.csv");
        var built = await Cli("dataset", "--from", "influx", "--influx-url", url, "--since", Until.AddHours(-3).ToString("O", CultureInfo.InvariantCulture), "--until", Until.ToString("O", CultureInfo.InvariantCulture), "--combine", simulated, "--out", combined);
        Assert.Contains("recorded rows (confirmed_hazard", built, StringComparison.Ordinal);
        using (var card = JsonDocument.Parse(File.ReadAllText(combined + ".card.json")))
        {
            Assert.StartsWith("influxdb ", card.RootElement.GetProperty("source").GetString(), StringComparison.Ordinal);
            Assert.True(card.RootElement.GetProperty("rowsByEvent").GetProperty("confirmed_hazard").GetInt64() > 0);
            Assert.Equal("sim.csv", card.RootElement.GetProperty("combinedWith")[0].GetProperty("file").GetString());
        }

        // 3. Two candidates: one from the combined rows, and one worse from the recorded rows alone (a label starts at
        // the warning's raise, so nothing teaches that model a hazard's onset: it has no lead).
        var recorded = Path.Combine(dir, "recorded.csv");
        await Cli("dataset", "--from", "influx", "--influx-url", url, "--since", Until.AddHours(-3).ToString("O", CultureInfo.InvariantCulture), "--until", Until.ToString("O", CultureInfo.InvariantCulture), "--out", recorded);
        await Cli("train", "risk", "--data", combined, "--out", Path.Combine(models, "risk", "cand"), "--seed", "1");
        await Cli("train", "risk", "--data", recorded, "--out", Path.Combine(models, "risk", "worse"), "--seed", "1");
        var test = Path.Combine(dir, "test.csv");
        await Cli("dataset", "--out", test, "--hours", "1", "--seed", "8");
        var evaluated = await Cli("evaluate", "--model", Path.Combine(models, "risk", "cand"), "--data", test, "--json");
        using (var doc = JsonDocument.Parse(evaluated.Trim()))
        {
            Assert.True(doc.RootElement.GetProperty("prAuc").GetDouble() > 0.95, evaluated);
        }

        // 4. A pipeline running with the served model; the good candidate as its shadow.
        var port = FreePorts.BelowEphemeralRange();
        using var run = CliProcess.Start(["run", "--for", "150s", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--console-port", "0"], new Dictionary<string, string>(env) { ["RiskStream__Models__WatchInterval"] = "1s" });
        run.StandardInput.Close();
        var log = new ConcurrentQueue<string>();
        run.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { log.Enqueue(line); } };
        run.OutputDataReceived += (_, _) => { };
        run.BeginErrorReadLine();
        run.BeginOutputReadLine();
        try
        {
            await Eventually.TrueAsync(() => log.Any(l => l.Contains($"Serving risk/{served}", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), () => "the pipeline serving the shipped model:\n" + string.Join("\n", log));
            await Cli("models", "shadow", "risk", "cand");
            await Eventually.TrueAsync(() => log.Any(l => l.Contains("shadow risk/cand scores beside it", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), () => "the shadow scoring:\n" + string.Join("\n", log));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var metrics = $"http://127.0.0.1:{port}/metrics";
            await Eventually.TrueAsync(() => http.GetStringAsync(new Uri(metrics)).GetAwaiter().GetResult().Contains("riskstream_model_shadow_readings_total{served=\"" + served + "\",shadow=\"cand\",outcome=\"agree\"}", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "shadow readings in /metrics");

            // 5. The gate: the worse candidate is refused (current unchanged), the good one passes with the shadow's agreement.
            var (code, stdout, stderr) = await CliProcess.RunAsync(["models", "promote", "risk", "worse", "--data", test], TimeSpan.FromMinutes(3), env);
            Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
            Assert.Contains("median lead on leak ramps", stderr, StringComparison.Ordinal);
            Assert.Equal(served, File.ReadAllText(Path.Combine(models, "risk", "current")).Trim());
            var promoted = await Cli("models", "promote", "risk", "cand", "--data", test, "--shadow-metrics", metrics);
            Assert.Matches(@"shadow agreement over recorded traffic: [\d.]+ % of [\d,]+ readings", promoted);
            Assert.Contains($"passed: risk/current = cand (was {served})", promoted, StringComparison.Ordinal);
            using (var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "risk", "cand", "card.json"))))
            {
                var record = card.RootElement.GetProperty("promotions")[0];
                Assert.True(record.GetProperty("passed").GetBoolean());
                Assert.Equal($"risk/{served}", record.GetProperty("against").GetString());
                Assert.True(record.GetProperty("shadowReadings").GetInt64() > 0);
            }

            // 6. The running pipeline swaps the promoted model in.
            await Eventually.TrueAsync(() => log.Any(l => l.Contains("Serving risk/cand", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), () => "the promoted model serving:\n" + string.Join("\n", log.TakeLast(30)));
        }
        finally
        {
            if (!run.HasExited)
            {
                run.Kill(entireProcessTree: true);
            }
        }
    }
}
