using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;
using RiskStream.Simulation;
using RiskStream.Testing;
using Xunit.Abstractions;

namespace RiskStream.IntegrationTests;

/// <summary>
/// Faults injected into the embedded broker on the real protocol (librdkafka's mock-cluster API) while the park's
/// readings stream in with a combustible-gas leak under way: the broker down for 30 s, 5 s of round-trip delay,
/// produce and commit requests failing for a while, the group coordinator moved. For each: no valid reading lost,
/// duplicates only from the range uncommitted when the fault began, one <c>raised</c> per warning and the leak's
/// <c>resolved</c> not lost, the backlog cleared within a stated time, and the fault visible in the metrics. The
/// pipeline runs supervised, as <c>riskstream run</c> runs it; a restart is reported with what the pipeline logged.
/// </summary>
public sealed class BrokerFaultTests(ITestOutputHelper output)
{
    private const string LeakSite = "SH-HGQ-E04-S1";
    private const int Seconds = 160;
    private const int FaultAtSecond = 30;
    /// <summary>The backlog of a fault must be scored within this time of the fault's end.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);

    /// <summary>Feed pacing: one second of event time per this much wall time (a rate, not a wait for anything).</summary>
    private static readonly TimeSpan FeedStep = TimeSpan.FromMilliseconds(100);

    private static readonly ParkRegistry Park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));

    [Fact]
    public async Task The_broker_down_for_thirty_seconds_loses_nothing_and_raises_nothing_twice()
    {
        var run = await RunAsync(brokers: 1, "g-down", (f, _) => f.AllBrokers(up: false), (f, _) => f.AllBrokers(up: true), TimeSpan.FromSeconds(30));
        Assert.True(run.ClientErrors > 0, "the outage shows in riskstream_kafka_client_errors_total");

        // The outage does not flood the log: a failing commit is reported once per 30 s per error, with the count held.
        var commitFailures = run.Log.Where(l => l.StartsWith("Background commit failed", StringComparison.Ordinal)).ToList();
        Assert.True(commitFailures.Count <= 2 * Math.Max(1, commitFailures.Select(l => l[..l.IndexOf("; retried", StringComparison.Ordinal)]).Distinct().Count()), $"{commitFailures.Count} commit-failure lines for a 30 s outage: {string.Join(" | ", commitFailures.Take(5))}");
    }

    [Fact]
    public async Task Five_seconds_of_round_trip_delay_slow_the_stream_and_lose_nothing()
    {
        var run = await RunAsync(brokers: 1, "g-rtt", (f, _) => f.SetRtt(1, TimeSpan.FromSeconds(5)), (f, _) => f.SetRtt(1, TimeSpan.Zero), TimeSpan.FromSeconds(15));
        Assert.True(run.LatencyMaxSeconds >= 4, $"the delay shows in riskstream_pipeline_latency_seconds (longest {run.LatencyMaxSeconds:F1} s)");
    }

    [Fact]
    public async Task Produce_and_commit_requests_failing_for_a_while_are_retried_and_lose_nothing()
    {
        var run = await RunAsync(
            brokers: 1,
            "g-errors",
            (f, _) =>
            {
                f.PushRequestErrors(ApiKey.Produce, [.. Enumerable.Repeat(ErrorCode.RequestTimedOut, 40), .. Enumerable.Repeat(ErrorCode.NotEnoughReplicas, 40)]);
                f.PushRequestErrors(ApiKey.OffsetCommit, [.. Enumerable.Repeat(ErrorCode.RequestTimedOut, 30)]);
            },
            // The commit errors stay queued until commits use them up: a commit is sent only when offsets move, and
            // the failing produce requests can hold them still for the whole window, so clearing them at the lift
            // would leave the commit fault untried in some runs.
            (f, _) => f.ClearRequestErrors(ApiKey.Produce),
            TimeSpan.FromSeconds(10));
        Assert.True(run.CommitErrors > 0, "the failed commits show in riskstream_kafka_commit_errors_total");
    }

    [Fact]
    public async Task The_group_coordinator_moved_to_another_broker_loses_nothing()
    {
        await RunAsync(brokers: 3, "g-coordinator", (f, _) => f.SetGroupCoordinator("g-coordinator", 2), (_, _) => { }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_fatal_producer_error_restarts_the_pipeline_which_loses_nothing_and_raises_nothing_twice()
    {
        // What an idempotent producer does when it loses its sequence with the broker (which a long outage can cause):
        // the producer is unusable, the stream fails, and the supervisor starts it again with a new producer.
        var run = await RunAsync(
            brokers: 1,
            "g-fatal",
            (_, pipeline) => MockClusterFaults.RaiseFatalError(pipeline.Producer, ErrorCode.OutOfOrderSequenceNumber, "injected: sequence desynchronised with the broker"),
            (_, _) => { },
            TimeSpan.FromSeconds(2));
        Assert.True(run.PipelineRestarts >= 1, "the supervisor started the failed pipeline again");
    }

    private sealed record FaultRun(double ClientErrors, double CommitErrors, double LatencyMaxSeconds, int PipelineRestarts)
    {
        /// <summary>What the pipeline logged.</summary>
        public IReadOnlyList<string> Log { get; init; } = [];
    }

    private async Task<FaultRun> RunAsync(int brokers, string group, Action<MockClusterFaults, PipelineInstance> inject, Action<MockClusterFaults, PipelineInstance> lift, TimeSpan faultFor)
    {
        using var broker = EmbeddedBroker.Start(brokers);
        broker.EnsureTopics([.. Topics.All(Park)]);
        using var scores = new TopicRecorder(broker.BootstrapServers, Topics.Scores, v => JsonDocument.Parse(v).RootElement.GetProperty("id").GetString()!);
        using var warnings = new TopicRecorder(broker.BootstrapServers, Topics.Warnings, v => JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!.Id);
        // Supervised as `riskstream run` runs it: a stream that fails under the fault is started again, and that shows
        // in the output with what the pipeline logged.
        using var loggers = new RecordingLoggerFactory();
        await using var pipeline = new PipelineInstance(broker.BootstrapServers, Park, group, group, Topics.AckTopics(Park), loggers: loggers, supervised: true);
        try
        {
            var run = await RunAsync(broker, group, scores, warnings, pipeline, inject, lift, faultFor);
            return run with { Log = [.. loggers.Logger.Lines.Select(l => l.Message)] };
        }
        finally
        {
            foreach (var (level, message) in loggers.Logger.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning))
            {
                output.WriteLine($"{level}: {message}");
            }
        }
    }

    private async Task<FaultRun> RunAsync(EmbeddedBroker broker, string group, TopicRecorder scores, TopicRecorder warnings, PipelineInstance pipeline, Action<MockClusterFaults, PipelineInstance> inject, Action<MockClusterFaults, PipelineInstance> lift, TimeSpan faultFor)
    {
        using var feed = new Feed(broker.BootstrapServers);

        // The park's readings, one second of event time every 100 ms; the fault begins at second 30 of the leak.
        var committedAtFault = new Dictionary<TopicPartition, long>();
        for (var second = 0; second <= Seconds; second++)
        {
            feed.Second(second);
            if (second == FaultAtSecond)
            {
                await Eventually.TrueAsync(() => Events(warnings).Any(e => e.Site == LeakSite && e.Status == WarningStatus.Raised), Deadline, "the leak warning before the fault");
                committedAtFault = Committed(broker.BootstrapServers, group);
                inject(broker.Faults, pipeline);
                // The fault lasts a fixed number of feed steps (so a fixed span of event time is fed into it), and
                // at least faultFor of wall time, however fast or slow the machine.
                for (var step = 0; step < faultFor / FeedStep; step++)
                {
                    feed.Second(++second);
                    await Task.Delay(FeedStep);
                }

                lift(broker.Faults, pipeline);
            }

            await Task.Delay(FeedStep);
        }

        feed.Flush();
        var sent = feed.Ids;
        await Eventually.TrueAsync(() => sent.IsSubsetOf(scores.Records.Select(r => r.Id)), Deadline, () => $"every reading scored after the fault ({scores.Records.Select(r => r.Id).Distinct().Count()} of {sent.Count} recorded; the pipeline scored {pipeline.Scored}, consumer restarts {pipeline.KafkaMetrics.Restarts.Value}, pipeline restarts {pipeline.Restarts}, rebalances {Sum(pipeline.KafkaMetrics.Rebalances)}, client errors {Sum(pipeline.KafkaMetrics.ClientErrors)}, processing errors {pipeline.Metrics.ProcessingErrors.Value}, stream {pipeline.Running.Completion.Status} {pipeline.Running.Completion.Exception?.GetBaseException().ToString()})");
        await Eventually.TrueAsync(() => Events(warnings).Any(e => e.Site == LeakSite && e.Scenario == "combustible_gas_leak" && e.Status == WarningStatus.Resolved), Deadline, () => "the leak resolved after the fault; its events: " + string.Join("; ", Events(warnings).Where(e => e.Site == LeakSite).Select(e => $"{e.Scenario} {e.Seq} {e.Status}")));

        // Duplicates only from the range that was not committed when the fault began.
        var ids = scores.Records.Select(r => r.Id).ToList();
        var duplicates = ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var id in duplicates)
        {
            var tpo = feed.Where[id];
            Assert.True(tpo.Offset.Value >= committedAtFault.GetValueOrDefault(tpo.TopicPartition, 0), $"{id} at {tpo} was scored twice although it was committed before the fault");
        }

        // One raised per warning; every leak warning raised also resolved.
        var events = Events(warnings);
        foreach (var warning in events.GroupBy(e => e.Id))
        {
            Assert.True(warning.Count(e => e.Status == WarningStatus.Raised) <= 1, $"{warning.Key} raised {warning.Count(e => e.Status == WarningStatus.Raised)} times");
        }

        Assert.All(events.Where(e => e.Scenario == "combustible_gas_leak" && e.Status == WarningStatus.Raised), raised => Assert.Contains(events, e => e.Id == raised.Id && e.Status == WarningStatus.Resolved));
        var run = new FaultRun(
            Sum(pipeline.KafkaMetrics.ClientErrors),
            pipeline.KafkaMetrics.CommitErrors.Value,
            pipeline.Latency.Quantile(1.0) / 1000,
            pipeline.Restarts);
        output.WriteLine($"{group}: {sent.Count} readings, {duplicates.Count} scored twice; client errors {run.ClientErrors}, commit errors {run.CommitErrors}, consumer restarts {pipeline.KafkaMetrics.Restarts.Value}, pipeline restarts {pipeline.Restarts}, rebalances {Sum(pipeline.KafkaMetrics.Rebalances)}, longest latency {run.LatencyMaxSeconds:F1} s");
        Assert.Equal(0, pipeline.Metrics.ProcessingErrors.Value);
        return run;
    }

    private static double Sum(Prometheus.Counter counter) => counter.GetAllLabelValues().Sum(labels => counter.WithLabels(labels).Value);

    private static List<WarningEvent> Events(TopicRecorder warnings) =>
        warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!).ToList();

    private static Dictionary<TopicPartition, long> Committed(string bootstrap, string group)
    {
        using var c = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
        var parts = Enumerable.Range(0, EmbeddedBroker.PartitionsPerTopic).Select(p => new TopicPartition(Topics.Readings, p));
        return c.Committed(parts, TimeSpan.FromSeconds(10)).ToDictionary(t => t.TopicPartition, t => Math.Max(0, t.Offset.Value));
    }

    /// <summary>The park's readings by second of event time, the first two gas detectors of the leak site at 60 %LEL from 10 s to 40 s.</summary>
    private sealed class Feed : IDisposable
    {
        private static readonly DateTimeOffset Base = DateTimeOffset.UtcNow.AddMinutes(-10);
        private readonly IProducer<byte[]?, byte[]> _producer;
        private readonly Random _noise = new(5);
        private readonly HashSet<SensorDef> _leaking;

        public Feed(string bootstrap)
        {
            _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, EnableIdempotence = true, MessageTimeoutMs = 300_000 }).Build();
            _leaking = Park.Sites[LeakSite].Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).OrderBy(s => s.Id, StringComparer.Ordinal).Take(2).ToHashSet();
        }

        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, TopicPartitionOffset> Where { get; } = new();

        public void Second(int t)
        {
            foreach (var sensor in Park.SiteList.SelectMany(s => s.Sensors))
            {
                var normal = (sensor.Baseline ?? ParkSimulator.DefaultBaseline(sensor.Kind)) * (1 + ((_noise.NextDouble() - 0.5) * 0.02));
                var value = _leaking.Contains(sensor) && t is >= 10 and <= 40 ? 60 + _noise.NextDouble() : normal;
                var reading = new Reading(sensor.Site.Id, sensor.Id, sensor.Kind, Math.Round(value, 4), sensor.Kind.CanonicalUnit(), Base.AddSeconds(t));
                Ids.Add(reading.Id);
                _producer.Produce(Topics.Readings, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(sensor.Site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading) }, d =>
                {
                    if (!d.Error.IsError)
                    {
                        Where[reading.Id] = d.TopicPartitionOffset;
                    }
                });
            }
        }

        public void Flush()
        {
            _producer.Flush(TimeSpan.FromSeconds(120));
            Assert.Equal(Ids.Count, Where.Count);
        }

        public void Dispose() => _producer.Dispose();
    }
}
