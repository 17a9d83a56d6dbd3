using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RiskStream.Kafka;

/// <summary>Sources over Kafka.</summary>
public static class KafkaSource
{
    /// <summary>
    /// A committable source over a consumer group: emits per-partition <see cref="ConsumedBatch"/>es; offsets are
    /// committed, on <see cref="ConsumerSettings.CommitInterval"/>, up to the highest offset below which every batch
    /// has been released.
    /// </summary>
    /// <remarks>
    /// The consumer runs on its own thread. Backpressure pauses the partitions; a rebalance finishes emitted work of
    /// revoked partitions (bounded by <see cref="ConsumerSettings.RevokeDrainTimeout"/>) and drops what was not yet
    /// emitted; a fatal client error recreates the consumer with back-off. Materialises an
    /// <see cref="IConsumerControl"/>. <paramref name="assignmentChanged"/> hears, on the consumer's thread, the
    /// partitions held after every rebalance.
    /// </remarks>
    public static Source<ConsumedBatch, IConsumerControl> Committable(
        ConsumerSettings settings,
        IReadOnlyList<string> topics,
        KafkaMetrics? metrics = null,
        ILogger? log = null,
        TimeProvider? time = null,
        Action<IReadOnlyCollection<Confluent.Kafka.TopicPartition>>? assignmentChanged = null) =>
        Source.FromGraph(new CommittableSourceStage(settings, topics, metrics ?? KafkaMetrics.Unregistered(), log ?? NullLogger.Instance, time ?? TimeProvider.System, assignmentChanged));
}
