using Confluent.Kafka;
using RiskStream.Kafka;

namespace RiskStream.Pipeline;

/// <summary>The Kafka side of a pipeline: the consumer group it reads in and the producer it writes with.</summary>
public sealed record PipelineKafka
{
    public required ConsumerSettings Consumer { get; init; }

    /// <summary>Shared with the caller, which disposes it after the drain.</summary>
    public required IProducer<byte[]?, byte[]> Producer { get; init; }

    public required ProducerSettings ProducerSettings { get; init; }

    public KafkaMetrics Metrics { get; init; } = KafkaMetrics.Unregistered();

    /// <summary>Receives each output's latency (input append → broker acknowledgement) in ms, if set.</summary>
    public LatencyRecorder? Latency { get; init; }
}
