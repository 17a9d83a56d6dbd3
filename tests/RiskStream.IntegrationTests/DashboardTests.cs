using RiskStream.Core;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Contracts;
using RiskStream.IntegrationTests.Support;
using RiskStream.Testing;


namespace RiskStream.IntegrationTests;

/// <summary>The Grafana dashboards: provisioned datasources and only the metrics the code exports.</summary>
public sealed class DashboardTests
{
    /// <summary>(dashboard, panel, datasource type, query) of every target and template variable of grafana/dashboards.</summary>
    internal static IEnumerable<(string Dashboard, string Panel, string Datasource, string Query)> DashboardQueries()
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
}
