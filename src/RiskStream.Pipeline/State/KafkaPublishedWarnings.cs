using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;

namespace RiskStream.Pipeline.State;

/// <summary>
/// Reads <c>riskstream.warnings</c> from <paramref name="window"/> ago to its current end, every partition, without a
/// consumer group (assigned, never committed), within one deadline of <paramref name="timeout"/>. The lanes of one
/// assignment share one read.
/// </summary>
internal sealed class KafkaPublishedWarnings(string bootstrapServers, IReadOnlyDictionary<string, string> properties, ILogger log, TimeSpan window, TimeSpan timeout, TimeProvider time, string topic = Topics.Warnings) : IPublishedWarnings
{
    /// <summary>Most messages read from one partition when the broker gives no offset by time.</summary>
    private const long TailLimit = 10_000;
    private readonly object _gate = new();
    private (long Generation, PublishedState State)? _last;

    public PublishedState Read(long generation)
    {
        lock (_gate)
        {
            if (_last is { } last && last.Generation == generation)
            {
                return last.State;
            }

            var state = PublishedState.Of(ReadEvents());
            _last = (generation, state);
            return state;
        }
    }

    private List<WarningEvent> ReadEvents()
    {
        var config = new ConsumerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = bootstrapServers,
            GroupId = StateGroups.Audit,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 5,
        };
        var deadline = time.GetTimestamp();
        TimeSpan Left() => timeout - time.GetElapsedTime(deadline) is { Ticks: > 0 } left ? left : throw new TimeoutException($"reading {topic} took longer than {timeout}");
        // An admin client of its own configuration: built from the consumer's, librdkafka warns at every start that
        // the consumer's properties (group.id, fetch.wait.max.ms, ...) are ignored by a producer-type handle.
        using var admin = new AdminClientBuilder(new AdminClientConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value)) { BootstrapServers = bootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, Left()).Topics.SingleOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions ?? [];
        var events = new List<WarningEvent>();
        if (partitions.Count == 0)
        {
            return events;
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var since = new Timestamp(time.GetUtcNow() - window);
        var starts = consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(topic, p.PartitionId, since)), Left());
        var ends = new Dictionary<int, long>();
        var assigned = new List<TopicPartitionOffset>();
        foreach (var start in starts)
        {
            var marks = consumer.QueryWatermarkOffsets(start.TopicPartition, Left());

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
        while (ends.Count > 0)
        {
            _ = Left();
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
