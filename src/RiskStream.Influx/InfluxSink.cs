using System.Text;
using Akka.Streams;
using RiskStream.Core.Resilience;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Influx;

/// <summary>
/// The InfluxDB sink: committable source over readings, scores and warnings (its own group) → line protocol →
/// grouped writes, retried with back-off while InfluxDB is away (the source then stops and pauses: lag, not loss) →
/// offsets committed only after InfluxDB accepted the write. A message it cannot write is skipped, counted by reason
/// and reported (throttled), never a failure of the stream: with a registry, readings pass the pipeline's own
/// decoder and every other point must name a registered site, so what InfluxDB holds is what the pipeline accepted
/// and a client inventing site ids cannot grow its series without bound.
/// </summary>
public static class InfluxSink
{
    private sealed record Chunk(ConsumedBatch Batch, string Lines, int Points);

    public static (IConsumerControl Control, Task Completion) Start(
        ConsumerSettings consumer,
        InfluxSinkOptions options,
        IInfluxWriter writer,
        InfluxMetrics metrics,
        KafkaMetrics kafkaMetrics,
        ILogger log,
        IMaterializer materializer,
        TimeProvider? time = null,
        ParkRegistry? registry = null,
        InfluxSinkStatus? status = null,
        CancellationToken stop = default)
    {
        time ??= TimeProvider.System;
        var downsample = new Dictionary<string, long>(StringComparer.Ordinal);
        var throttle = new LogThrottle(time, TimeSpan.FromSeconds(30));
        var input = new SinkInput(registry, time, metrics, throttle, log);
        var (control, done) = KafkaSource.Committable(consumer, options.Topics, kafkaMetrics, log, time)
            .Select(batch => ToChunk(batch, options, downsample, input))
            .GroupedWithin(options.MaxBatchesPerWrite, options.FlushInterval)
            .SelectAsync(1, async group =>
            {
                var chunks = group.ToList();
                var body = string.Concat(chunks.Select(c => c.Lines));
                var points = chunks.Sum(c => c.Points);
                if (points > 0)
                {
                    await WriteWithRetryAsync(writer, body, points, new WriteContext(options, metrics, throttle, log, time, status ?? new InfluxSinkStatus()), stop).ConfigureAwait(false);
                }

                return chunks;
            })
            .SelectMany(chunks => chunks.Select(c => c.Batch))
            .ToMaterialized(Committer.Sink(), Akka.Streams.Dsl.Keep.Both)
            .Run(materializer);
        return (control, done);
    }

    private static Chunk ToChunk(ConsumedBatch batch, InfluxSinkOptions options, Dictionary<string, long> downsample, SinkInput input)
    {
        var lines = new StringBuilder(batch.Messages.Count * 120);
        var points = 0;
        var intervalMs = (long)options.Downsample.TotalMilliseconds;
        foreach (var m in batch.Messages)
        {
            var mark = lines.Length;
            if (!input.TryAppend(lines, batch.Topic, m))
            {
                continue;
            }

            if (intervalMs > 0 && batch.Topic == Topics.Readings && !KeepPoint(lines, mark, downsample, intervalMs))
            {
                lines.Length = mark;
                input.Metrics.Skipped.WithLabels("downsampled").Inc();
                continue;
            }

            points++;
        }

        return new Chunk(batch, lines.ToString(), points);
    }

    /// <summary>Downsampling: the line's series (everything before the first space) keeps one point per interval.</summary>
    private static bool KeepPoint(StringBuilder lines, int mark, Dictionary<string, long> last, long intervalMs)
    {
        var line = lines.ToString(mark, lines.Length - mark);
        var series = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        var ts = long.Parse(line.AsSpan(line.LastIndexOf(' ') + 1).TrimEnd('\n'), System.Globalization.CultureInfo.InvariantCulture);
        var bucket = ts - (ts % intervalMs);
        if (last.TryGetValue(series, out var previous) && previous == bucket)
        {
            return false;
        }

        last[series] = bucket;
        return true;
    }

    private sealed record WriteContext(InfluxSinkOptions Options, InfluxMetrics Metrics, LogThrottle Throttle, ILogger Log, TimeProvider Time, InfluxSinkStatus Status);

    private static async Task WriteWithRetryAsync(IInfluxWriter writer, string body, int points, WriteContext c, CancellationToken stop)
    {
        var started = c.Time.GetTimestamp();
        var backoff = new RestartBackoff(c.Options.RetryMinBackoff, c.Options.RetryMaxBackoff, TimeSpan.MaxValue, c.Time);
        var retries = Retries.Forever(backoff, c.Time, e => e is not InfluxWriteException { Retryable: true }, (e, delay) =>
        {
            c.Metrics.Errors.WithLabels("retried").Inc();
            c.Status.Failed(e.Message, c.Time);
            if (c.Throttle.ShouldLog("retry", out var held))
            {
                c.Log.LogWarning("InfluxDB write of {Points} points failed, retrying in {Backoff:F1} s: {Reason}{Held}", points, delay.TotalSeconds, e.Message, held > 0 ? $" ({held} more since the last report)" : "");
            }
        });
        try
        {
            await retries.ExecuteAsync(async ct => await writer.WriteAsync(body, ct).ConfigureAwait(false), stop).ConfigureAwait(false);
            c.Status.Succeeded();
            c.Metrics.Points.Inc(points);
            c.Metrics.Batches.Inc();
            c.Metrics.WriteSeconds.Observe(c.Time.GetElapsedTime(started).TotalSeconds);
        }
        catch (InfluxWriteException e) when (!e.Retryable)
        {
            // A refusal that repeating cannot cure (a malformed point): InfluxDB keeps the points it could parse.
            c.Metrics.Errors.WithLabels("refused").Inc();
            c.Log.LogError("InfluxDB refused a write of {Points} points; not retried: {Reason}", points, e.Message);
        }
    }
}
