using RiskStream.Core;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Contracts;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>The <c>riskstream</c> executable as a newcomer and an operator use it.</summary>
public sealed class CliTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "riskstream.dll");

    private static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        using var p = Start(args, environment);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cancel.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Run_on_the_embedded_default_prints_warning_events_as_json_lines_and_stops_cleanly()
    {
        var port = RiskStream.Testing.FreePorts.BelowEphemeralRange();
        using var process = Start(
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
            SchemaAssert.Valid("warning.v1.json", line);
        }

        var events = lines.Select(l => JsonSerializer.Deserialize(l, ContractJson.Default.WarningEvent)!).ToList();
        Assert.Contains(events, e => e.Status == WarningStatus.Raised && e.Scenario == "combustible_gas_leak");
        Assert.Contains("EMBEDDED broker", stderr, StringComparison.Ordinal);
        Assert.Contains("Drained; committed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_prints_its_address_first_and_kcat_produces_to_and_consumes_from_it()
    {
        using var broker = Start(["broker"]);
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
        using var broker = Start(["broker"]);
        var bootstrap = (await broker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
        var (code, _, stderr) = await RunAsync(
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
    public async Task Acls_give_each_party_its_own_warning_and_cap_topics_and_its_own_ack_topic_only()
    {
        var (code, stdout, stderr) = await RunAsync(["acls"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        var registry = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var lines = stdout.Split('\n').Where(l => l.StartsWith("kafka-acls", StringComparison.Ordinal)).ToArray();
        foreach (var (id, type) in registry.Jurisdictions.Keys.Select(j => (j, "gov")).Concat(registry.Enterprises.Keys.Select(e => (e, "ent"))))
        {
            var mine = lines.Where(l => l.Contains($"--allow-principal User:{type}-{id} ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(3, mine.Length);
            Assert.Contains(mine, l => l.Contains("--operation Read", StringComparison.Ordinal) && l.EndsWith($"--topic riskstream.warnings.{type}.{id} --topic riskstream.cap.{type}.{id}", StringComparison.Ordinal));
            Assert.Contains(mine, l => l.Contains("--operation Write", StringComparison.Ordinal) && l.EndsWith($"--topic riskstream.acks.{type}.{id}", StringComparison.Ordinal));

            // Nothing of anybody else's, and no prefixed topic grant.
            Assert.All(mine, l => Assert.DoesNotContain("prefixed --topic", l, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Topics_creates_every_topic_with_one_partition_count_and_the_state_compacted()
    {
        var (code, stdout, stderr) = await RunAsync(["topics", "--partitions", "6"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        var registry = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var lines = stdout.Split('\n').Where(l => l.StartsWith("kafka-topics", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Core.Topics.All(registry).Order(StringComparer.Ordinal), lines.Select(l => l.Split("--topic ")[1].Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Contains("--partitions 6 ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"--topic {Core.Topics.WarningState} ", StringComparison.Ordinal) && l.Contains("cleanup.policy=compact", StringComparison.Ordinal));
        Assert.Equal(2, (await RunAsync(["topics", "--partitions", "0"], TimeSpan.FromMinutes(1))).Code);
    }

    [Fact]
    public async Task Run_with_an_InfluxDB_leaves_readings_scores_and_warnings_there()
    {
        using var influx = new RiskStream.Testing.InfluxFixture();
        await influx.CreateDatabaseAsync("riskstream");
        var (code, _, stderr) = await RunAsync(
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
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Of("grafana", "dashboards"), "*.json"))
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

    /// <summary>(dashboard, panel, datasource type, query) of every target and template variable of grafana/dashboards.</summary>
    private static IEnumerable<(string Dashboard, string Panel, string Datasource, string Query)> DashboardQueries()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Of("grafana", "dashboards"), "*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var name = Path.GetFileName(file);
            foreach (var variable in doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
            {
                yield return (name, "$" + variable.GetProperty("name").GetString(), variable.GetProperty("datasource").GetProperty("type").GetString()!, variable.GetProperty("query").GetString()!);
            }

            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    var type = target.GetProperty("datasource").GetProperty("type").GetString()!;
                    yield return (name, panel.GetProperty("title").GetString()!, type, type == "influxdb" ? target.GetProperty("query").GetString()! : target.GetProperty("expr").GetString()!);
                }
            }
        }
    }

    [Fact]
    public void Dashboards_use_the_provisioned_datasources_and_only_metrics_the_code_exports()
    {
        var provisioning = File.ReadAllText(RepoPaths.Of("grafana", "provisioning", "datasources", "riskstream.yaml"));
        var uids = System.Text.RegularExpressions.Regex.Matches(provisioning, @"uid: (\S+)").Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Of("grafana", "dashboards"), "*.json"))
        {
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "\"uid\": \"(riskstream-[a-z]+)\""))
            {
                if (m.Groups[1].Value.StartsWith("riskstream-influx", StringComparison.Ordinal) || m.Groups[1].Value.StartsWith("riskstream-prometheus", StringComparison.Ordinal))
                {
                    Assert.Contains(m.Groups[1].Value, uids);
                }
            }
        }

        var source = string.Concat(Directory.EnumerateFiles(RepoPaths.Of("src"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)).Select(File.ReadAllText));
        var promQueries = DashboardQueries().Where(q => q.Datasource == "prometheus").ToList();
        Assert.NotEmpty(promQueries);
        foreach (var (dashboard, panel, _, query) in promQueries)
        {
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(query, "riskstream_[a-z_]+"))
            {
                var family = System.Text.RegularExpressions.Regex.Replace(m.Value, "_bucket$", "");
                Assert.True(source.Contains($"\"{family}\"", StringComparison.Ordinal), $"{dashboard} / {panel}: metric {family} is not exported by the code");
            }
        }
    }

    [Fact]
    public async Task Identify_names_the_substance_of_a_spectrum_file_against_a_JCAMP_DX_library()
    {
        var dir = Directory.CreateTempSubdirectory("raman");
        try
        {
            var axis = Enumerable.Range(0, 1501).Select(i => 200.0 + (i * 2.0)).ToArray();
            double Band(double x, double c, double w, double h) => h / (1 + Math.Pow((x - c) / (w / 2), 2));
            (string Name, string Cas, string Hazards, (double C, double W, double H)[] Bands)[] substances =
            [
                ("Toluene", "108-88-3", "flammable, toxic", [(1003, 8, 1), (786, 8, 0.5), (1210, 10, 0.3), (3057, 14, 0.4)]),
                ("Acetone", "67-64-1", "flammable", [(787, 10, 1), (1710, 14, 0.4), (2925, 16, 0.6)]),
                ("Ammonium nitrate", "6484-52-2", "oxidiser, explosive", [(1043, 6, 1), (715, 8, 0.15)]),
            ];
            var library = Path.Combine(dir.FullName, "library");
            Directory.CreateDirectory(library);
            foreach (var (name, cas, hazards, bands) in substances)
            {
                var y = axis.Select(x => bands.Sum(b => Band(x, b.C, b.W, b.H)) * 1000).ToArray();
                var table = string.Join("\n", axis.Select((x, i) => (x, i)).Chunk(10).Select(chunk => chunk[0].x.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(" ", chunk.Select(p => Math.Round(y[p.i]).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
                await File.WriteAllTextAsync(Path.Combine(library, name.Replace(' ', '_') + ".jdx"), $"##TITLE= {name}\n##JCAMP-DX= 4.24\n##CAS REGISTRY NO= {cas}\n##$HAZARD CLASSES= {hazards}\n##XUNITS= 1/CM\n##YUNITS= ARBITRARY UNITS\n##FIRSTX= 200\n##LASTX= 3200\n##NPOINTS= 1501\n##XYDATA= (X++(Y..Y))\n{table}\n##END=\n");
            }

            // A measured acetone spectrum: shifted 3 cm⁻¹, noisy, on a fluorescence background; as CSV.
            var random = new Random(8);
            var measured = axis.Select(x => substances[1].Bands.Sum(b => Band(x, b.C + 3, b.W, b.H)) + (2 * Math.Exp(-Math.Pow((x - 1500) / 1200, 2))) + ((random.NextDouble() - 0.5) * 0.05)).ToArray();
            var query = Path.Combine(dir.FullName, "sample.csv");
            await File.WriteAllTextAsync(query, "wavenumber,intensity\n" + string.Join("\n", axis.Select((x, i) => $"{x.ToString(System.Globalization.CultureInfo.InvariantCulture)},{measured[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}")));

            var (code, stdout, stderr) = await RunAsync(["identify", query, "--library", library, "--json"], TimeSpan.FromMinutes(1));
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var best = doc.RootElement.GetProperty("best");
            Assert.Equal(("Acetone", "67-64-1"), (best.GetProperty("name").GetString(), best.GetProperty("cas").GetString()));
            Assert.True(best.GetProperty("score").GetDouble() > 0.8);
            Assert.False(doc.RootElement.GetProperty("unknown").GetBoolean());
            Assert.Equal(["flammable"], best.GetProperty("hazardClasses").EnumerateArray().Select(h => h.GetString()));
            Assert.Equal(3, doc.RootElement.GetProperty("candidates").GetArrayLength());
            Assert.StartsWith("sha256:", doc.RootElement.GetProperty("library").GetString(), StringComparison.Ordinal);

            var broken = Path.Combine(dir.FullName, "broken.csv");
            await File.WriteAllTextAsync(broken, "200,1\n202,2\n204,x\n");
            var refused = await RunAsync(["identify", broken, "--library", library], TimeSpan.FromMinutes(1));
            Assert.Equal(2, refused.Code);
            Assert.Contains("broken.csv:3:", refused.Err, StringComparison.Ordinal);

            var noLibrary = await RunAsync(["identify", query, "--library", Path.Combine(dir.FullName, "none")], TimeSpan.FromMinutes(1));
            Assert.Equal(2, noLibrary.Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Identify_uses_the_shipped_library_and_plots_what_it_found()
    {
        var dir = Directory.CreateTempSubdirectory("raman-shipped");
        try
        {
            var (references, _) = Raman.Library.Load(RepoPaths.Of("models/raman/library"));
            var axis = Raman.Synthesis.Axis();
            var y = Raman.Synthesis.Measure(references.Single(r => r.Name == "Ammonium nitrate"), axis, new Raman.Conditions(15), new Random(4));
            var file = Path.Combine(dir.FullName, "residue.csv");
            await File.WriteAllLinesAsync(file, axis.Select((x, i) => FormattableString.Invariant($"{x:F2}\t{y[i]:F4}")));
            var plot = Path.Combine(dir.FullName, "out", "residue.png");

            var (code, stdout, stderr) = await RunAsync(["identify", file, "--json", "--plot", plot], TimeSpan.FromMinutes(1));
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var best = doc.RootElement.GetProperty("best");
            Assert.Equal(("Ammonium nitrate", "6484-52-2"), (best.GetProperty("name").GetString(), best.GetProperty("cas").GetString()));
            Assert.Equal(["explosive", "oxidizer"], best.GetProperty("hazardClasses").EnumerateArray().Select(h => h.GetString()));
            Assert.StartsWith("rs-raman-", doc.RootElement.GetProperty("library").GetString(), StringComparison.Ordinal);

            // A PNG of two stacked panels: signature, then IHDR width 1400 and height 1040 (big-endian).
            var png = await File.ReadAllBytesAsync(plot);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Equal((1400, 1040), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
            Assert.True(png.Length > 20_000, $"{png.Length} bytes: too small to hold the spectra");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Library_lists_the_shipped_references_and_adds_a_users_own()
    {
        var dir = Directory.CreateTempSubdirectory("raman-lib");
        try
        {
            var (code, stdout, stderr) = await RunAsync(["library", "list", "--json"], TimeSpan.FromMinutes(1));
            Assert.True(code == 0, stderr);
            using (var doc = JsonDocument.Parse(stdout))
            {
                var substances = doc.RootElement.GetProperty("substances").EnumerateArray().ToList();
                Assert.True(substances.Count >= 30, $"{substances.Count} substances");
                var toluene = substances.Single(s => s.GetProperty("name").GetString() == "Toluene");
                Assert.Equal(1004, toluene.GetProperty("strongestBand").GetDouble(), 0);
                Assert.Contains("ASTM E1840", toluene.GetProperty("source").GetString(), StringComparison.Ordinal);
            }

            var library = Path.Combine(dir.FullName, "library");
            Directory.CreateDirectory(library);
            File.Copy(RepoPaths.Of("models/raman/library/toluene.jdx"), Path.Combine(library, "toluene.jdx"));
            var mine = Path.Combine(dir.FullName, "mine.jdx");
            await File.WriteAllTextAsync(mine, "##TITLE=Site solvent X\n##JCAMP-DX=4.24\n##CAS REGISTRY NO=110-54-3\n##$HAZARD CLASSES=flammable\n##XUNITS=1/CM\n##YUNITS=ARBITRARY UNITS\n##PEAK TABLE=(XYW..XYW)\n895,40,12; 1447,55,12; 2935,100,15\n##END=\n");
            var added = await RunAsync(["library", "add", mine, "--library", library], TimeSpan.FromMinutes(1));
            Assert.True(added.Code == 0, added.Err);
            Assert.Contains("added site-solvent-x.jdx", added.Out, StringComparison.Ordinal);
            var again = await RunAsync(["library", "add", mine, "--library", library], TimeSpan.FromMinutes(1));
            Assert.Equal(2, again.Code);
            Assert.Contains("already in the library", again.Err, StringComparison.Ordinal);
            var listed = await RunAsync(["library", "list", "--library", library], TimeSpan.FromMinutes(1));
            Assert.Contains("2 substances", listed.Out, StringComparison.Ordinal);
            Assert.Contains("Site solvent X", listed.Out, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Evaluate_raman_compares_the_search_with_the_classifier_on_every_figure()
    {
        var (code, stdout, stderr) = await RunAsync(["evaluate-raman", "--trials", "1", "--json"], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim());
        var search = doc.RootElement.GetProperty("search");
        var classifier = doc.RootElement.GetProperty("classifier").GetProperty("figures");
        foreach (var key in new[] { "top1Snr20", "top1Snr5", "mixturesTop3", "strangersUnknown" })
        {
            Assert.InRange(search.GetProperty(key).GetDouble(), 0, 1);
            Assert.InRange(classifier.GetProperty(key).GetDouble(), 0, 1);
        }

        Assert.True(search.GetProperty("top1Snr20").GetDouble() >= 0.9);
        Assert.True(search.GetProperty("spectraPerSec").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("search1000").GetProperty("spectraPerSec").GetDouble() > 0);
    }

    [Fact]
    public async Task Dataset_train_evaluate_and_models_use_make_a_served_model_from_the_simulator()
    {
        var dir = Directory.CreateTempSubdirectory("rs-ml");
        try
        {
            var data = Path.Combine(dir.FullName, "data.csv");
            var (code, stdout, stderr) = await RunAsync(["dataset", "--out", data, "--hours", "0.25", "--seed", "4"], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, stderr);
            Assert.Contains("rows", stdout, StringComparison.Ordinal);
            Assert.StartsWith("ts_ms,site,sensor,kind,value,alarm,event,event_id,hazard,alarm,excess", File.ReadLines(data).First(), StringComparison.Ordinal);

            var models = Path.Combine(dir.FullName, "models");
            var trained = await RunAsync(["train", "risk", "--data", data, "--out", Path.Combine(models, "risk", "t1"), "--seed", "4", "--use"], TimeSpan.FromMinutes(3));
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
            var evaluated = await RunAsync(["evaluate", "--model", Path.Combine(models, "risk", "t1"), "--data", data, "--json", "--plot", plots], TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.True(evaluated.Code == 0, evaluated.Err);
            using (var doc = JsonDocument.Parse(evaluated.Out.Trim()))
            {
                foreach (var key in new[] { "prAuc", "rocAuc", "precision", "recall", "falseAlarmsPer1000SensorHours", "medianLeadSecondsLeakRamp", "faultsAsHealthShare", "sensorHours" })
                {
                    Assert.True(doc.RootElement.TryGetProperty(key, out _), key);
                }

                Assert.True(doc.RootElement.GetProperty("prAuc").GetDouble() > 0.5);
                Assert.Equal(doc.RootElement.GetProperty("falseAlarms").GetInt64(), doc.RootElement.GetProperty("falseWarnings").GetArrayLength());
            }

            var stricter = await RunAsync(["evaluate", "--model", Path.Combine(models, "risk", "t1"), "--data", data, "--threshold", "1.5"], TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.Equal(2, stricter.Code);
            Assert.Contains("--threshold '1.5'", stricter.Err, StringComparison.Ordinal);

            Assert.All(new[] { "precision-recall.png", "calibration.png", "lead-time.png" }, f => Assert.True(new FileInfo(Path.Combine(plots, f)).Length > 5_000, f));

            var listed = await RunAsync(["models", "list"], TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
            Assert.Contains("* risk/t1", listed.Out, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(models, "risk", "t1", "model.zip"), "broken");
            var refused = await RunAsync(["models", "use", "risk", "t1"], TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["RiskStream__Models__Path"] = models });
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
        var (code, stdout, stderr) = await RunAsync(["bench", "--json", "--duration", "1s", "--sensors", "2000", "--latency-rate", "2000"], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim());
        foreach (var key in new[] { "readingsPerSec", "rawConsumePerSec", "ratio", "latencyP50Ms", "latencyP99Ms", "latencyRatePerSec", "sensors", "managedBytesPerSensor", "spectraPerSec", "spectraPerSec1000", "librarySubstances" })
        {
            Assert.True(doc.RootElement.GetProperty(key).GetDouble() > 0, key);
        }
    }

    [Theory]
    [InlineData("--lanes", "0", "RiskStream:Pipeline:Lanes")]
    [InlineData("--rate", "-3", "RiskStream:Simulation:RatePerSecond")]
    [InlineData("--metrics-port", "70000", "RiskStream:Metrics:Port")]
    public async Task An_option_out_of_range_stops_the_start_with_the_key_named(string flag, string value, string key)
    {
        var (code, _, stderr) = await RunAsync(["run", flag, value, "--for", "5s"], TimeSpan.FromMinutes(1));
        Assert.Equal(2, code);
        Assert.Contains(key, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metrics_port_already_taken_stops_the_start_with_the_key_named()
    {
        var port = RiskStream.Testing.FreePorts.BelowEphemeralRange();
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
        holder.Start();
        var (code, _, stderr) = await RunAsync(["run", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--for", "5s"], TimeSpan.FromMinutes(1));
        Assert.True(code == 2, stderr);
        Assert.Contains("RiskStream:Metrics:Port", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_options_and_commands_are_refused()
    {
        Assert.Equal(2, (await RunAsync(["run", "--colour", "red"], TimeSpan.FromMinutes(1))).Code);
        Assert.Equal(2, (await RunAsync(["launch"], TimeSpan.FromMinutes(1))).Code);
    }

    [Fact]
    public void The_configuration_reference_is_generated_from_the_declarations_and_a_misspelt_key_is_refused()
    {
        // docs/configuration.md holds the table riskstream config --markdown prints, unchanged.
        var doc = File.ReadAllText(RepoPaths.Of("docs", "configuration.md"));
        Assert.Contains(RiskStream.Cli.Commands.ConfigCommand.Markdown(), doc, StringComparison.Ordinal);

        // Every key the process binds is declared: an undeclared one is refused with the nearest declared key.
        var misspelt = new ConfigurationBuilder().AddInMemoryCollection([new("RiskStream:Pipeline:Lane", "2")]).Build();
        var refused = Assert.Throws<RiskStream.Core.Options.OptionsException>(() => RiskStreamOptions.Read(misspelt));
        Assert.Contains("RiskStream:Pipeline:Lanes", refused.Message, StringComparison.Ordinal);
        var unknownSection = new ConfigurationBuilder().AddInMemoryCollection([new("RiskStream:Pipline:Lanes", "2")]).Build();
        Assert.Throws<RiskStream.Core.Options.OptionsException>(() => RiskStreamOptions.Read(unknownSection));
        _ = RiskStreamOptions.Read(new ConfigurationBuilder().Build());
    }

    [Fact]
    public async Task Simulate_publishes_readings_that_the_schema_accepts()
    {
        using var broker = new RiskStream.Testing.BrokerFixture();
        var (code, _, stderr) = await RunAsync(["simulate", "--kafka", broker.Bootstrap, "--for", "3s", "--rate", "200"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig { BootstrapServers = broker.Bootstrap, GroupId = "sim-check", AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe(RiskStream.Core.Topics.Readings);
        var seen = 0;
        while (consumer.Consume(TimeSpan.FromSeconds(10)) is { } r)
        {
            SchemaAssert.Valid("reading.v1.json", System.Text.Encoding.UTF8.GetString(r.Message.Value));
            Assert.Equal(JsonSerializer.Deserialize(r.Message.Value, ContractJson.Default.Reading)!.Site, System.Text.Encoding.UTF8.GetString(r.Message.Key));
            if (++seen >= 400)
            {
                break;
            }
        }

        Assert.True(seen >= 400, $"only {seen} readings in 3 s at 200/s");
    }

    [Fact]
    public void Durations_parse_as_people_write_them()
    {
        Assert.True(Durations.TryParse("500ms", out var a) && a == TimeSpan.FromMilliseconds(500));
        Assert.True(Durations.TryParse("60s", out var b) && b == TimeSpan.FromMinutes(1));
        Assert.True(Durations.TryParse("2m", out var c) && c == TimeSpan.FromMinutes(2));
        Assert.True(Durations.TryParse("00:00:05", out var d) && d == TimeSpan.FromSeconds(5));
        Assert.False(Durations.TryParse("soon", out _));
        Assert.False(Durations.TryParse("-5s", out _));

        // A bare number is neither seconds nor days; nothing beyond a year, nothing that overflows.
        Assert.False(Durations.TryParse("60", out _));
        Assert.False(Durations.TryParse("1", out _));
        Assert.False(Durations.TryParse("1e300s", out _));
        Assert.False(Durations.TryParse("99999999999999d", out _));
        Assert.False(Durations.TryParse("400d", out _));
    }
}
