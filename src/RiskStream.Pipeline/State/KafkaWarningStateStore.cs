using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.State;

/// <summary>
/// Reads one partition of <c>riskstream.warning-state</c> from its start to its current end, keeping the newest
/// record per key (what compaction keeps on a real cluster; the embedded broker does not compact, so the pipeline
/// re-publishes active state periodically to keep it within the broker's retention).
/// </summary>
internal sealed class KafkaWarningStateStore(string bootstrapServers, IReadOnlyDictionary<string, string> properties, ILogger log, TimeSpan timeout, string topic = Topics.WarningState) : IWarningStateStore
{
    public IReadOnlyList<WarningStateRecord> Load(int partition)
    {
        var config = new ConsumerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = bootstrapServers,
            GroupId = StateGroups.Restore,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 5,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var tp = new TopicPartition(topic, new Partition(partition));
        WatermarkOffsets marks;
        try
        {
            marks = consumer.QueryWatermarkOffsets(tp, timeout);
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition)
        {
            return [];
        }

        if (marks.High.Value <= marks.Low.Value)
        {
            return [];
        }

        var latest = new Dictionary<string, WarningStateRecord>(StringComparer.Ordinal);
        consumer.Assign(new TopicPartitionOffset(tp, marks.Low));
        var deadline = TimeProvider.System.GetTimestamp();
        var read = 0;
        while (true)
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > timeout)
            {
                throw new TimeoutException($"restoring {tp}: read {read} of {marks.High.Value - marks.Low.Value} records in {timeout}");
            }

            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is null)
            {
                continue;
            }

            if (!r.IsPartitionEOF && r.Message.Value is null && r.Message.Key is { } deleted)
            {
                // A tombstone: the record of that key is deleted (what compaction does on a real cluster).
                latest.Remove(System.Text.Encoding.UTF8.GetString(deleted));
            }
            else if (!r.IsPartitionEOF && r.Message.Value is { } value)
            {
                read++;
                try
                {
                    var record = JsonSerializer.Deserialize(value, StateJson.Default.WarningStateRecord);
                    if (record is { Key: not null })
                    {
                        latest[record.Key] = record;
                    }
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
                {
                    log.LogWarning("{Partition}@{Offset}: unreadable warning state skipped: {Reason}", tp, r.Offset.Value, e.Message);
                }
            }

            if (r.IsPartitionEOF || r.Offset.Value >= marks.High.Value - 1)
            {
                break;
            }
        }

        consumer.Close();
        return latest.Values.ToArray();
    }
}
