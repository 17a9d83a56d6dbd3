using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core.Resilience;

namespace RiskStream.Kafka;

/// <summary>Committing completed offsets: stored on an interval, committed synchronously on revoke and close; the lag gauge.</summary>
internal sealed partial class ConsumerWorker
{
    private void CommitIfDue(IConsumer<byte[]?, byte[]?> consumer, ref long lastCommit)
    {
        if (_time.GetElapsedTime(lastCommit) >= _settings.CommitInterval)
        {
            CommitPending(consumer, _progress.Values, final: false);
            UpdateLag(consumer);
            lastCommit = _time.GetTimestamp();
        }
    }

    /// <summary>
    /// Stores the committable offset of each partition; librdkafka commits stored offsets on its own interval. With
    /// <paramref name="final"/> (revoke, close) it also commits them now and waits for the broker's answer.
    /// </summary>
    private void CommitPending(IConsumer<byte[]?, byte[]?> consumer, IEnumerable<PartitionProgress> progress, bool final)
    {
        var partitions = progress.ToList();
        var offsets = partitions.Select(p => p.PendingCommit()).OfType<TopicPartitionOffset>().ToList();
        foreach (var o in offsets)
        {
            try
            {
                consumer.StoreOffset(o);
                if (_progress.TryGetValue(o.TopicPartition, out var p))
                {
                    p.MarkCommitted(o.Offset.Value);
                }
            }
            catch (KafkaException e)
            {
                _metrics.CommitErrors.Inc();
                _log.LogWarning("Could not store offset {Offset}: {Reason}", o, e.Error.Reason);
            }
        }

        if (!final)
        {
            return;
        }

        // Explicit offsets: Commit() without them would commit the consumed position, not the completed one.
        var toCommit = partitions
            .Where(p => p.Committed >= 0 && (!_committed.TryGetValue(p.Partition, out var done) || done < p.Committed))
            .Select(p => new TopicPartitionOffset(p.Partition, p.Committed))
            .ToList();
        if (toCommit.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(toCommit);
            foreach (var committed in toCommit)
            {
                _committed[committed.TopicPartition] = committed.Offset.Value;
            }

            _metrics.Commits.Inc();
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            _metrics.CommitErrors.Inc();
            _log.LogError("Final commit failed: {Reason}; the next owner redoes the uncommitted range", e.Error.Reason);
        }
    }

    private void OnCommitted(CommittedOffsets result)
    {
        if (result.Error.IsError)
        {
            if (result.Error.Code != ErrorCode.Local_NoOffset)
            {
                _metrics.CommitErrors.Inc();
                if (_throttle.ShouldLog("commit:" + result.Error.Code, out var held))
                {
                    _log.LogWarning("Background commit failed: {Reason}; retried at the next interval{Held}", result.Error.Reason, LogThrottle.Held(held));
                }
            }

            return;
        }

        _metrics.Commits.Inc();
        foreach (var o in result.Offsets)
        {
            if (!o.Error.IsError && o.Offset.Value >= 0)
            {
                _committed[o.TopicPartition] = o.Offset.Value;
            }
        }
    }

    private void UpdateLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        foreach (var tp in _progress.Keys)
        {
            var watermarks = consumer.GetWatermarkOffsets(tp);
            var position = _lastOffset.TryGetValue(tp, out var last) ? last + 1 : -1;
            if (watermarks.High.Value >= 0 && position >= 0)
            {
                _metrics.Lag.WithLabels(tp.Topic, tp.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(Math.Max(0, watermarks.High.Value - position));
            }
        }
    }
}
