using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Confluent.Kafka;
using RiskStream.Testing;
using RiskStream.Kafka.Tests.Support;

namespace RiskStream.Kafka.Tests;

[Collection(BrokerCollection.Name)]
public sealed class CommittableSourceTests(BrokerFixture kafka) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private IMaterializer _materializer => Sys.Materializer();

    [Fact]
    public async Task Released_batches_are_committed_up_to_the_end()
    {
        var topic = kafka.NewTopic("src.commit");
        kafka.Produce(topic, 2_000);
        var (control, done) = KafkaSource.Committable(kafka.Consumer("g-commit"), [topic])
            .ToMaterialized(Committer.Sink(), Keep.Both)
            .Run(_materializer);

        await Eventually.TrueAsync(() => control.CommittedOffsets.Values.Sum() == 2_000, Deadline, "all 2000 offsets committed");
        await control.DrainAndShutdownAsync(done, TimeSpan.FromSeconds(10));
        Assert.Equal(2_000, kafka.HighWatermarkSum(topic));
    }

    [Fact]
    public async Task Batches_never_released_are_never_committed()
    {
        var topic = kafka.NewTopic("src.unreleased");
        kafka.Produce(topic, 400);
        var seen = new ConcurrentBag<int>();
        var (control, done) = KafkaSource.Committable(kafka.Consumer("g-unreleased"), [topic])
            .ToMaterialized(Sink.ForEach<ConsumedBatch>(b =>
            {
                seen.Add(b.Partition);
                if (b.Partition == 0)
                {
                    b.Release();
                }
            }), Keep.Both)
            .Run(_materializer);

        await Eventually.TrueAsync(() => seen.Distinct().Count() == EmbeddedBroker.PartitionsPerTopic && control.CommittedOffsets.Count > 0, Deadline, "all partitions consumed and partition 0 committed");
        await control.DrainAndShutdownAsync(done, TimeSpan.FromSeconds(5));
        Assert.Equal([0], control.CommittedOffsets.Keys.Select(k => k.Partition.Value).Distinct());
    }

    [Fact]
    public async Task Without_demand_the_source_pauses_and_buffers_no_more_than_its_limit()
    {
        var topic = kafka.NewTopic("src.backpressure");
        kafka.Produce(topic, 20_000);
        var metrics = KafkaMetrics.Unregistered();
        var settings = kafka.Consumer("g-backpressure") with { MaxBatchSize = 100, MaxBufferedMessages = 1_000 };
        var (control, probe) = KafkaSource.Committable(settings, [topic], metrics)
            .ToMaterialized(this.SinkProbe<ConsumedBatch>(), Keep.Both)
            .Run(_materializer);

        probe.Request(1);
        probe.ExpectNext(Deadline);
        await Eventually.TrueAsync(() => metrics.Paused.Value == 1, Deadline, "the source to pause");
        var consumedWhilePaused = Consumed(metrics, topic);
        Assert.InRange(consumedWhilePaused, 1, 1_000 + 100 + (4 * 100));

        // Demand resumes consumption.
        probe.Request(1_000);
        await Eventually.TrueAsync(() => Consumed(metrics, topic) > consumedWhilePaused, Deadline, "consumption to resume");
        probe.Cancel();
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task Drain_and_shutdown_commits_what_finished_and_a_restart_reprocesses_none_of_it()
    {
        var topic = kafka.NewTopic("src.drain");
        kafka.Produce(topic, 3_000);
        var first = new ConcurrentDictionary<(int, long), byte>();
        var (control, done) = KafkaSource.Committable(kafka.Consumer("g-drain") with { MaxBatchSize = 50 }, [topic])
            .Select(b =>
            {
                foreach (var m in b.Messages)
                {
                    first.TryAdd((m.Partition.Value, m.Offset.Value), 0);
                }

                return b;
            })
            .Throttle(10, TimeSpan.FromMilliseconds(50), 10, ThrottleMode.Shaping)
            .ToMaterialized(Committer.Sink(), Keep.Both)
            .Run(_materializer);

        await Eventually.TrueAsync(() => first.Count >= 500, Deadline, "part of the topic to be processed");
        await control.DrainAndShutdownAsync(done, TimeSpan.FromSeconds(30));
        Assert.Equal(first.Count, control.CommittedOffsets.Values.Sum());

        var second = new ConcurrentDictionary<(int, long), byte>();
        var (control2, done2) = KafkaSource.Committable(kafka.Consumer("g-drain"), [topic])
            .Select(b =>
            {
                foreach (var m in b.Messages)
                {
                    Assert.True(second.TryAdd((m.Partition.Value, m.Offset.Value), 0));
                }

                return b;
            })
            .ToMaterialized(Committer.Sink(), Keep.Both)
            .Run(_materializer);
        await Eventually.TrueAsync(() => first.Count + second.Count >= 3_000, Deadline, "the rest to be processed");
        await control2.DrainAndShutdownAsync(done2, TimeSpan.FromSeconds(10));
        Assert.Empty(first.Keys.Intersect(second.Keys));
        Assert.Equal(3_000, first.Count + second.Count);
    }

    [Fact]
    public async Task Offsets_deleted_by_retention_before_consumption_are_counted_as_lost()
    {
        var topic = kafka.NewTopic("src.retention");
        kafka.Produce(topic, 40);
        var metrics = KafkaMetrics.Unregistered();
        var settings = kafka.Consumer("g-retention") with { MaxBatchSize = 5, MaxBufferedMessages = 5 };
        var (control, probe) = KafkaSource.Committable(settings, [topic], metrics)
            .ToMaterialized(this.SinkProbe<ConsumedBatch>(), Keep.Both)
            .Run(_materializer);

        // Take one batch, then stall: the source pauses while retention (~5 MB a partition) overtakes it.
        probe.Request(1);
        probe.ExpectNext(Deadline).Release();
        await Eventually.TrueAsync(() => metrics.Paused.Value == 1, Deadline, "the source to pause");
        kafka.Produce(topic, 4 * 3_000, valueBytes: 4_000);

        probe.Request(100_000);
        await Eventually.TrueAsync(() => metrics.LostInput.WithLabels(topic).Value > 0, Deadline, "lost input to be counted");
        probe.Cancel();
        await control.ShutdownAsync();
        Assert.InRange(metrics.LostInput.WithLabels(topic).Value, 1, 12_000);
    }

    private static double Consumed(KafkaMetrics metrics, string topic) => metrics.ConsumedCount(topic);
}
