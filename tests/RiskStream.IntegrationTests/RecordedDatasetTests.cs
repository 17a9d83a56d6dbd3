using System.Text;
using System.Text.Json;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Influx;
using RiskStream.Sensors.Models;
using RiskStream.Sensors.Windows;
using RiskStream.Simulation;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// Datasets from history: readings recorded in a real influxd, read back and replayed through the lane's feature
/// code, give the very rows the simulator's path computed from the same readings (bit for bit); labels read back
/// from InfluxDB label their intervals' rows, an excluded interval's rows are left out and the card says so.
/// </summary>
public sealed class RecordedDatasetTests
{
    private static readonly ParkRegistry Park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Readings_read_back_from_InfluxDB_give_the_simulated_rows_bit_for_bit_and_labels_label_their_intervals()
    {
        // Twenty simulated minutes with hazards and faults, every sensor each second: the simulator's own rows.
        var simulation = new SimulationOptions { Seed = 21, RatePerSecond = Park.SensorCount, DemoHazard = false, EventEvery = TimeSpan.FromSeconds(60) };
        var window = new WindowOptions();
        var simulated = DatasetWriter.Rows(Park, simulation, Start, TimeSpan.FromMinutes(20), window).ToList();
        Assert.True(simulated.Count > 100_000, $"{simulated.Count} rows");

        // The same readings, as the sink writes them, into influxd; and three labels as the KPI job would publish them.
        var lines = new StringBuilder();
        foreach (var r in simulated)
        {
            Assert.True(WireNames.TryParseWire<SensorKind>(r.Kind, out var kind));
            LineProtocol.AppendReading(lines, r.Site, r.Sensor, kind, r.Value, r.TsMs);
        }

        var site = Park.SiteList[0];
        var lel = site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).Select(s => s.Id).ToArray();
        Label At(string id, int fromMin, int toMin, DispositionReason reason, params string[] sensors)
        {
            var (risk, fault) = Label.Of("combustible_gas_leak", reason);
            return new Label($"combustible_gas_leak:{site.Id}:{id}", "combustible_gas_leak", site.Id, site.Enterprise.Id, sensors, Start.AddMinutes(fromMin), Start.AddMinutes(toMin), risk, reason, "risk/7", Start.AddMinutes(toMin + 5)) { Fault = fault };
        }

        var labels = new[]
        {
            At("1", 2, 4, DispositionReason.ConfirmedHazard, lel[0], lel[1]),
            At("2", 6, 7, DispositionReason.FalseAlarm, lel[2]),
            At("3", 10, 12, DispositionReason.Maintenance, lel[0]),
        };
        foreach (var l in labels)
        {
            Assert.True(LineProtocol.TryAppend(lines, Topics.Labels, JsonSerializer.SerializeToUtf8Bytes(l, ContractJson.Default.Label), out var why), why);
        }

        using var influx = new InfluxFixture();
        await influx.CreateDatabaseAsync("riskstream");
        using (var writer = new InfluxV1Writer(influx.Url, "riskstream", null, null, null, gzip: true, TimeSpan.FromSeconds(60)))
        {
            await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        }

        using var history = new InfluxHistory(influx.Url, "riskstream", null, null, null, TimeSpan.FromMinutes(2));
        var readBack = await history.LabelsAsync(Start.AddDays(-1), Start.AddHours(1), []);
        Assert.Equal(labels.Select(l => (l.Warning, l.Risk, l.From, l.Until)).Order(), readBack.Select(l => (l.Warning, l.Risk, l.From, l.Until)).Order());
        var dataset = new RecordedDataset(Park, window, readBack);
        var recorded = dataset.Rows(history.ReadingsAsync(Start, Start.AddMinutes(20), []).ToBlockingEnumerable().Select(r => new HistoryReading(r.Site, r.Sensor, r.Value, r.TsMs))).ToList();

        // Every reading but those of the excluded interval (lel[0], minutes 10 to 12: 121 s of one reading a second).
        var excluded = simulated.Where(r => r.Sensor == lel[0] && r.Site == site.Id && r.TsMs >= Start.AddMinutes(10).ToUnixTimeMilliseconds() && r.TsMs <= Start.AddMinutes(12).ToUnixTimeMilliseconds()).ToHashSet();
        Assert.InRange(excluded.Count, 120, 121);
        var kept = simulated.Where(r => !excluded.Contains(r)).ToList();
        Assert.Equal(kept.Count, recorded.Count);
        var differing = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            var (a, b) = (kept[i], recorded[i]);
            Assert.Equal((a.TsMs, a.Site, a.Sensor, a.Kind, a.Alarm), (b.TsMs, b.Site, b.Sensor, b.Kind, b.Alarm));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Value), BitConverter.DoubleToInt64Bits(b.Value));
            differing += a.Features.AsSpan().SequenceEqual(b.Features) ? 0 : 1;
        }

        Assert.Equal(0, differing);

        // The labels: two evidence sensors' readings of minutes 2 to 4 are hazards, lel[2]'s of minutes 6 to 7 false alarms.
        var hazardRows = recorded.Where(r => r.Event == "confirmed_hazard").ToList();
        Assert.All(hazardRows, r => Assert.True(r.Hazard && (r.Sensor == lel[0] || r.Sensor == lel[1])));
        Assert.InRange(hazardRows.Count, 2 * 120, 2 * 121);
        Assert.InRange(recorded.Count(r => r.Event == "false_alarm" && !r.Hazard && r.Sensor == lel[2]), 60, 61);
        var card = dataset.Card("test", Start, Start.AddMinutes(20), []);
        Assert.Equal(recorded.Count, card.Rows);
        Assert.Equal(excluded.Count, Assert.Single(card.Excluded).RowsDropped);
        Assert.Equal("maintenance", card.Excluded[0].Reason);
        Assert.Equal(new Dictionary<string, long> { ["confirmed_hazard"] = 1, ["false_alarm"] = 1, ["maintenance"] = 1 }, card.LabelsByDisposition.OrderBy(x => x.Key).ToDictionary());
    }
}
