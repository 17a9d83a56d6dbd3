using System.Text;
using System.Text.Json;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Influx;
using RiskStream.Kpis;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// The "Alarm performance" and "Data quality" dashboards: a day of KPI and data-quality records (from the calculators,
/// written through the sink's line protocol into a real influxd), then every query of both, variables and macros
/// substituted, returns rows.
/// </summary>
public sealed class KpiDashboardTests
{
    public static readonly string[] Dashboards = ["alarm-performance.json", "data-quality.json"];

    [Fact]
    public async Task Every_query_of_the_KPI_dashboards_returns_rows_from_a_day_of_records()
    {
        var park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var (kpis, quality) = Records(park, DateTimeOffset.UtcNow);
        var lines = new StringBuilder();
        foreach (var k in kpis)
        {
            Assert.True(LineProtocol.TryAppend(lines, Topics.Kpis, JsonSerializer.SerializeToUtf8Bytes(k, ContractJson.Default.AlarmKpis), out var why), why);
        }

        foreach (var q in quality)
        {
            Assert.True(LineProtocol.TryAppend(lines, Topics.DataQuality, JsonSerializer.SerializeToUtf8Bytes(q, ContractJson.Default.DataQuality), out var why), why);
        }

        using var influx = new InfluxFixture();
        await influx.CreateDatabaseAsync("riskstream");
        using (var writer = new InfluxV1Writer(influx.Url, "riskstream", null, null, null, gzip: true, TimeSpan.FromSeconds(30)))
        {
            await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        }

        var queries = 0;
        foreach (var name in Dashboards)
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Of("grafana", "dashboards", name)));
            var values = new Dictionary<string, string>();
            string Substitute(string query) => values.OrderByDescending(v => v.Key.Length).Aggregate(
                query.Replace("$timeFilter", "time > now() - 3d", StringComparison.Ordinal).Replace("$__interval", "1h", StringComparison.Ordinal),
                (q, v) => q.Replace("$" + v.Key, v.Value, StringComparison.Ordinal));
            foreach (var variable in doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
            {
                var rows = await influx.QueryAsync("riskstream", Substitute(variable.GetProperty("query").GetString()!));
                Assert.True(rows.Count > 0, $"{name} / ${variable.GetProperty("name").GetString()}: no rows");
                values[variable.GetProperty("name").GetString()!] = rows[0][1].GetString()!;
                queries++;
            }

            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    var sql = Substitute(target.GetProperty("query").GetString()!);
                    var rows = await influx.QueryAsync("riskstream", sql);
                    Assert.True(rows.Count > 0, $"{name} / {panel.GetProperty("title").GetString()}: no rows for {sql}");
                    queries++;
                }
            }
        }

        Assert.Equal(17, queries); // 4 variables, 13 panel queries
    }

    /// <summary>
    /// 50 hours of made-up operation at one site up to <paramref name="now"/> (so the last complete day is always in
    /// it): a leak warning an hour, acknowledged, an assistance request accepted, disposed (every third a false alarm);
    /// every sensor reporting every other period, one reading in 25 flagged by the fault detector. Their KPI and
    /// data-quality records, as the calculators close them.
    /// </summary>
    internal static (IReadOnlyList<AlarmKpis> Kpis, IReadOnlyList<DataQuality> Quality) Records(ParkRegistry park, DateTimeOffset now)
    {
        var site = park.Sites["SH-HGQ-E04-S1"];
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(now.Hour).AddHours(-50);
        var kpis = new AlarmKpiCalculator(park);
        var quality = new DataQualityCalculator(park, (_, _, _) => null);
        var owner = new Party(PartyType.Enterprise, site.Enterprise.Id);
        for (var h = 0; h < 50; h++)
        {
            var at = start.AddHours(h).AddMinutes(5);
            var raised = new WarningEvent($"combustible_gas_leak:{site.Id}:{h}", 1, "combustible_gas_leak", WarningLevel.Yellow, WarningStatus.Raised, site.Id, site.Enterprise.Id, site.Jurisdiction.Id, at, at,
                [new SensorEvidence("T104-LEL-1", SensorKind.CombustibleLel, 30, "%LEL", AlarmLevel.First, 0.5, at)], ["risk/1"], [], [], [])
            {
                Responses = [new PartyResponse(owner, ResponseRole.Owner, ResponseStatus.Acknowledged, at) { AcknowledgedAt = at.AddSeconds(40 + h) }],
                Assistance = [new AssistanceRequest("hazmat_rescue", "E07", site.Jurisdiction.Id, "project", "come") { Status = AssistanceStatus.Accepted, RequestedAt = at, AnsweredAt = at.AddMinutes(3) }],
            };
            kpis.Observe(raised);
            kpis.Observe(raised with { Seq = 2, Status = WarningStatus.Closed, Time = at.AddMinutes(30), ResolvedAt = at.AddMinutes(20), Disposition = new Disposition(h % 3 == 0 ? DispositionReason.FalseAlarm : DispositionReason.ConfirmedHazard, owner, ResponseRole.Owner, "duty", at.AddMinutes(30), null) });
            foreach (var sensor in site.Sensors)
            {
                for (var k = 0; k < 360; k += 2)
                {
                    var ts = start.AddHours(h).AddSeconds(k * 10);
                    quality.Observe(new Score("x", site.Id, sensor.Id, sensor.Kind, 1, "%LEL", ts, AlarmLevel.None, 0, "m/1", k % 50 == 0, new WindowSummary(1, 1, 1, 1, 0), false));
                }
            }
        }

        return (kpis.Close(now), quality.Close(now));
    }
}
