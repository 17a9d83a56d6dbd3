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
public sealed class KpiJob(string bootstrap, IReadOnlyDictionary<string, string> properties, ParkRegistry registry, ILogger log, TimeProvider? time = null)
{
    /// <summary>How far back the job reads warnings when it starts (standing warnings older than this are not seen).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(7);

    /// <summary>How long after a window's end the job waits for its late events.</summary>
    public static readonly TimeSpan Lateness = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

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
        var nextLookup = DateTimeOffset.MinValue;
        var lastClose = DateTimeOffset.MinValue;
        void CloseWindows()
        {
            // Close what has ended; publish what ended within the last day (earlier windows were published before a restart).
            lastClose = _time.GetUtcNow();
            foreach (var k in kpis.Close(lastClose - Lateness).Where(k => k.Until > started - TimeSpan.FromDays(1)))
            {
                var key = $"{k.Scope}:{k.Id}:{k.Window}:{k.From.ToUnixTimeMilliseconds()}";
                producer.Produce(Topics.Kpis, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = JsonSerializer.SerializeToUtf8Bytes(k, ContractJson.Default.AlarmKpis) });
                Published++;
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (assigned.Count == 0 && _time.GetUtcNow() >= nextLookup)
                {
                    Assignments.AssignNew(consumer, t => t == Topics.Warnings, assigned, tp => Assignments.Since(consumer, tp, started - Lookback));
                    nextLookup = _time.GetUtcNow().AddSeconds(5);
                }

                var result = assigned.Count == 0 ? null : consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message?.Value is { } value)
                {
                    Read++;
                    Observe(kpis, value);
                    // Caught up when the messages are recent: windows close while warnings keep coming (a flood).
                    if (result.Message.Timestamp.UtcDateTime >= _time.GetUtcNow().UtcDateTime - Lateness && _time.GetUtcNow() - lastClose >= TimeSpan.FromSeconds(1))
                    {
                        CloseWindows();
                    }

                    continue;
                }

                CloseWindows(); // nothing more to read for now: caught up
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

    private void Observe(AlarmKpiCalculator kpis, byte[] value)
    {
        try
        {
            if (JsonSerializer.Deserialize(value, ContractJson.Default.WarningEvent) is { } e)
            {
                kpis.Observe(e);
            }
        }
        catch (JsonException e)
        {
            // The pipeline writes this topic; a message that is not a warning event is someone else's mistake, counted out.
            log.LogWarning("KPIs: a message on {Topic} is not a warning event: {Reason}", Topics.Warnings, e.Message);
        }
    }
}
