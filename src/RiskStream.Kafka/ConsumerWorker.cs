using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core.Resilience;

namespace RiskStream.Kafka;

/// <summary>
/// Owns one Kafka consumer on a dedicated thread (librdkafka calls block, and rebalance callbacks run inside
/// Consume): polls into per-partition batches, pauses when too much is buffered, commits completed offsets on an
/// interval, drains revoked partitions, recreates the consumer with back-off after a fatal error.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "_closing is a token source without a timer: it holds nothing to release, and the worker's thread may read it after close.")]
internal sealed partial class ConsumerWorker
{
    private readonly ConsumerSettings _settings;
    private readonly IReadOnlyList<string> _topics;
    private readonly KafkaMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<TopicPartition, PartitionProgress> _progress = new();
    private readonly Dictionary<TopicPartition, long> _lastOffset = [];
    private readonly ConcurrentDictionary<TopicPartition, long> _committed = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
#pragma warning disable CA2213 // A token source without a timer holds nothing to release; the worker's thread may still read it after close.
    private readonly CancellationTokenSource _closing = new();
#pragma warning restore CA2213
    private Thread? _thread;
    private readonly object _drainSignal = new();
    private readonly LogThrottle _throttle;
    private int _buffered;
    private long _generation;
    private volatile bool _emissionStopped;
    private volatile Error? _fatal;
    private bool _paused;
    private IConsumer<byte[]?, byte[]?>? _consumer;

    public ConsumerWorker(ConsumerSettings settings, IReadOnlyList<string> topics, KafkaMetrics metrics, ILogger log, TimeProvider time)
    {
        _settings = settings;
        _topics = topics;
        _metrics = metrics;
        _log = log;
        _time = time;
        _throttle = new LogThrottle(time, TimeSpan.FromSeconds(30));
    }

    /// <summary>Batches ready to emit, in per-partition offset order.</summary>
    public ConcurrentQueue<ConsumedBatch> Ready { get; } = new();

    /// <summary>Called (from the worker thread) after batches were queued.</summary>
    public Action? BatchesAvailable { get; set; }

    /// <summary>Called (from the worker thread) with the partitions held after each assignment, revoke or loss.</summary>
    public Action<IReadOnlyCollection<TopicPartition>>? AssignmentChanged { get; set; }

    /// <summary>Called (from the worker thread) when the worker gives up for good.</summary>
    public Action<Exception>? Failed { get; set; }

    public Task Closed => _closed.Task;

    public IReadOnlyCollection<TopicPartition> Assignment => _progress.Keys.ToArray();

    /// <summary>The last offset this worker committed per partition, including partitions since revoked.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Committed => new Dictionary<TopicPartition, long>(_committed);

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"riskstream-consumer-{_settings.GroupId}" };
        _thread.Start();
    }

    /// <summary>The stage took <paramref name="count"/> messages off the ready queue.</summary>
    public void Taken(int count)
    {
        if (Interlocked.Add(ref _buffered, -count) < _settings.MaxBufferedMessages)
        {
            lock (_drainSignal)
            {
                Monitor.PulseAll(_drainSignal);
            }
        }
    }

    /// <summary>No more emission: pause everything, keep the group membership until closed.</summary>
    public void StopEmission() => _emissionStopped = true;

    /// <summary>Final commit of what completed, then leave the group.</summary>
    public Task CloseAsync()
    {
        _emissionStopped = true;
        _closeRequested.TrySetResult();
        _closing.Cancel();
        return _closed.Task;
    }

    private void Run()
    {
        var backoff = new RestartBackoff(_settings.MinRestartBackoff, _settings.MaxRestartBackoff, TimeSpan.FromMinutes(1), _time);
        var restarts = Retries.Forever(backoff, _time, e => e is PermanentKafkaException || !(e is KafkaException k && (k.Error.IsFatal || _fatal is not null)), (e, delay) =>
        {
            var error = ((KafkaException)e).Error;
            _metrics.Restarts.Inc();
            _log.LogError("Kafka consumer hit a fatal error ({Code}: {Reason}); recreating it in {Backoff:F1} s", error.Code, error.Reason, delay.TotalSeconds);
            AbandonAll();
            _fatal = null;
        });
        try
        {
            restarts.Execute(_ => RunConsumer(backoff), _closing.Token);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Closed while waiting to recreate the consumer: nothing to commit.
        }
        catch (Exception e)
        {
            _log.LogError(e, "Kafka consumer stopped on an unexpected error");
            AbandonAll();
            Failed?.Invoke(e);
            _closed.TrySetException(e);
            return;
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    /// <summary>One consumer's life: subscribe, poll until closed, commit what completed, leave the group.</summary>
    private void RunConsumer(RestartBackoff backoff)
    {
        if (_closeRequested.Task.IsCompleted)
        {
            return;
        }

        backoff.Started();
        try
        {
            using var consumer = Build();
            _consumer = consumer;
            consumer.Subscribe(_topics);
            Poll(consumer);
            CommitPending(consumer, _progress.Values, final: true);
            consumer.Close();
        }
        finally
        {
            _consumer = null;
        }
    }

    /// <summary>The consume loop.</summary>
    /// <remarks>
    /// The hot path of every message (82 lines, over the house limit of 80 on purpose): the run-of-one-partition lookup,
    /// the budget and the error handling stay in one frame so a message costs one <c>Consume</c>, one <c>Track</c> and a
    /// list append, with no further call or closure per message.
    /// </remarks>
    private void Poll(IConsumer<byte[]?, byte[]?> consumer)
    {
        var pending = new Dictionary<TopicPartition, List<ConsumeResult<byte[]?, byte[]?>>>();
        var lastCommit = _time.GetTimestamp();
        var pollMs = (int)_settings.PollTimeout.TotalMilliseconds;
        long? behindSince = null;
        while (!_closeRequested.Task.IsCompleted)
        {
            if (_fatal is { } fatal)
            {
                throw KafkaErrors.IsPermanent(fatal) ? new PermanentKafkaException(fatal, $"consuming {string.Join(", ", _topics)} in group {_settings.GroupId}") : new KafkaException(fatal);
            }

            if (!ApplyBackpressure(consumer, ref behindSince))
            {
                CommitIfDue(consumer, ref lastCommit);
                continue;
            }

            var budget = _settings.MaxBufferedMessages - Volatile.Read(ref _buffered);
            var taken = 0;
            try
            {
                var timeout = pollMs;
                List<ConsumeResult<byte[]?, byte[]?>>? list = null;
                TopicPartition? current = null;
                while (taken < Math.Max(budget, 1))
                {
                    var r = consumer.Consume(timeout);
                    if (r is null)
                    {
                        break;
                    }

                    timeout = 0;
                    taken++;

                    // Messages come in runs of one partition: look the partition up once per run.
                    var topic = r.Topic ?? _topics[0];
                    if (current is null || r.Partition.Value != current.Partition.Value || !string.Equals(topic, current.Topic, StringComparison.Ordinal))
                    {
                        current = new TopicPartition(topic, r.Partition);
                        if (!pending.TryGetValue(current, out list))
                        {
                            pending[current] = list = new List<ConsumeResult<byte[]?, byte[]?>>(Math.Min(_settings.MaxBatchSize, 256));
                        }
                    }

                    Track(current, r);
                    list!.Add(r);
                    if (list.Count >= _settings.MaxBatchSize)
                    {
                        Flush(current, list);
                    }
                }
            }
            catch (ConsumeException e) when (KafkaErrors.IsPermanent(e.Error))
            {
                throw new PermanentKafkaException(e.Error, $"consuming {e.ConsumerRecord?.TopicPartition.ToString() ?? string.Join(", ", _topics)} in group {_settings.GroupId}");
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                _metrics.ClientErrors.WithLabels("consumer", e.Error.Code.ToString()).Inc();
                if (e.Error.Code == ErrorCode.Local_AutoOffsetReset)
                {
                    _log.LogWarning("Offset reset on {Partition}: {Reason}; input skipped by the jump is counted as lost", e.ConsumerRecord?.TopicPartition, e.Error.Reason);
                }
                else
                {
                    _log.LogWarning("Kafka consume error {Code}: {Reason}", e.Error.Code, e.Error.Reason);
                }
            }

            foreach (var (tp, list) in pending)
            {
                Flush(tp, list);
            }

            pending.Clear();
            CommitIfDue(consumer, ref lastCommit);
        }
    }

    private void Track(TopicPartition tp, ConsumeResult<byte[]?, byte[]?> r)
    {
        var offset = r.Offset.Value;
        ref var last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_lastOffset, tp, out var known);
        if (known && offset > last + 1)
        {
            var lost = offset - last - 1;
            _metrics.LostInput.WithLabels(tp.Topic).Inc(lost);
            _log.LogWarning("{Partition}: offsets {From}..{To} were deleted before they were consumed ({Lost} messages lost to retention)", tp, last + 1, offset - 1, lost);
        }

        last = offset;
    }

    private void Flush(TopicPartition tp, List<ConsumeResult<byte[]?, byte[]?>> list)
    {
        if (list.Count == 0 || !_progress.TryGetValue(tp, out var progress))
        {
            return;
        }

        var range = progress.Register(list[0].Offset.Value, list[^1].Offset.Value);
        Interlocked.Add(ref _buffered, list.Count);
        _metrics.Consumed(tp.Topic, list.Count);
        Ready.Enqueue(new ConsumedBatch(tp.Topic, tp.Partition.Value, list.ToArray(), range) { Generation = progress.Generation });
        list.Clear();
        BatchesAvailable?.Invoke();
    }

    /// <summary>
    /// Backpressure in two steps. While the stream is behind, the worker stops polling and librdkafka's bounded
    /// prefetch queue absorbs the difference: resuming costs nothing. If the stream stays behind for
    /// <see cref="ConsumerSettings.PauseAfter"/>, or emission stopped, the partitions are paused so that the broker
    /// keeps the backlog, and polling goes on to serve rebalances; they resume once half the buffer has drained.
    /// </summary>
    /// <returns>True when the worker may consume now.</returns>
    private bool ApplyBackpressure(IConsumer<byte[]?, byte[]?> consumer, ref long? behindSince)
    {
        var buffered = Volatile.Read(ref _buffered);
        var full = buffered >= _settings.MaxBufferedMessages;
        if (!full && !_emissionStopped)
        {
            behindSince = null;
            if (_paused && buffered <= _settings.MaxBufferedMessages / 2)
            {
                consumer.Resume(consumer.Assignment);
                _paused = false;
                _metrics.Paused.Set(0);
            }

            return true; // paused until half drained: polling serves callbacks and waits up to the poll timeout
        }

        behindSince ??= _time.GetTimestamp();
        if (_emissionStopped || _time.GetElapsedTime(behindSince.Value) >= _settings.PauseAfter)
        {
            var assignment = consumer.Assignment;
            if (assignment.Count > 0)
            {
                // Re-pausing is idempotent, and covers partitions assigned since the last pause.
                consumer.Pause(assignment);
            }

            if (!_paused)
            {
                _paused = true;
                _metrics.Paused.Set(1);
            }

            return true; // paused: polling serves rebalance callbacks and returns no new messages
        }

        lock (_drainSignal)
        {
            if (Volatile.Read(ref _buffered) >= _settings.MaxBufferedMessages)
            {
                Monitor.Wait(_drainSignal, _settings.PollTimeout);
            }
        }

        return false;
    }

    /// <summary>Partitions grouped by topic, e.g. <c>riskstream.readings[0,1] riskstream.acks.ent.E01[0,1]</c>.</summary>
    internal static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(' ', partitions.GroupBy(p => p.Topic).Select(g => $"{g.Key}[{string.Join(',', g.Select(p => p.Partition.Value).Order())}]"));
}
