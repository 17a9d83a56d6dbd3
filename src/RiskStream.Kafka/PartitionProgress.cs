using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// Completion of one assigned partition: the ranges handed downstream in offset order, which of them have finished,
/// and so the committable offset, the highest offset below which every message has completed.
/// </summary>
/// <remarks>Thread-safe: the consumer thread registers and commits, completions arrive from any thread.</remarks>
internal sealed class PartitionProgress
{
    private readonly Queue<OffsetRange> _ranges = new();
    private long _committable = -1;
    private long _committed = -1;
    private int _emittedOpen;
    private bool _revoking;
    private bool _revoked;

    public PartitionProgress(TopicPartition partition) => Partition = partition;

    public TopicPartition Partition { get; }

    /// <summary>Which assignment of the consumer this partition's progress belongs to.</summary>
    public long Generation { get; init; }

    /// <summary>Registers the next range in offset order (called by the consumer thread as it batches).</summary>
    public OffsetRange Register(long first, long last)
    {
        var range = new OffsetRange(this, first, last);
        lock (_ranges)
        {
            _ranges.Enqueue(range);
        }

        return range;
    }

    /// <summary>Marks a range as handed downstream; false if the partition is being revoked (drop the batch).</summary>
    public bool TryEmit(OffsetRange range)
    {
        lock (_ranges)
        {
            if (_revoking || _revoked)
            {
                return false;
            }

            range.Emitted = true;
            _emittedOpen++;
            return true;
        }
    }

    public void Complete(OffsetRange range)
    {
        lock (_ranges)
        {
            if (_revoked || range.Done)
            {
                return;
            }

            range.Done = true;
            if (range.Emitted)
            {
                _emittedOpen--;
            }

            while (_ranges.TryPeek(out var head) && head.Done)
            {
                _ranges.Dequeue();
                _committable = head.Last + 1;
            }
        }
    }

    /// <summary>Stops new emission of this partition's ranges; ranges not yet emitted are abandoned.</summary>
    public void BeginRevoke()
    {
        lock (_ranges)
        {
            _revoking = true;
        }
    }

    /// <summary>True when no emitted range of this partition is unfinished.</summary>
    public bool Drained
    {
        get
        {
            lock (_ranges)
            {
                return _emittedOpen == 0;
            }
        }
    }

    /// <summary>After this, completions are ignored and nothing more is committed for the partition.</summary>
    public void EndRevoke()
    {
        lock (_ranges)
        {
            _revoked = true;
            _ranges.Clear();
        }
    }

    public bool IsRevoked
    {
        get
        {
            lock (_ranges)
            {
                return _revoked;
            }
        }
    }

    /// <summary>The offset to commit if it moved since the last commit, else null.</summary>
    public TopicPartitionOffset? PendingCommit()
    {
        lock (_ranges)
        {
            return _revoked || _committable <= _committed ? null : new TopicPartitionOffset(Partition, _committable);
        }
    }

    public void MarkCommitted(long offset)
    {
        lock (_ranges)
        {
            _committed = Math.Max(_committed, offset);
        }
    }

    /// <summary>The offset last stored (handed to librdkafka to commit) in this assignment; -1 before the first.</summary>
    public long Committed
    {
        get
        {
            lock (_ranges)
            {
                return _committed;
            }
        }
    }
}
