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
    /// <see cref="IConsumerControl"/>.
    /// </remarks>
    public static Source<ConsumedBatch, IConsumerControl> Committable(
        ConsumerSettings settings,
        IReadOnlyList<string> topics,
        KafkaMetrics? metrics = null,
        ILogger? log = null,
        TimeProvider? time = null) =>
        Source.FromGraph(new CommittableSourceStage(settings, topics, metrics ?? KafkaMetrics.Unregistered(), log ?? NullLogger.Instance, time ?? TimeProvider.System));
}

/// <summary>Flows that produce to Kafka.</summary>
public static class KafkaFlow
{
    /// <summary>
    /// Produces every message of each envelope and emits its pass-through once all were acknowledged by the broker.
    /// The producer is shared and not disposed by the flow. <paramref name="latency"/> receives, per message, the
    /// milliseconds from its <see cref="OutboundMessage.SourceTimestampMs"/> to the broker's acknowledgement.
    /// </summary>
    public static Flow<ProducerEnvelope<TPass>, TPass, Akka.NotUsed> Produce<TPass>(
        Confluent.Kafka.IProducer<byte[]?, byte[]> producer,
        int maxInFlight = 256,
        KafkaMetrics? metrics = null,
        Action<double>? latency = null,
        TimeProvider? time = null) =>
        Flow.FromGraph(new ProducerStage<TPass>(producer, maxInFlight, metrics ?? KafkaMetrics.Unregistered(), latency, time ?? TimeProvider.System));
}

/// <summary>Sinks that produce to Kafka.</summary>
public static class KafkaSink
{
    /// <summary>
    /// Produces every message of each element; completes when all were acknowledged, fails if one cannot be delivered.
    /// </summary>
    public static Sink<IReadOnlyList<OutboundMessage>, Task<Akka.Done>> Plain(
        Confluent.Kafka.IProducer<byte[]?, byte[]> producer,
        int maxInFlight = 256,
        KafkaMetrics? metrics = null) =>
        Flow.Create<IReadOnlyList<OutboundMessage>>()
            .Select(messages => new ProducerEnvelope<Akka.NotUsed>(messages, Akka.NotUsed.Instance))
            .Via(KafkaFlow.Produce<Akka.NotUsed>(producer, maxInFlight, metrics))
            .ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<Akka.NotUsed>(), Keep.Right);
}

/// <summary>Sinks that complete consumed batches so their offsets get committed.</summary>
public static class Committer
{
    /// <summary>Releases each batch that reaches it; the source commits released batches on its interval.</summary>
    public static Sink<ConsumedBatch, Task<Akka.Done>> Sink() =>
        Akka.Streams.Dsl.Sink.ForEach<ConsumedBatch>(b => b.Release());
}
