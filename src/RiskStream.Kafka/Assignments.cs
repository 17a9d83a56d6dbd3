using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// The console reads by assignment, not as a group member (nothing to rebalance, nothing committed): every
/// partition of the wanted topics that exists now, each from a start the caller chooses; topics created later are
/// picked up by calling again.
/// </summary>
public static class Assignments
{
    /// <summary>Assigns the partitions of wanted topics not yet assigned; returns how many topics it added.</summary>
    public static int AssignNew(IConsumer<byte[]?, byte[]?> consumer, Func<string, bool> wanted, HashSet<string> assigned, Func<TopicPartition, Offset> start)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));
        var partitions = new List<TopicPartitionOffset>();
        var added = 0;
        foreach (var topic in metadata.Topics.Where(t => wanted(t.Topic) && !assigned.Contains(t.Topic) && t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0))
        {
            assigned.Add(topic.Topic);
            added++;
            partitions.AddRange(topic.Partitions.Select(p =>
            {
                var tp = new TopicPartition(topic.Topic, p.PartitionId);
                return new TopicPartitionOffset(tp, start(tp));
            }));
        }

        if (partitions.Count > 0)
        {
            consumer.IncrementalAssign(partitions);
        }

        return added;
    }

    /// <summary>
    /// The first offset at or after <paramref name="since"/> (the broker's time index); the start of the partition
    /// when the broker names none (the embedded broker's mock answers no lookup by time; a real one names none when
    /// every message is older, and those few are read and found too old by the caller).
    /// </summary>
    public static Offset Since(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, DateTimeOffset since)
    {
        try
        {
            var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(since))], TimeSpan.FromSeconds(5));
            return found is [{ Offset.Value: >= 0 } hit] ? hit.Offset : Offset.Beginning;
        }
        catch (KafkaException)
        {
            return Offset.Beginning;
        }
    }
}
