using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RiskStream.Kafka;

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
