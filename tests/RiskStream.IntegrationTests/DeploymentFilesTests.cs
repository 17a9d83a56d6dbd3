using RiskStream.Cli.Hosting;
using RiskStream.Testing;
using YamlDotNet.RepresentationModel;

namespace RiskStream.IntegrationTests;

/// <summary>
/// docker-compose.yml, the Dockerfile and k8s/ cannot run here (no Docker engine, no cluster): they are parsed and
/// cross-checked against the code: ports, environment keys against the options the code reads, commands, topics,
/// images, labels.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static readonly HashSet<string> Commands = ["run", "broker", "simulate", "bench", "acls", "topics", "sink", "kpis"];

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    private static string Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value ?? "";

    /// <summary>Options keys the code reads: the catalog, with "RiskStream__A__B" spelled "RiskStream:A:B".</summary>
    private static readonly HashSet<string> Catalog = RiskStreamOptions.Catalog.Select(o => o.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static void AssertKnownEnvironmentKey(string where, string key)
    {
        if (!key.StartsWith("RiskStream__", StringComparison.Ordinal))
        {
            return;
        }

        if (key is "RiskStream__Influx__Token" or "RiskStream__Influx__Password" || key.StartsWith("RiskStream__Kafka__Properties__", StringComparison.Ordinal))
        {
            return;
        }

        Assert.True(Catalog.Contains(key.Replace("__", ":", StringComparison.Ordinal)), $"{where}: {key} is not an option the code reads");
    }

    private static void AssertKnownCommand(string where, List<string> args)
    {
        Assert.NotEmpty(args);
        Assert.True(Commands.Contains(args[0]), $"{where}: unknown command '{args[0]}'");

        // The command line parses as the executable would parse it.
        var parse = RiskStream.Cli.Commands.RiskStreamCommand.Create().Parse(args);
        Assert.True(parse.Errors.Count == 0, $"{where}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
    }

    [Fact]
    public void Compose_services_use_real_commands_known_options_pinned_images_and_the_repository_s_files()
    {
        var compose = Load(RepoPaths.Of("docker-compose.yml"));
        var services = (YamlMappingNode)At(compose, "services")!;
        var names = services.Children.Keys.Select(Scalar).ToHashSet();
        foreach (var needed in new[] { "kafka", "kafka-init", "influxdb", "grafana", "prometheus", "riskstream", "simulator", "influx-sink" })
        {
            Assert.Contains(needed, names);
        }

        foreach (var (keyNode, service) in services.Children)
        {
            var name = Scalar(keyNode);
            var image = Scalar(At(service, "image"));
            Assert.False(image.EndsWith(":latest", StringComparison.Ordinal) || (image.Length > 0 && !image.Contains(':', StringComparison.Ordinal)), $"{name}: image '{image}' is not pinned");
            if (At(service, "environment") is YamlMappingNode env)
            {
                foreach (var key in env.Children.Keys.Select(Scalar))
                {
                    AssertKnownEnvironmentKey($"compose {name}", key);
                }
            }

            if (image == "riskstream:local")
            {
                var args = ((YamlSequenceNode)At(service, "command")!).Children.Select(Scalar).ToList();
                AssertKnownCommand($"compose {name}", args);
            }

            foreach (var volume in (At(service, "volumes") as YamlSequenceNode)?.Children.Select(Scalar) ?? [])
            {
                var local = volume.Split(':')[0];
                Assert.True(Directory.Exists(RepoPaths.Of(local)) || File.Exists(RepoPaths.Of(local)), $"compose {name}: mounts {local}, which the repository does not have");
            }
        }

        // Prometheus scrapes the metrics port of services that serve it.
        var prometheusMount = ((YamlSequenceNode)At(services, "prometheus", "volumes")!).Children.Select(Scalar).Single(v => v.EndsWith(":/etc/prometheus/prometheus.yml:ro", StringComparison.Ordinal));
        var prometheus = File.ReadAllText(RepoPaths.Of(prometheusMount.Split(':')[0].TrimStart('.', '/')));
        foreach (var target in System.Text.RegularExpressions.Regex.Matches(prometheus, "\"([a-z-]+):(\\d+)\"").Select(m => (Service: m.Groups[1].Value, Port: m.Groups[2].Value)))
        {
            Assert.Contains(target.Service, names);
            Assert.Equal("9464", target.Port);
            var args = ((YamlSequenceNode)At(services, target.Service, "command")!).Children.Select(Scalar).ToArray();
            Assert.True(args[0] is "run" or "sink" or "kpis", $"{target.Service} ({args[0]}) serves no /metrics");
        }

        // The topics kafka-init creates are RiskStream's, and the state topic is compacted.
        var init = string.Concat(((YamlSequenceNode)At(services, "kafka-init", "command")!).Children.Select(Scalar));
        var registry = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var known = Core.Topics.All(registry).ToHashSet();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(init, @"riskstream\.[a-z.-]+"))
        {
            Assert.Contains(m.Value, known);
        }

        Assert.Contains($"--topic {Core.Topics.WarningState} --partitions 6 --replication-factor 1 --config cleanup.policy=compact", init, StringComparison.Ordinal);
        Assert.Equal("6", Scalar(At(services, "kafka", "environment", "KAFKA_NUM_PARTITIONS")));

        // Grafana gets the provisioning and dashboards the repository has, and the variables its datasources use.
        var datasources = File.ReadAllText(RepoPaths.Of("grafana", "provisioning", "datasources", "riskstream.yaml"));
        var grafanaEnv = ((YamlMappingNode)At(services, "grafana", "environment")!).Children.Keys.Select(Scalar).ToHashSet();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(datasources, @"\$\{([A-Z_]+)\}"))
        {
            Assert.Contains(m.Groups[1].Value, grafanaEnv);
        }
    }

    [Fact]
    public void Dockerfile_is_multi_stage_and_runs_the_executable_as_a_non_root_user()
    {
        var lines = File.ReadAllLines(RepoPaths.Of("Dockerfile")).Where(l => !l.TrimStart().StartsWith('#')).ToArray();
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains(lines, l => l.Contains("runtime:10.0", StringComparison.Ordinal) && l.Contains("chiseled", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("src/RiskStream.Cli/RiskStream.Cli.csproj", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"riskstream.dll\"]", lines);
        Assert.Contains("EXPOSE 9464", lines);
        Assert.True(File.Exists(RepoPaths.Of("src", "RiskStream.Cli", "RiskStream.Cli.csproj")));

        // Every repository folder the executable ships beside itself (config, the Raman library) reaches the build stage.
        var csproj = File.ReadAllText(RepoPaths.Of("src", "RiskStream.Cli", "RiskStream.Cli.csproj"));
        var shipped = System.Text.RegularExpressions.Regex.Matches(csproj, "Include=\"\\.\\./\\.\\./([a-z]+)/").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("models", shipped);
        Assert.All(shipped, folder => Assert.Contains($"COPY {folder}/ {folder}/", lines));
    }

    [Fact]
    public void Kubernetes_manifests_fit_together_and_use_known_options_ports_and_commands()
    {
        var kustomization = Load(RepoPaths.Of("k8s", "kustomization.yaml"));
        var resources = ((YamlSequenceNode)At(kustomization, "resources")!).Children.Select(Scalar).ToList();
        var docs = resources.ToDictionary(r => r, r => Load(RepoPaths.Of("k8s", r)));
        var kinds = docs.Values.Select(d => Scalar(At(d, "kind"))).ToList();
        foreach (var needed in new[] { "Namespace", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy" })
        {
            Assert.Contains(needed, kinds);
        }

        var config = docs.Values.Single(d => Scalar(At(d, "kind")) == "ConfigMap");
        foreach (var key in ((YamlMappingNode)At(config, "data")!).Children.Keys.Select(Scalar))
        {
            AssertKnownEnvironmentKey("k8s ConfigMap", key);
        }

        Assert.Equal("9464", Scalar(At(config, "data", "RiskStream__Metrics__Port")));
        var deployments = docs.Values.Where(d => Scalar(At(d, "kind")) == "Deployment").ToList();
        Assert.Equal(3, deployments.Count); // the pipeline, the InfluxDB sink, the KPI job
        foreach (var d in deployments)
        {
            var name = Scalar(At(d, "metadata", "name"));
            var container = (YamlMappingNode)((YamlSequenceNode)At(d, "spec", "template", "spec", "containers")!).Children[0];
            Assert.Equal("riskstream", Scalar(At(container, "image")));
            AssertKnownCommand($"k8s {name}", ((YamlSequenceNode)At(container, "args")!).Children.Select(Scalar).ToList());
            var port = (YamlMappingNode)((YamlSequenceNode)At(container, "ports")!).Children[0];
            Assert.Equal(("metrics", "9464"), (Scalar(At(port, "name")), Scalar(At(port, "containerPort"))));
            foreach (var (probe, path) in new[] { ("readinessProbe", "/healthz/ready"), ("livenessProbe", "/healthz/live") })
            {
                Assert.Equal((path, "metrics"), (Scalar(At(container, probe, "httpGet", "path")), Scalar(At(container, probe, "httpGet", "port"))));
            }

            Assert.NotNull(At(container, "resources", "requests"));
            Assert.NotNull(At(container, "resources", "limits"));
            var selector = (YamlMappingNode)At(d, "spec", "selector", "matchLabels")!;
            var labels = (YamlMappingNode)At(d, "spec", "template", "metadata", "labels")!;
            Assert.All(selector.Children, kv => Assert.Equal(Scalar(kv.Value), Scalar(labels.Children[kv.Key])));
        }

        var pipeline = deployments.Single(d => Scalar(At(d, "metadata", "name")) == "riskstream");
        Assert.True(int.Parse(Scalar(At(pipeline, "spec", "replicas")), System.Globalization.CultureInfo.InvariantCulture) >= 2, "several replicas in one consumer group");

        var service = docs.Values.Single(d => Scalar(At(d, "kind")) == "Service");
        Assert.Equal("metrics", Scalar(At((YamlMappingNode)((YamlSequenceNode)At(service, "spec", "ports")!).Children[0], "targetPort")));
        var hpa = docs.Values.Single(d => Scalar(At(d, "kind")) == "HorizontalPodAutoscaler");
        Assert.Equal("riskstream", Scalar(At(hpa, "spec", "scaleTargetRef", "name")));
        var pdb = docs.Values.Single(d => Scalar(At(d, "kind")) == "PodDisruptionBudget");
        var pipelineLabels = (YamlMappingNode)At(pipeline, "spec", "template", "metadata", "labels")!;
        Assert.All(((YamlMappingNode)At(pdb, "spec", "selector", "matchLabels")!).Children, kv => Assert.Equal(Scalar(kv.Value), Scalar(pipelineLabels.Children[kv.Key])));
        var images = (YamlSequenceNode)At(kustomization, "images")!;
        Assert.Equal("riskstream", Scalar(At(images.Children[0], "name")));
    }

    [Fact]
    public void Docker_compose_validates_the_file_without_ignoring_any_part_of_it()
    {
        static (int Code, string Error) Config(string file)
        {
            var compose = File.Exists("/usr/bin/docker-compose") ? "/usr/bin/docker-compose" : "docker-compose";
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(compose, ["-f", file, "config", "-q"]) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = RepoPaths.Of() })
                ?? throw new InvalidOperationException("docker-compose did not start (apt-get install -y docker-compose)");
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "docker-compose config did not finish in 60 s");
            return (process.ExitCode, error.Result);
        }

        var (code, error) = Config(RepoPaths.Of("docker-compose.yml"));
        Assert.True(code == 0 && error.Trim().Length == 0, $"docker-compose config: exit {code}: {error}");

        // The check can fail: a key Compose does not know is refused.
        var broken = Path.Combine(Path.GetTempPath(), $"compose-{Guid.NewGuid():N}.yml");
        File.WriteAllText(broken, File.ReadAllText(RepoPaths.Of("docker-compose.yml")).Replace("  restart: unless-stopped", "  restart: unless-stopped\n  restart_policy: always", StringComparison.Ordinal));
        try
        {
            Assert.NotEqual(0, Config(broken).Code);
        }
        finally
        {
            File.Delete(broken);
        }
    }
}
