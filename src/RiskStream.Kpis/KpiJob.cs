using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Kpis;

/// <summary>
/// <c>riskstream kpis</c> (and a part of the embedded <c>run</c>): reads every warning event
/// (<c>riskstream.warnings</c>) from <see cref="Lookback"/> back, computes the alarm KPIs and publishes each closed
/// window of each scope to <c>riskstream.kpis</c>, keyed <c>scope:id:window:from</c>. A window closes once the job
/// has caught up with the topic and the clock is <see cref="Lateness"/> past its end. Nothing is committed: a restart
/// rebuilds its state from the topic and publishes again the windows that ended within the last day, with the same
/// keys (consumers treat a key as an upsert; InfluxDB overwrites a point with the same tags and time). One instance
/// per cluster.
/// </summary>
/// <remarks>
/// It also computes data quality (<see cref="DataQualityCalculator"/>) from the scores and the readings' dead letters
/// (from a day back) and publishes each closed hour and day of each scope to <c>riskstream.dataquality</c>; and each
/// warning closed as disposed becomes a training label on <c>riskstream.labels</c> (<see cref="LabelBuilder"/>; a
/// restart publishes the last week's again, with the same keys).
/// </remarks>
public sealed class KpiJob(string bootstrap, IReadOnlyDictionary<string, string> properties, ParkRegistry registry, ILogger log, TimeProvider? time = null, Func<string, string, DateTimeOffset, string?>? outOfService = null)
{
    /// <summary>How far back the job reads warnings when it starts (standing warnings older than this are not seen).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(7);

    /// <summary>How long after a window's end the job waits for its late events.</summary>
    public static readonly TimeSpan Lateness = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>When its loop last went round (liveness: a wedged job stops moving it).</summary>
    public DateTimeOffset LastTurn { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Why the job looks wedged (its loop has not turned within <paramref name="within"/>), or null.</summary>
    public string? Stalled(TimeSpan within) => _time.GetUtcNow() - LastTurn > within ? $"the job's loop has not turned since {LastTurn:O}" : null;

    /// <summary>It has read every partition to where it stood at its start and closes windows (readiness).</summary>
    public bool CaughtUp { get; private set; }

    /// <summary>Windows published so far.</summary>
    public long Published { get; private set; }

    /// <summary>Warning events read so far.</summary>
    public long Read { get; private set; }

    /// <summary>Runs on a thread of its own (its consumer blocks; the thread pool stays free for the pipeline) until <paramref name="stop"/>.</summary>
    public Task RunAsync(CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stop);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "kpis" };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken stop)
    {
        var started = _time.GetUtcNow();
        var kpis = new AlarmKpiCalculator(registry);
        var quality = new DataQualityCalculator(registry, outOfService ?? ((_, _, _) => null));
        var labels = new LabelBuilder();
        var consumerConfig = new ConsumerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = bootstrap,
            GroupId = "riskstream-kpis",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 100,
        };
        var producerConfig = new ProducerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value)) { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 20 };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(consumerConfig).Build();
        using var producer = new ProducerBuilder<byte[]?, byte[]>(producerConfig).Build();
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        var replayTo = new Dictionary<TopicPartition, long>();
        var caughtUp = false;
        var nextLookup = DateTimeOffset.MinValue;
        var lastClose = DateTimeOffset.MinValue;
        kpis.StartAt(started - TimeSpan.FromDays(1));
        void CloseWindows()
        {
            // Close what has ended; what ended within the last day is published again after a restart, with the same keys.
            lastClose = _time.GetUtcNow();
            foreach (var k in kpis.Close(lastClose - Lateness))
            {
                Publish(producer, Topics.Kpis, $"{k.Scope}:{k.Id}:{k.Window}:{k.From.ToUnixTimeMilliseconds()}", JsonSerializer.SerializeToUtf8Bytes(k, ContractJson.Default.AlarmKpis));
            }

            foreach (var q in quality.Close(lastClose - Lateness))
            {
                Publish(producer, Topics.DataQuality, $"{q.Scope}:{q.Id}:{q.Window}:{q.From.ToUnixTimeMilliseconds()}", JsonSerializer.SerializeToUtf8Bytes(q, ContractJson.Default.DataQuality));
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        while (!stop.IsCancellationRequested)
        {
            LastTurn = _time.GetUtcNow(); // turning, whether Kafka answers or not: liveness is the process's, not the broker's
            try
            {
                if (assigned.Count < 3 && _time.GetUtcNow() >= nextLookup)
                {
                    // Warnings from a week back (standing ones), scores and dead letters from a day back (the hours to rebuild).
                    Assignments.AssignNew(consumer, t => t is Topics.Warnings or Topics.Scores or Topics.DeadLetter, assigned, tp => Assignments.Since(consumer, tp, started - (tp.Topic == Topics.Warnings ? Lookback : TimeSpan.FromDays(1) + Lateness)));
                    foreach (var tp in consumer.Assignment.Where(tp => !replayTo.ContainsKey(tp)))
                    {
                        var marks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)); // what was there at the start
                        replayTo[tp] = marks.High.Value > marks.Low.Value ? marks.High.Value : 0;
                    }

                    nextLookup = _time.GetUtcNow().AddSeconds(5);
                }

                var result = assigned.Count == 0 ? null : consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message?.Value is { } value)
                {
                    Read++;
                    Observe(kpis, quality, labels, producer, result.Topic, value);
                }

                // No window closes before every partition has been read to where it stood at the start (a window closed
                // mid-replay would be published short and overwrite the right figures); then one close a second.
                caughtUp = caughtUp || (replayTo.Count > 0 && replayTo.All(r => r.Value <= 0 || consumer.Position(r.Key).Value >= r.Value));
                CaughtUp = caughtUp;
                if (caughtUp && _time.GetUtcNow() - lastClose >= TimeSpan.FromSeconds(1))
                {
                    CloseWindows();
                }

                if (assigned.Count == 0)
                {
                    stop.WaitHandle.WaitOne(200);
                }
            }
            catch (KafkaException e)
            {
                log.LogWarning("KPIs: {Reason}", e.Error.Reason);
                stop.WaitHandle.WaitOne(1_000);
            }
        }

        consumer.Close();
    }

    /// <summary>Windows whose delivery failed (logged; a restart publishes the last day again).</summary>
    public long Undelivered => Interlocked.Read(ref _undelivered);

    private long _undelivered;

    private void Publish(IProducer<byte[]?, byte[]> producer, string topic, string key, byte[] value)
    {
        var message = new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value };
        void Delivered(DeliveryReport<byte[]?, byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref _undelivered);
                log.LogError("KPIs: {Key} not delivered to {Topic}: {Reason}", key, topic, report.Error.Reason);
            }
        }

        try
        {
            producer.Produce(topic, message, Delivered);
        }
        catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            producer.Flush(TimeSpan.FromSeconds(30)); // the queue drains, then once more
            producer.Produce(topic, message, Delivered);
        }

        Published++;
    }

    private void Observe(AlarmKpiCalculator kpis, DataQualityCalculator quality, LabelBuilder labels, IProducer<byte[]?, byte[]> producer, string topic, byte[] value)
    {
        try
        {
            switch (topic)
            {
                case Topics.Warnings when JsonSerializer.Deserialize(value, ContractJson.Default.WarningEvent) is { } e:
                    kpis.Observe(e);
                    if (labels.Observe(e) is { } label)
                    {
                        Publish(producer, Topics.Labels, label.Warning, JsonSerializer.SerializeToUtf8Bytes(label, ContractJson.Default.Label));
                    }

                    break;
                case Topics.Scores when JsonSerializer.Deserialize(value, ContractJson.Default.Score) is { } score:
                    quality.Observe(score);
                    kpis.ObserveScore(score);
                    break;
                case Topics.DeadLetter when JsonSerializer.Deserialize(value, ContractJson.Default.DeadLetter) is { } letter:
                    quality.ObserveDeadLetter(letter);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The pipeline writes these topics; a message that is not what it writes (bad JSON, a field missing) is
            // someone else's mistake, this message's alone.
            log.LogWarning("KPIs: a message on {Topic} is not what the pipeline writes there: {Reason}", topic, e.Message);
        }
    }
}
