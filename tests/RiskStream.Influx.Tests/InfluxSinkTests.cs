using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Testing;
using RiskStream.Influx.Tests.Support;
using RiskStream.Kafka;

namespace RiskStream.Influx.Tests;

/// <summary>The sink on the embedded broker against the real influxd, including an InfluxDB outage mid-stream.</summary>
[Collection(InfluxCollection.Name)]
public sealed class InfluxSinkTests(InfluxFixture influx) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly DateTimeOffset Base = DateTimeOffset.UtcNow.AddHours(-1);
    private readonly EmbeddedBroker _broker = EmbeddedBroker.Start();
    private readonly ActorSystem _system = ActorSystem.Create("influx-sink", "akka.loglevel = WARNING\nakka.log-dead-letters = off");

    private void Produce(int from, int count)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = _broker.BootstrapServers }.ToConfig()).Build();
        for (var i = from; i < from + count; i++)
        {
            var site = $"S{i % 7}";
            var reading = new Reading(site, $"T-{i % 13}", SensorKind.Temperature, 20 + (i % 100 * 0.1), "°C", Base.AddMilliseconds(i * 10));
            producer.Produce(Topics.Readings, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(site), Value = JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading) });
            if (i % 50 == 0)
            {
                var warning = new WarningEvent($"fire:{site}:{i}", 1, "fire", WarningLevel.Yellow, WarningStatus.Raised, site, "E1", "J1", Base.AddMilliseconds(i * 10), Base.AddMilliseconds(i * 10), [], ["m/1"], [], [], []);
                producer.Produce(Topics.Warnings, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(warning.Id), Value = JsonSerializer.SerializeToUtf8Bytes(warning, ContractJson.Default.WarningEvent) });
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_InfluxDB_outage_becomes_lag_and_every_point_arrives_once_afterwards()
    {
        const string db = "outage";
        await influx.CreateDatabaseAsync(db);
        _broker.EnsureTopics(Topics.Readings, Topics.Scores, Topics.Warnings);
        using var writer = new InfluxV1Writer(influx.Url, db, null, null, null, gzip: true, TimeSpan.FromSeconds(5));
        var metrics = InfluxMetrics.Unregistered();
        using var stop = new CancellationTokenSource();
        var (control, completion) = InfluxSink.Start(
            new ConsumerSettings { BootstrapServers = _broker.BootstrapServers, GroupId = "influx-sink", CommitInterval = TimeSpan.FromMilliseconds(100) },
            new InfluxSinkOptions { RetryMinBackoff = TimeSpan.FromMilliseconds(50), RetryMaxBackoff = TimeSpan.FromMilliseconds(500) },
            writer,
            metrics,
            KafkaMetrics.Unregistered(),
            NullLogger.Instance,
            _system.Materializer(),
            stop: stop.Token);

        Produce(0, 3_000);
        await Eventually.TrueAsync(() => metrics.Points.Value >= 3_000 + 60, Deadline, "the first part written");

        // InfluxDB goes away; input keeps coming; the sink retries and does not commit.
        influx.Stop();
        Produce(3_000, 3_000);
        await Eventually.TrueAsync(() => metrics.Errors.WithLabels("retried").Value >= 3, Deadline, "writes failing while InfluxDB is away");
        var committedWhileAway = control.CommittedOffsets.Where(kv => kv.Key.Topic == Topics.Readings).Sum(kv => kv.Value);
        Assert.True(committedWhileAway <= 3_000, $"committed {committedWhileAway} readings while InfluxDB was away");

        influx.Start();
        await Eventually.TrueAsync(() => metrics.Points.Value >= 6_000 + 120, Deadline, "the rest written after InfluxDB came back");
        Assert.Equal(6_000, await influx.CountAsync(db, "SELECT count(value) FROM reading"));
        Assert.Equal(120, await influx.CountAsync(db, "SELECT count(seq) FROM warning"));
        await Eventually.TrueAsync(() => control.CommittedOffsets.Where(kv => kv.Key.Topic == Topics.Readings).Sum(kv => kv.Value) == 6_000, Deadline, "every reading committed");

        await control.DrainAndShutdownAsync(completion, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Downsampling_keeps_at_most_one_raw_reading_per_sensor_per_interval_and_every_warning()
    {
        const string db = "downsampled";
        await influx.CreateDatabaseAsync(db);
        _broker.EnsureTopics(Topics.Readings, Topics.Scores, Topics.Warnings);
        using var writer = new InfluxV1Writer(influx.Url, db, null, null, null, gzip: false, TimeSpan.FromSeconds(5));
        var metrics = InfluxMetrics.Unregistered();
        var (control, completion) = InfluxSink.Start(
            new ConsumerSettings { BootstrapServers = _broker.BootstrapServers, GroupId = "influx-downsample", CommitInterval = TimeSpan.FromMilliseconds(100) },
            new InfluxSinkOptions { Downsample = TimeSpan.FromSeconds(1) },
            writer,
            metrics,
            KafkaMetrics.Unregistered(),
            NullLogger.Instance,
            _system.Materializer());

        // 2,000 readings 10 ms apart over 91 series (7 sites × 13 sensors), each series read every 910 ms: 20 s of
        // readings, so 20 or 21 one-second buckets per series, where every reading alone would be 22.
        Produce(0, 2_000);
        await Eventually.TrueAsync(() => metrics.Points.Value + metrics.Skipped.WithLabels("downsampled").Value >= 2_040, Deadline, "every message handled");
        var kept = await influx.CountAsync(db, "SELECT count(value) FROM reading");
        Assert.InRange(kept, 91 * 20, 91 * 21);
        Assert.Equal(2_000 - kept, (long)metrics.Skipped.WithLabels("downsampled").Value);
        Assert.Equal(40, await influx.CountAsync(db, "SELECT count(seq) FROM warning"));
        await control.DrainAndShutdownAsync(completion, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_message_the_sink_cannot_write_is_skipped_alone_and_the_rest_of_its_batch_is_written()
    {
        const string db = "poisoned";
        await influx.CreateDatabaseAsync(db);
        _broker.EnsureTopics(Topics.Readings, Topics.Scores, Topics.Warnings, Topics.Identifications);
        var park = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var site = park.Sites["SH-HGQ-E04-S1"];
        var sensor = site.Sensors.First();
        using var writer = new InfluxV1Writer(influx.Url, db, null, null, null, gzip: false, TimeSpan.FromSeconds(5));
        var metrics = InfluxMetrics.Unregistered();
        var (control, completion) = InfluxSink.Start(
            new ConsumerSettings { BootstrapServers = _broker.BootstrapServers, GroupId = "influx-poison", CommitInterval = TimeSpan.FromMilliseconds(100) },
            new InfluxSinkOptions(),
            writer,
            metrics,
            KafkaMetrics.Unregistered(),
            NullLogger.Instance,
            _system.Materializer(),
            registry: park);

        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = _broker.BootstrapServers }.ToConfig()).Build();
        void Send(string topic, string value) => producer.Produce(topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(site.Id), Value = Encoding.UTF8.GetBytes(value) });
        string Reading(int i, string siteId = "", string sensorId = "") => JsonSerializer.Serialize(
            new Reading(siteId.Length > 0 ? siteId : site.Id, sensorId.Length > 0 ? sensorId : sensor.Id, sensor.Kind, 1 + i, sensor.Kind.CanonicalUnit(), Base.AddSeconds(i)), ContractJson.Default.Reading);
        var score = $$"""{"id":"x","site":"{{site.Id}}","sensor":"{{sensor.Id}}","kind":"{{sensor.Kind.WireName()}}","value":1,"risk":0.1,"ts":"{{Base:O}}"}""";
        for (var i = 0; i < 100; i++)
        {
            Send(Topics.Readings, Reading(i));
            Send(Topics.Scores, score.Replace("\"value\":1", FormattableString.Invariant($"\"value\":{i}"), StringComparison.Ordinal).Replace(Base.ToString("O"), Base.AddSeconds(i).ToString("O"), StringComparison.Ordinal));
            switch (i % 10)
            {
                case 0: Send(Topics.Readings, Reading(i).Replace(site.Id, "\\ud800X", StringComparison.Ordinal)); break;
                case 1: Send(Topics.Readings, Reading(i, sensorId: "T\n,x=1 value=9")); break;
                case 2: Send(Topics.Readings, Reading(i, siteId: "INVENTED-" + i)); break;
                case 3: Send(Topics.Scores, score.Replace($"\"{site.Id}\"", "42", StringComparison.Ordinal)); break;
                case 4: Send(Topics.Scores, score.Replace("\"risk\":0.1", "\"risk\":\"high\"", StringComparison.Ordinal)); break;
                case 5: Send(Topics.Scores, score.Replace(site.Id, "INVENTED-" + i, StringComparison.Ordinal)); break;
                case 6: Send(Topics.Warnings, "{\"id\":\"w\",\"seq\":1}"); break;
                case 7: Send(Topics.Identifications, "[1,2,3]"); break;
                case 8: Send(Topics.Scores, "{\"site\":null,\"sensor\":null,\"value\":1,\"risk\":1,\"ts\":\"x\"}"); break;
                default: Send(Topics.Readings, "\u0000\u0001 not json"); break;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => metrics.Points.Value >= 200, Deadline, () => $"the good points written ({metrics.Points.Value})");
        await Eventually.TrueAsync(() => control.CommittedOffsets.Values.Sum() == 300, Deadline, () => $"every message committed ({control.CommittedOffsets.Values.Sum()})");

        Assert.Equal(100, await influx.CountAsync(db, "SELECT count(value) FROM reading"));
        Assert.Equal(100, await influx.CountAsync(db, "SELECT count(risk) FROM score"));
        Assert.Single(await influx.QueryAsync(db, "SHOW SERIES FROM reading"));
        Assert.Equal(40, (long)metrics.Skipped.WithLabels("refused_reading").Value);
        Assert.Equal(60, (long)metrics.Skipped.WithLabels("invalid").Value);
        Assert.Equal(0, (long)metrics.Errors.WithLabels("refused").Value);
        Assert.False(completion.IsCompleted, "the sink is still running");
        await control.DrainAndShutdownAsync(completion, TimeSpan.FromSeconds(30));
    }

    private (IConsumerControl Control, Task Completion) StartSink(Uri url, string db, string group, InfluxMetrics metrics, InfluxSinkStatus? status = null, Microsoft.Extensions.Logging.ILogger? log = null, Func<RefusedPoint, CancellationToken, Task>? refused = null, bool gzip = false)
    {
        var writer = new InfluxV1Writer(url, db, null, null, null, gzip, TimeSpan.FromSeconds(5));
        return InfluxSink.Start(
            new ConsumerSettings { BootstrapServers = _broker.BootstrapServers, GroupId = group, CommitInterval = TimeSpan.FromMilliseconds(100) },
            new InfluxSinkOptions { RetryMinBackoff = TimeSpan.FromMilliseconds(50), RetryMaxBackoff = TimeSpan.FromMilliseconds(500) },
            writer,
            metrics,
            KafkaMetrics.Unregistered(),
            log ?? NullLogger.Instance,
            _system.Materializer(),
            status: status,
            refused: refused);
    }

    [Fact]
    public async Task Writes_refused_with_401_for_a_minute_commit_nothing_and_every_point_is_written_once_afterwards()
    {
        const string db = "unauthorised";
        await influx.CreateDatabaseAsync(db);
        _broker.EnsureTopics(Topics.Readings, Topics.Scores, Topics.Warnings);
        using var gate = new InfluxGate(influx.Url);
        var refusedUntil = DateTime.UtcNow.AddSeconds(60);
        gate.Refuse = (path, _) => path.StartsWith("/write", StringComparison.Ordinal) && DateTime.UtcNow < refusedUntil ? 401 : null;
        var metrics = InfluxMetrics.Unregistered();
        var status = new InfluxSinkStatus { Grace = TimeSpan.FromSeconds(10) };
        var log = new RecordingLogger();
        var (control, completion) = StartSink(gate.Url, db, "influx-401", metrics, status, log);

        Produce(0, 1_000);
        await Eventually.TrueAsync(() => status.Problem(TimeProvider.System) is not null, Deadline, "the sink not ready while its writes are refused");
        Produce(1_000, 1_000);
        await Eventually.TrueAsync(() => metrics.Errors.WithLabels("retried_refusal").Value >= 10, Deadline, "ten refused writes retried");
        Assert.True(DateTime.UtcNow < refusedUntil, "the refusal ended before ten retries: the test proves nothing");
        Assert.Equal(0, control.CommittedOffsets.Values.Sum()); // refused writes commit nothing

        Assert.Contains("401", status.Problem(TimeProvider.System), StringComparison.Ordinal);
        Assert.Equal(0, metrics.Points.Value);
        Assert.True(metrics.Errors.WithLabels("retried_refusal").Value >= 10, $"{metrics.Errors.WithLabels("retried_refusal").Value} retries");
        var reports = log.Lines.Where(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.StartsWith("InfluxDB refuses the sink's writes", StringComparison.Ordinal)).ToList();
        Assert.InRange(reports.Count, 1, 2);
        Assert.Contains("check RiskStream:Influx:User", reports[0].Message, StringComparison.Ordinal);

        await Eventually.TrueAsync(() => control.CommittedOffsets.Where(kv => kv.Key.Topic == Topics.Readings).Sum(kv => kv.Value) == 2_000, Deadline, "every reading committed after the refusal ended");
        Assert.Equal(2_000 + 40, (long)metrics.Points.Value);
        Assert.Equal(2_000, await influx.CountAsync(db, "SELECT count(value) FROM reading"));
        Assert.Equal(40, await influx.CountAsync(db, "SELECT count(seq) FROM warning"));
        Assert.Null(status.Problem(TimeProvider.System));
        await control.DrainAndShutdownAsync(completion, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_write_over_the_body_limit_is_split_and_a_point_influxdb_refuses_is_dead_lettered_alone()
    {
        const string db = "refusing";
        await influx.CreateDatabaseAsync(db);
        using (var http = new HttpClient())
        {
            // A field of another type than the sink writes, as an older writer might have left: InfluxDB refuses
            // the sink's warnings in this shard (400, "field type conflict") and takes everything else.
            var conflict = await http.PostAsync(new Uri(influx.Url, $"write?db={db}&precision=ms"), new StringContent($"warning,scenario=old seq=\"text\" {Base.ToUnixTimeMilliseconds()}\n"));
            Assert.Equal(System.Net.HttpStatusCode.NoContent, conflict.StatusCode);
        }

        _broker.EnsureTopics(Topics.Readings, Topics.Scores, Topics.Warnings);
        using var gate = new InfluxGate(influx.Url);
        gate.Refuse = (path, body) => path.StartsWith("/write", StringComparison.Ordinal) && body.Length > 16 * 1024 ? 413 : null;
        var metrics = InfluxMetrics.Unregistered();
        var refused = new System.Collections.Concurrent.ConcurrentQueue<RefusedPoint>();
        var (control, completion) = StartSink(gate.Url, db, "influx-refusing", metrics, refused: (p, _) =>
        {
            refused.Enqueue(p);
            return Task.CompletedTask;
        });

        Produce(0, 3_000);
        await Eventually.TrueAsync(() => control.CommittedOffsets.Values.Sum() == 3_000 + 60, Deadline, () => $"every message committed ({control.CommittedOffsets.Values.Sum()})");

        Assert.Equal(3_000, await influx.CountAsync(db, "SELECT count(value) FROM reading"));
        Assert.Equal(3_000, (long)metrics.Points.Value);
        Assert.True(metrics.Errors.WithLabels("split_too_large").Value > 0, "writes split for their size");
        Assert.Equal(60, refused.Count);
        Assert.All(refused, p =>
        {
            Assert.Equal(Topics.Warnings, p.Topic);
            Assert.Equal(InfluxRefusal.Content, p.Error.Kind);
            Assert.Contains("field type conflict", p.Error.Message, StringComparison.Ordinal);
        });
        Assert.Equal(60, refused.Select(p => p.Message.TopicPartitionOffset).Distinct().Count());
        Assert.Equal(60, (long)metrics.Skipped.WithLabels("refused_by_influxdb").Value);
        await control.DrainAndShutdownAsync(completion, TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _system.Terminate().Wait(TimeSpan.FromSeconds(30));
        _broker.Dispose();
    }
}
