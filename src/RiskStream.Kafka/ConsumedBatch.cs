using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// Messages of one partition, in offset order, with the handle that commits them once all work they caused is done.
/// </summary>
/// <remarks>
/// Work may fan out (lanes, outputs): call <see cref="Retain"/> for each extra holder and <see cref="Release"/> once
/// per holder; the batch counts as complete when the last holder releases it. A batch that is never released is
/// never committed, so it is redelivered after a restart (at-least-once).
/// </remarks>
public sealed class ConsumedBatch
{
    private readonly OffsetRange _range;
    private int _holders = 1;

    internal ConsumedBatch(string topic, int partition, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages, OffsetRange range)
    {
        Topic = topic;
        Partition = partition;
        Messages = messages;
        _range = range;
    }

    /// <summary>
    /// A batch of messages that did not come from this process's consumer (a replay, a measurement): releasing it
    /// commits nothing. Its messages are taken to be consecutive offsets of one partition.
    /// </summary>
    public static ConsumedBatch Detached(string topic, int partition, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages)
    {
        var progress = new PartitionProgress(new TopicPartition(topic, new Partition(partition)));
        var range = progress.Register(messages.Count == 0 ? 0 : messages[0].Offset.Value, messages.Count == 0 ? 0 : messages[^1].Offset.Value);
        return new ConsumedBatch(topic, partition, messages, range);
    }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>
    /// The consumer's assignment this batch was consumed under: it rises with every rebalance that assigns the
    /// partition, so work keyed by partition can tell a fresh assignment (state to restore) from the same one.
    /// </summary>
    public long Generation { get; init; }

    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Messages { get; }

    public long FirstOffset => _range.First;

    public long LastOffset => _range.Last;

    internal OffsetRange Range => _range;

    public void Retain(int count = 1) => Interlocked.Add(ref _holders, count);

    public void Release()
    {
        var left = Interlocked.Decrement(ref _holders);
        if (left == 0)
        {
            _range.Owner.Complete(_range);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"batch {Topic}[{Partition}]@{FirstOffset} released more often than retained");
        }
    }
}
