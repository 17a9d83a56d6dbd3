using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RiskStream.Kafka;

/// <summary>Sinks that produce to Kafka.</summary>
internal static class KafkaSink
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
