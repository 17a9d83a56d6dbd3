using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Kpis;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>The KPI job on the embedded broker: warning events in, each closed window of each scope out, once per key; a restart republishes the same keys.</summary>
public sealed class KpiJobTests
{
    [Fact]
    public async Task Warning_events_become_kpi_records_and_a_restart_publishes_the_same_keys()
    {
        var park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var site = park.Sites["SH-HGQ-E04-S1"];
        var t0 = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddHours(-2);
        using var broker = EmbeddedBroker.Start();
        broker.EnsureTopics([Topics.Warnings, Topics.Kpis, Topics.Scores, Topics.DeadLetter, Topics.DataQuality]);
        var sensor = site.Sensors.First();
        using (var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = broker.BootstrapServers }.ToConfig()).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                var at = t0.AddMinutes(i * 3);
                var e = new WarningEvent($"combustible_gas_leak:{site.Id}:{i}", 1, "combustible_gas_leak", WarningLevel.Blue, WarningStatus.Raised, site.Id, site.Enterprise.Id, site.Jurisdiction.Id, at, at, [], ["risk/1"], [], [], []);
                producer.Produce(Topics.Warnings, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(e, ContractJson.Default.WarningEvent), Timestamp = new Timestamp(at) });
            }

            // One sensor reports for the first 10 minutes of the hour (60 of its 360 periods).
            for (var k = 0; k < 60; k++)
            {
                var at = t0.AddSeconds((k * 10) + 1);
                var score = new Score($"{site.Id}/{sensor.Id}/{at.ToUnixTimeMilliseconds()}", site.Id, sensor.Id, sensor.Kind, 3, "%LEL", at, AlarmLevel.None, 0.01, "m/1", false, new WindowSummary(1, 3, 3, 3, 0), false);
                producer.Produce(Topics.Scores, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(score, ContractJson.Default.Score), Timestamp = new Timestamp(at) });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        // The clock an hour and a quarter after the first raise: the 10-minute and hourly windows up to t0+1h are closed.
        var clock = new FakeTimeProvider(t0.AddMinutes(75));
        async Task<List<(string Key, AlarmKpis Kpis)>> RunOnceAsync(bool checkQuality = false)
        {
            var job = new KpiJob(broker.BootstrapServers, new Dictionary<string, string>(), park, NullLogger.Instance, clock);
            using var stop = new CancellationTokenSource();
            var run = Task.Run(() => job.RunAsync(stop.Token));
            // Published counts a window once produced and flushed in the same turn of the loop: stopping after it loses none.
            await Eventually.TrueAsync(() => job.Read == 65 && job.CaughtUp && job.Published > 0, TimeSpan.FromSeconds(30), () => $"the job read the warnings ({job.Read}) and published ({job.Published})");
            await stop.CancelAsync();
            await run;
            if (checkQuality)
            {
                var quality = ReadQuality(broker.BootstrapServers).Single(q => q is { Scope: "site", Window: "1h" } && q.Id == site.Id && q.From == t0);
                var figure = quality.SensorFigures.Single(f => f.Sensor == sensor.Id);
                Assert.Equal((1, 360L, Math.Round(60 / 360.0, 4)), (quality.Reporting, figure.Expected, figure.Online));
                // The others of the site stopped while it reported; after that the whole site was silent: a communication fault.
                var m = site.Sensors.Count;
                Assert.Equal((60L, 60L * (m - 1), 300L * m), (quality.Flags["normal"], quality.Flags.GetValueOrDefault("stopped"), quality.Flags["communication_fault"]));
            }

            return Read(broker.BootstrapServers);
        }

        var first = await RunOnceAsync(checkQuality: true);
        var hour = first.Single(r => r.Kpis is { Scope: "park", Window: "1h" } && r.Kpis.From == t0).Kpis;
        Assert.Equal((5, 4, 0.8333), (hour.Raised, hour.RaisedPer10MinPeak, hour.RaisedPer10MinMean)); // raises at 0, 3, 6, 9 | 12 min
        Assert.Contains(first, r => r.Kpis is { Scope: "site", Window: "10m" } && r.Kpis.Id == site.Id && r.Kpis.From == t0.AddMinutes(10) && r.Kpis.Raised == 1);
        Assert.Equal(first.Count, first.Select(r => r.Key).Distinct().Count()); // one record per key

        // A restart reads the topic again and publishes the same windows under the same keys, with the same figures.
        var again = await RunOnceAsync();
        Assert.All(again.GroupBy(r => r.Key), g => Assert.Equal(2, g.Count()));
        Assert.Equal(first.Select(r => r.Key).Order(StringComparer.Ordinal), again.Select(r => r.Key).Distinct().Order(StringComparer.Ordinal));
        string Json(AlarmKpis k) => JsonSerializer.Serialize(k, ContractJson.Default.AlarmKpis);
        Assert.All(again.GroupBy(r => r.Key), g => Assert.Single(g.Select(r => Json(r.Kpis)).Distinct()));
    }

    private static List<DataQuality> ReadQuality(string bootstrap)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "dq-reader-" + Guid.NewGuid(), AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false }).Build();
        consumer.Subscribe(Topics.DataQuality);
        var records = new List<DataQuality>();
        var quiet = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < quiet.AddSeconds(records.Count == 0 ? 20 : 0))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(300)) is { Message: { } m })
            {
                records.Add(JsonSerializer.Deserialize(m.Value, ContractJson.Default.DataQuality)!);
                quiet = DateTime.UtcNow.AddSeconds(2);
            }
        }

        consumer.Close();
        return records;
    }

    private static List<(string, AlarmKpis)> Read(string bootstrap)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "kpi-reader-" + Guid.NewGuid(), AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false }).Build();
        consumer.Subscribe(Topics.Kpis);
        var records = new List<(string, AlarmKpis)>();
        var quiet = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < quiet.AddSeconds(records.Count == 0 ? 20 : 0))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(300)) is { Message: { } m })
            {
                records.Add((Encoding.UTF8.GetString(m.Key!), JsonSerializer.Deserialize(m.Value, ContractJson.Default.AlarmKpis)!));
                quiet = DateTime.UtcNow.AddSeconds(2);
            }
        }

        consumer.Close();
        return records;
    }
}
