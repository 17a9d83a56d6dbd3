using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core.Resilience;

namespace RiskStream.Kafka;

/// <summary>The consumer's client and its rebalance callbacks: what is assigned is tracked, what is revoked is drained and committed.</summary>
internal sealed partial class ConsumerWorker
{
    private IConsumer<byte[]?, byte[]?> Build() =>
        new ConsumerBuilder<byte[]?, byte[]?>(Config())
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal || KafkaErrors.IsPermanent(e))
                {
                    _fatal = e;
                }

                _metrics.ClientErrors.WithLabels("consumer", e.Code.ToString()).Inc();
                if (_throttle.ShouldLog(e.Code.ToString(), out var held))
                {
                    _log.LogWarning("Kafka consumer error {Code}: {Reason}{Held}", e.Code, e.Reason, LogThrottle.Held(held));
                }
            })
            .SetLogHandler((_, m) =>
            {
                // Errors also reach the error handler; librdkafka's own log adds only what is worse than a warning.
                if (m.Level <= SyslogLevel.Error && _throttle.ShouldLog("log:" + m.Facility, out int _))
                {
                    _log.LogWarning("librdkafka {Facility}: {Message}", m.Facility, m.Message);
                }
            })
            .SetStatisticsHandler((_, json) => _metrics.Statistics(ClientStatistics.BrokersUp(json), _time.GetUtcNow()))
            .SetOffsetsCommittedHandler((_, result) => OnCommitted(result))
            .SetPartitionsAssignedHandler((c, parts) =>
            {
                _metrics.Rebalances.WithLabels("assigned").Inc();
                var generation = Interlocked.Increment(ref _generation);
                foreach (var tp in parts)
                {
                    _progress[tp] = new PartitionProgress(tp) { Generation = generation };
                    _lastOffset.Remove(tp);
                }

                // Where the group left off: if retention deleted messages past it, the first message consumed shows
                // the jump and the skipped range is counted as lost.
                try
                {
                    foreach (var committed in c.Committed(parts, TimeSpan.FromSeconds(5)))
                    {
                        if (committed.Offset.Value > 0)
                        {
                            _lastOffset[committed.TopicPartition] = committed.Offset.Value - 1;
                        }
                    }
                }
                catch (KafkaException e)
                {
                    _log.LogWarning("Could not read committed offsets of {Partitions}: {Reason}; a retention gap at the start goes uncounted", Describe(parts), e.Error.Reason);
                }

                _log.LogInformation("Assigned {Partitions}", Describe(parts));
                AssignmentChanged?.Invoke(_progress.Keys.ToArray());
            })
            .SetPartitionsRevokedHandler((c, parts) =>
            {
                _metrics.Rebalances.WithLabels("revoked").Inc();
                Revoke(c, parts.Select(p => p.TopicPartition).ToList(), commit: true);
            })
            .SetPartitionsLostHandler((c, parts) =>
            {
                _metrics.Rebalances.WithLabels("lost").Inc();
                Revoke(c, parts.Select(p => p.TopicPartition).ToList(), commit: false);
            })
            .Build();

    private ConsumerConfig Config()
    {
        var config = _settings.ToConfig();
        if (_topics.Count == 1 && !_settings.Properties.ContainsKey("dotnet.consumer.consume.result.fields"))
        {
            // One topic: its name is known, so the client need not marshal it (nor headers) for every message.
            config.ConsumeResultFields = "timestamp";
        }

        return config;
    }

    private void Revoke(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions, bool commit)
    {
        var revoked = partitions.Select(tp => _progress.TryGetValue(tp, out var p) ? p : null).OfType<PartitionProgress>().ToList();
        foreach (var p in revoked)
        {
            p.BeginRevoke();
        }

        if (commit)
        {
            // Emitted work of revoked partitions is finished, within a bound, before the revoke completes: the next
            // owner then starts after it instead of redoing it.
            var started = _time.GetTimestamp();
            while (revoked.Any(p => !p.Drained) && _time.GetElapsedTime(started) < _settings.RevokeDrainTimeout && !_closeRequested.Task.IsCompleted)
            {
                Thread.Sleep(2);
            }

            var unfinished = revoked.Where(p => !p.Drained).Select(p => p.Partition).ToList();
            if (unfinished.Count > 0 && _closeRequested.Task.IsCompleted)
            {
                _log.LogWarning("Closing with emitted work of {Partitions} unfinished; the next owner redoes it", Describe(unfinished));
            }
            else if (unfinished.Count > 0)
            {
                _log.LogWarning("Revoke of {Partitions}: emitted work did not finish within {Timeout}; the next owner redoes it", Describe(unfinished), _settings.RevokeDrainTimeout);
            }

            CommitPending(consumer, revoked, final: true);
        }

        foreach (var p in revoked)
        {
            p.EndRevoke();
            _progress.TryRemove(p.Partition, out _);
            _lastOffset.Remove(p.Partition);
            _metrics.Lag.RemoveLabelled(p.Partition.Topic, p.Partition.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _log.LogInformation("{Kind} {Partitions}", commit ? "Revoked" : "Lost", Describe(partitions));
        AssignmentChanged?.Invoke(_progress.Keys.ToArray());
    }

    private void AbandonAll()
    {
        foreach (var p in _progress.Values)
        {
            p.BeginRevoke();
            p.EndRevoke();
        }

        _progress.Clear();
        _lastOffset.Clear();
    }
}
