using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;

namespace RiskStream.Pipeline.State;

/// <summary>
/// Reads <c>riskstream.warnings</c> from <paramref name="window"/> ago to its current end, every partition, without a
/// consumer group (assigned, never committed). A read is shared for a few seconds: the lanes of one rebalance audit
/// against one read.
/// </summary>
internal sealed class KafkaPublishedWarnings(string bootstrapServers, IReadOnlyDictionary<string, string> properties, ILogger log, TimeSpan window, TimeSpan timeout, TimeProvider time, string topic = Topics.Warnings) : IPublishedWarnings
{
    private static readonly TimeSpan Shared = TimeSpan.FromSeconds(5);

    /// <summary>Most messages read from one partition when the broker gives no offset by time.</summary>
    private const long TailLimit = 100_000;
    private readonly object _gate = new();
    private (long At, PublishedState State)? _last;

    public PublishedState Read()
    {
        lock (_gate)
        {
            if (_last is { } last && time.GetElapsedTime(last.At) < Shared)
            {
                return last.State;
            }

            var state = PublishedState.Of(ReadEvents());
            _last = (time.GetTimestamp(), state);
            return state;
        }
    }

    private List<WarningEvent> ReadEvents()
    {
        var config = new ConsumerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = bootstrapServers,
            GroupId = "riskstream-state-audit",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 5,
        };
        using var admin = new AdminClientBuilder(config).Build();
        var partitions = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions ?? [];
        var events = new List<WarningEvent>();
        if (partitions.Count == 0)
        {
            return events;
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var since = new Timestamp(time.GetUtcNow() - window);
        var starts = consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(topic, p.PartitionId, since)), timeout);
        var ends = new Dictionary<int, long>();
        var assigned = new List<TopicPartitionOffset>();
        foreach (var start in starts)
        {
            var marks = consumer.QueryWatermarkOffsets(start.TopicPartition, timeout);

            // No offset by time (a broker without the time index answers so, and so does one with nothing newer):
            // the partition's last TailLimit messages, filtered by their timestamps below.
            var from = start.Offset.Value >= 0 ? start.Offset.Value : Math.Max(marks.Low.Value, marks.High.Value - TailLimit);
            if (marks.High.Value > from)
            {
                ends[start.Partition.Value] = marks.High.Value;
                assigned.Add(new TopicPartitionOffset(start.TopicPartition, new Offset(from)));
            }
        }

        if (assigned.Count == 0)
        {
            return events;
        }

        consumer.Assign(assigned);
        var started = time.GetTimestamp();
        while (ends.Count > 0)
        {
            if (time.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"reading {topic}: {ends.Count} partitions not read to their end in {timeout}");
            }

            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is null)
            {
                continue;
            }

            if (!r.IsPartitionEOF && r.Message.Value is { } value && r.Message.Timestamp.UnixTimestampMs >= since.UnixTimestampMs)
            {
                try
                {
                    if (JsonSerializer.Deserialize(value, ContractJson.Default.WarningEvent) is { Id: not null, Site: not null } e)
                    {
                        events.Add(e);
                    }
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
                {
                    log.LogWarning("{Topic}[{Partition}]@{Offset}: unreadable warning event skipped by the state audit: {Reason}", topic, r.Partition.Value, r.Offset.Value, e.Message);
                }
            }

            if (ends.TryGetValue(r.Partition.Value, out var end) && (r.IsPartitionEOF || r.Offset.Value >= end - 1))
            {
                ends.Remove(r.Partition.Value);
            }
        }

        consumer.Close();
        return events;
    }
}
