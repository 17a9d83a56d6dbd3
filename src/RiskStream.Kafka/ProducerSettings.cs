using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>How outputs are produced.</summary>
public sealed record ProducerSettings
{
    public required string BootstrapServers { get; init; }

    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>librdkafka linger.ms: how long a batch waits to fill; the main knob between latency and throughput.</summary>
    public double LingerMs { get; init; } = 1;

    /// <summary>Envelopes whose delivery is awaited at once by a producer flow.</summary>
    public int MaxInFlightEnvelopes { get; init; } = 256;

    public ProducerConfig ToConfig()
    {
        var config = new ProducerConfig(Properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = LingerMs,
            BatchNumMessages = 10_000,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1_048_576,
            MessageMaxBytes = 4_194_304,
            DeliveryReportFields = "none",
        };
        if (!Properties.ContainsKey("compression.type"))
        {
            config.CompressionType = CompressionType.Lz4;
        }

        // Kafka's default partitioner (murmur2, as Java clients use): a key lands in the same partition whoever
        // produces it, which co-partitioning of readings, acknowledgements and warning state relies on.
        if (!Properties.ContainsKey("partitioner"))
        {
            config.Partitioner = Partitioner.Murmur2Random;
        }

        return config;
    }
}
