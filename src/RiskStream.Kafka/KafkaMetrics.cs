using System.Collections.Concurrent;
using Prometheus;

namespace RiskStream.Kafka;

/// <summary>Prometheus metrics of the Kafka stages. Created from an injected factory so tests use their own registry.</summary>
public sealed class KafkaMetrics
{
    private readonly Counter _consumed;
    private readonly Counter _produced;
    private readonly ConcurrentDictionary<string, Counter.Child> _consumedByTopic = new();
    private readonly ConcurrentDictionary<string, Counter.Child> _producedByTopic = new();

    public KafkaMetrics(IMetricFactory factory)
    {
        _consumed = factory.CreateCounter("riskstream_kafka_consumed_messages_total", "Messages consumed, by topic.", ["topic"]);
        _produced = factory.CreateCounter("riskstream_kafka_produced_messages_total", "Messages the broker acknowledged, by topic.", ["topic"]);
        ProduceErrors = factory.CreateCounter("riskstream_kafka_produce_errors_total", "Messages whose delivery failed, by error code.", ["code"]);
        ClientErrors = factory.CreateCounter("riskstream_kafka_client_errors_total", "Transient client errors logged and counted, by client and code.", ["client", "code"]);
        Lag = factory.CreateGauge("riskstream_kafka_consumer_lag_messages", "High watermark minus position, per assigned partition.", ["topic", "partition"]);
        LostInput = factory.CreateCounter("riskstream_kafka_lost_input_messages_total", "Messages skipped by an offset jump (retention overtook the consumer), by topic.", ["topic"]);
        Commits = factory.CreateCounter("riskstream_kafka_commits_total", "Offset commits that succeeded.");
        CommitErrors = factory.CreateCounter("riskstream_kafka_commit_errors_total", "Offset commits that failed (retried at the next interval).");
        Restarts = factory.CreateCounter("riskstream_kafka_consumer_restarts_total", "Consumers recreated after a fatal error.");
        Rebalances = factory.CreateCounter("riskstream_kafka_rebalances_total", "Partition assignment changes, by kind.", ["kind"]);
        Paused = factory.CreateGauge("riskstream_kafka_source_paused", "1 while the source has paused its partitions for backpressure.");
        BrokersUp = factory.CreateGauge("riskstream_kafka_brokers_up", "Brokers of the cluster the consumer has a working connection to (librdkafka's statistics, every 5 s; -1 before the first report).");
        BrokersUp.Set(-1);
        StatisticsAt = factory.CreateGauge("riskstream_kafka_statistics_timestamp_seconds", "When librdkafka's statistics last reported (Unix seconds): they come from the consumer's poll, so an old one means the client is not being polled.");
    }

    /// <summary>A statistics report seen at <paramref name="at"/> with <paramref name="brokersUp"/> brokers connected.</summary>
    public void Statistics(int brokersUp, DateTimeOffset at)
    {
        BrokersUp.Set(brokersUp);
        StatisticsAt.Set(at.ToUnixTimeMilliseconds() / 1000.0);
    }

    /// <summary>Metrics on a private registry, for tests and tools that do not export them.</summary>
    public static KafkaMetrics Unregistered() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));

    /// <summary>
    /// The client metrics of one consumer group in a shared registry: every family carries a <c>group</c> label, so the
    /// pipeline's and the InfluxDB sink's consumption and lag of the same topics stay apart in one process.
    /// </summary>
    public static KafkaMetrics ForGroup(CollectorRegistry registry, string group) =>
        new(Metrics.WithCustomRegistry(registry).WithLabels(new Dictionary<string, string> { ["group"] = group }));

    public Counter ProduceErrors { get; }

    public Counter ClientErrors { get; }

    public Gauge Lag { get; }

    public Counter LostInput { get; }

    public Counter Commits { get; }

    public Counter CommitErrors { get; }

    public Counter Restarts { get; }

    public Counter Rebalances { get; }

    public Gauge Paused { get; }

    public Gauge BrokersUp { get; }

    public Gauge StatisticsAt { get; }

    /// <summary>Sum of <see cref="Lag"/> over every partition it reports.</summary>
    public double TotalLag => Lag.GetAllLabelValues().Sum(labels => Lag.WithLabels(labels).Value);

    /// <summary>Messages consumed from every topic so far.</summary>
    public double ConsumedTotal => _consumed.GetAllLabelValues().Sum(labels => _consumed.WithLabels(labels).Value);

    /// <summary>Messages consumed from <paramref name="topic"/> so far.</summary>
    public double ConsumedCount(string topic) => _consumed.WithLabels(topic).Value;

    public void Consumed(string topic, int count) =>
        _consumedByTopic.GetOrAdd(topic, t => _consumed.WithLabels(t)).Inc(count);

    public void Produced(string topic, int count) =>
        _producedByTopic.GetOrAdd(topic, t => _produced.WithLabels(t)).Inc(count);
}
