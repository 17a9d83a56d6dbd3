using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>How a committable source consumes: group, batching, backpressure and commit cadence.</summary>
public sealed record ConsumerSettings
{
    public required string BootstrapServers { get; init; }

    public required string GroupId { get; init; }

    /// <summary>Extra librdkafka properties (security.protocol, sasl.*, ssl.*, ...) passed through unchanged.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Most messages in one emitted batch (one partition per batch).</summary>
    public int MaxBatchSize { get; init; } = 1024;

    /// <summary>Consumed but not yet emitted messages above which the source pauses its partitions.</summary>
    public int MaxBufferedMessages { get; init; } = 8192;

    /// <summary>How long the stream may stay behind before the source pauses its partitions.</summary>
    public TimeSpan PauseAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>librdkafka queued.max.messages.kbytes: the prefetch that absorbs short backpressure, per consumer.</summary>
    public int PrefetchKilobytes { get; init; } = 16_384;

    /// <summary>How often completed offsets are committed.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a revoke waits for emitted work of the revoked partitions to finish before it commits.</summary>
    public TimeSpan RevokeDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait of one poll; bounds how fast the source reacts to stop and resume.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>librdkafka fetch.wait.max.ms; keep it low against the embedded broker (see DESIGN.md).</summary>
    public int FetchWaitMaxMs { get; init; } = 5;

    public AutoOffsetReset AutoOffsetReset { get; init; } = AutoOffsetReset.Earliest;

    /// <summary>First and longest back-off after a fatal consumer error before the consumer is recreated.</summary>
    public TimeSpan MinRestartBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The librdkafka configuration of a consumer with these settings (for peers and tools that consume directly).</summary>
    public ConsumerConfig ToConfig()
    {
        var config = new ConsumerConfig(Properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = BootstrapServers,
            GroupId = GroupId,
            // Offsets of completed work are stored by the worker and committed by librdkafka in the background, so
            // the polling thread never waits on a commit round trip; revokes and close commit synchronously.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = (int)Math.Max(10, CommitInterval.TotalMilliseconds),
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset,
            FetchWaitMaxMs = FetchWaitMaxMs,
            EnablePartitionEof = false,
            SessionTimeoutMs = Properties.ContainsKey("session.timeout.ms") ? null : 10_000,
            HeartbeatIntervalMs = Properties.ContainsKey("heartbeat.interval.ms") ? null : 1_000,
        };

        // After a pause, librdkafka otherwise waits up to a second before fetching again (fetch.queue.backoff.ms)
        // and half a second after a fetch error: both stall the stream far longer than the pause itself.
        if (!Properties.ContainsKey("queued.max.messages.kbytes"))
        {
            config.QueuedMaxMessagesKbytes = PrefetchKilobytes;
        }

        // Range assignment keeps partition i of every subscribed topic on one member: readings and acknowledgements
        // of a site (both keyed by site id) meet in the same instance (co-partitioning).
        if (!Properties.ContainsKey("partition.assignment.strategy"))
        {
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range;
        }

        // Statistics every 5 s tell which brokers the client is connected to (riskstream_kafka_brokers_up, readiness).
        if (!Properties.ContainsKey("statistics.interval.ms"))
        {
            config.StatisticsIntervalMs = 5_000;
        }

        config.Set("fetch.queue.backoff.ms", Properties.GetValueOrDefault("fetch.queue.backoff.ms", "10"));
        config.Set("fetch.error.backoff.ms", Properties.GetValueOrDefault("fetch.error.backoff.ms", "50"));
        return config;
    }
}
