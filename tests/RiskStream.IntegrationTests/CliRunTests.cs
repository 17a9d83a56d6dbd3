using RiskStream.Core;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Contracts;
using RiskStream.IntegrationTests.Support;
using RiskStream.Testing;


namespace RiskStream.IntegrationTests;

/// <summary>The <c>riskstream</c> executable as a newcomer and an operator run it: the embedded default, the broker with kcat, ACLs and topics, InfluxDB.</summary>
public sealed class CliRunTests
{
    [Fact]
    public async Task Run_on_the_embedded_default_prints_warning_events_as_json_lines_and_stops_cleanly()
    {
        var port = RiskStream.Testing.FreePorts.BelowEphemeralRange();
        using var process = CliProcess.Start(
            ["run", "--for", "45s", "--json", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["RiskStream__Simulation__FirstHazardAfter"] = "0s" });
        process.StandardInput.Close();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrLines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                stderrLines.Enqueue(line);
            }
        };
        process.BeginErrorReadLine();

        // While it runs: /healthz answers 200 and /metrics carries the pipeline's families.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        string metrics = "";
        await RiskStream.Testing.Eventually.TrueAsync(
            () =>
            {
                Assert.False(process.HasExited, $"riskstream exited early:\n{string.Join("\n", stderrLines)}");
                try
                {
                    using var health = http.GetAsync(new Uri("/healthz", UriKind.Relative)).GetAwaiter().GetResult();
                    metrics = http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
                    return health.IsSuccessStatusCode && metrics.Contains("riskstream_pipeline_readings_scored_total", StringComparison.Ordinal);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(40),
            () => $"/healthz and /metrics on port {port}; riskstream's log:\n{string.Join("\n", stderrLines)}");
        foreach (var family in new[] { "riskstream_kafka_consumed_messages_total", "riskstream_kafka_produced_messages_total", "riskstream_pipeline_latency_seconds_bucket", "dotnet_collection_count_total" })
        {
            Assert.Contains(family, metrics, StringComparison.Ordinal);
        }

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await process.WaitForExitAsync(cancel.Token);
        }

        var code = process.ExitCode;
        var stdout = await stdoutTask;
        var stderr = string.Join("\n", stderrLines);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            SchemaAssert.Valid("warning.v3.json", line);
        }

        var events = lines.Select(l => JsonSerializer.Deserialize(l, ContractJson.Default.WarningEvent)!).ToList();
        Assert.Contains(events, e => e.Status == WarningStatus.Raised && e.Scenario == "combustible_gas_leak");
        Assert.Contains("EMBEDDED broker", stderr, StringComparison.Ordinal);
        Assert.Contains("Drained; committed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_prints_its_address_first_and_kcat_produces_to_and_consumes_from_it()
    {
        using var broker = CliProcess.Start(["broker"]);
        var bootstrap = await broker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Matches(@"^127\.0\.0\.1:\d+$", bootstrap);
        var topic = "kcat." + Guid.NewGuid().ToString("N");

        var produce = new ProcessStartInfo("kcat", ["-b", bootstrap!, "-P", "-t", topic, "-K:"]) { RedirectStandardInput = true, UseShellExecute = false };
        using (var kcat = Process.Start(produce)!)
        {
            await kcat.StandardInput.WriteLineAsync("SH-HGQ-E01-S1:{\"hello\":1}");
            await kcat.StandardInput.WriteLineAsync("SH-HGQ-E02-S1:{\"hello\":2}");
            kcat.StandardInput.Close();
            await kcat.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, kcat.ExitCode);
        }

        var consume = new ProcessStartInfo("kcat", ["-b", bootstrap!, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-K:"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using (var kcat = Process.Start(consume)!)
        {
            var output = await kcat.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("SH-HGQ-E01-S1:{\"hello\":1}", output, StringComparison.Ordinal);
            Assert.Contains("SH-HGQ-E02-S1:{\"hello\":2}", output, StringComparison.Ordinal);
        }

        // Closing stdin stops the broker.
        broker.StandardInput.Close();
        await broker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, broker.ExitCode);
    }

    [Fact]
    public async Task Kcat_reading_the_cap_topic_of_the_broker_receives_alerts_valid_against_the_OASIS_schema()
    {
        using var broker = CliProcess.Start(["broker"]);
        var bootstrap = (await broker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
        var (code, _, stderr) = await CliProcess.RunAsync(
            ["run", "--kafka", bootstrap, "--simulate", "--for", "40s", "--metrics-port", "0"],
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["RiskStream__Simulation__FirstHazardAfter"] = "0s" });
        Assert.True(code == 0, stderr);

        var consume = new ProcessStartInfo("kcat", ["-b", bootstrap, "-C", "-t", Core.Topics.Cap, "-o", "beginning", "-e", "-q", "-f", "%s\\n"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using (var kcat = Process.Start(consume)!)
        {
            var output = await kcat.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var alerts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(alerts);
            foreach (var alert in alerts)
            {
                RiskStream.Testing.CapAssert.Valid(alert);
            }

            Assert.Contains(alerts, a => a.Contains("<msgType>Alert</msgType>", StringComparison.Ordinal));
        }

        broker.StandardInput.Close();
        await broker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Topics_creates_every_topic_with_one_partition_count_and_the_state_compacted()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["topics", "--partitions", "6"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        var registry = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var lines = stdout.Split('\n').Where(l => l.StartsWith("kafka-topics", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Core.Topics.All(registry).Order(StringComparer.Ordinal), lines.Select(l => l.Split("--topic ")[1].Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Contains("--partitions 6 ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"--topic {Core.Topics.WarningState} ", StringComparison.Ordinal) && l.Contains("cleanup.policy=compact", StringComparison.Ordinal));
        Assert.Equal(2, (await CliProcess.RunAsync(["topics", "--partitions", "0"], TimeSpan.FromMinutes(1))).Code);
    }

    [Fact]
    public async Task Run_with_an_InfluxDB_leaves_readings_scores_and_warnings_there()
    {
        using var influx = new RiskStream.Testing.InfluxFixture();
        await influx.CreateDatabaseAsync("riskstream");
        var (code, _, stderr) = await CliProcess.RunAsync(
            ["run", "--for", "30s", "--metrics-port", "0", "--influx-url", influx.Url.ToString(), "--influx-api", "v1", "--influx-db", "riskstream"],
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["RiskStream__Simulation__FirstHazardAfter"] = "0s", ["RiskStream__Simulation__InspectionEvery"] = "4s" });
        Assert.True(code == 0, stderr);
        Assert.Contains("InfluxDB sink drained", stderr, StringComparison.Ordinal);
        Assert.True(await influx.CountAsync("riskstream", "SELECT count(score) FROM identification") >= 2);
        var readings = await influx.CountAsync("riskstream", "SELECT count(value) FROM reading");
        Assert.True(readings > 1_000, $"{readings} readings");

        // The run stops the sink shortly after the pipeline: the last scores may still be in Kafka, for the next run.
        Assert.InRange(await influx.CountAsync("riskstream", "SELECT count(risk) FROM score"), readings * 0.95, readings);
        Assert.True(await influx.CountAsync("riskstream", "SELECT count(seq) FROM warning WHERE scenario = 'combustible_gas_leak'") >= 1);

        // Every InfluxQL query of the Grafana dashboards, macros and variables substituted, returns rows from it. A
        // variable takes the first value its query returns, as Grafana does; $site is one with a warning.
        var site = (await influx.QueryAsync("riskstream", "SHOW TAG VALUES FROM \"warning\" WITH KEY = \"site\""))[0][1].GetString()!;
        var queries = 0;
        // The KPI dashboards need closed hours and days: KpiDashboardTests runs theirs over records of that span.
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Of("grafana", "dashboards"), "*.json").Where(f => !KpiDashboardTests.Dashboards.Contains(Path.GetFileName(f))))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var name = Path.GetFileName(file);
            var values = new Dictionary<string, string> { ["site"] = site };
            string Substitute(string query) => values.OrderByDescending(v => v.Key.Length).Aggregate(
                query.Replace("$timeFilter", "time > now() - 1h", StringComparison.Ordinal).Replace("$__interval", "10s", StringComparison.Ordinal),
                (q, v) => q.Replace("$" + v.Key, v.Value, StringComparison.Ordinal));

            foreach (var variable in doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
            {
                var sql = Substitute(variable.GetProperty("query").GetString()!);
                var rows = await influx.QueryAsync("riskstream", sql);
                Assert.True(rows.Count > 0, $"{name} / ${variable.GetProperty("name").GetString()}: no rows for {sql}");
                values.TryAdd(variable.GetProperty("name").GetString()!, rows[0][1].GetString()!);
                queries++;
            }

            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            {
                var title = panel.GetProperty("title").GetString()!;
                foreach (var target in panel.GetProperty("targets").EnumerateArray().Where(t => t.GetProperty("datasource").GetProperty("type").GetString() == "influxdb"))
                {
                    var sql = Substitute(target.GetProperty("query").GetString()!);
                    var rows = await influx.QueryAsync("riskstream", sql);
                    Assert.True(rows.Count > 0, $"{name} / {title}: no rows for {sql}");
                    queries++;
                }

                // Thresholds taken from another query's result: that query exists and returns every field mapped.
                foreach (var transformation in panel.TryGetProperty("transformations", out var ts) ? ts.EnumerateArray() : default)
                {
                    if (transformation.GetProperty("id").GetString() != "configFromData")
                    {
                        continue;
                    }

                    var options = transformation.GetProperty("options");
                    var refId = options.GetProperty("configRefId").GetString();
                    var source = panel.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("refId").GetString() == refId);
                    var columns = await influx.ColumnsAsync("riskstream", Substitute(source.GetProperty("query").GetString()!));
                    foreach (var mapping in options.GetProperty("mappings").EnumerateArray().Select(m => m.GetProperty("fieldName").GetString()!).Where(f => f != "Time"))
                    {
                        Assert.True(columns.Contains(mapping), $"{name} / {title}: {mapping} is not a column of query {refId} ({string.Join(", ", columns)})");
                    }
                }
            }
        }

        Assert.True(queries >= 10, $"{queries} InfluxQL queries");

        // The site-detail panels show real content: setpoints as thresholds, and the anomaly flag of the served model.
        Assert.True(await influx.CountAsync("riskstream", "SELECT count(second_high) FROM setpoint WHERE kind = 'combustible_lel'") >= 1);
        Assert.InRange(await influx.CountAsync("riskstream", "SELECT count(anomalous) FROM score"), readings * 0.95, readings);
    }
}
