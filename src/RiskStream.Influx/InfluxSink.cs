using System.Text;
using Akka.Streams;
using Confluent.Kafka;
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
/// <remarks>
/// Nothing is dropped silently. Unreachable, 5xx, 401, 403, 404: the same write is retried until it is taken and
/// nothing after it is committed (the points wait in Kafka as lag; <see cref="InfluxSinkStatus"/> makes the sink
/// not ready; a refusal an operator must cure is logged once a minute with what to fix). 413: the write is split in
/// halves until InfluxDB takes the parts. 400: split down to the one message InfluxDB refuses, which goes to
/// <c>riskstream.deadletter</c> (reason <c>processing_error</c>, stage <c>influx-write</c>, InfluxDB's answer as
/// the detail) before its offset is committed; the other points of the write are written (rewriting a point InfluxDB
/// already took from a partial write overwrites it with itself).
/// </remarks>
public static class InfluxSink
{
    /// <summary>The stage named in the dead letter of a point InfluxDB refuses.</summary>
    public const string WriteStage = "influx-write";

    /// <summary>One message's line(s), kept apart so a refused write can be split down to the message at fault.</summary>
    private sealed record Point(string Topic, ConsumeResult<byte[]?, byte[]?> Message, string Lines);

    private sealed record Chunk(ConsumedBatch Batch, Point[] Points);

    /// <param name="refused">
    /// Takes the dead letter of a message InfluxDB refuses for its content; it completes once the letter is on the
    /// broker (the message's offset is committed after it). Without it such a message is logged and counted only.
    /// </param>
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
        Func<RefusedPoint, CancellationToken, Task>? refused = null,
        CancellationToken stop = default)
    {
        time ??= TimeProvider.System;
        var downsample = new Dictionary<string, long>(StringComparer.Ordinal);
        var throttle = new LogThrottle(time, TimeSpan.FromSeconds(30));
        var input = new SinkInput(registry, time, metrics, throttle, log);
        var context = new WriteContext(options, metrics, throttle, new LogThrottle(time, TimeSpan.FromMinutes(1)), log, time, status ?? new InfluxSinkStatus(), refused);
        var (control, done) = KafkaSource.Committable(consumer, options.Topics, kafkaMetrics, log, time)
            .Select(batch => ToChunk(batch, options, downsample, input))
            .GroupedWithin(options.MaxBatchesPerWrite, options.FlushInterval)
            .SelectAsync(1, async group =>
            {
                var chunks = group.ToList();
                var points = chunks.SelectMany(c => c.Points).ToArray();
                if (points.Length > 0)
                {
                    await WriteAsync(writer, points, context, stop).ConfigureAwait(false);
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
        var lines = new StringBuilder(256);
        var points = new List<Point>(batch.Messages.Count);
        var intervalMs = (long)options.Downsample.TotalMilliseconds;
        foreach (var m in batch.Messages)
        {
            lines.Clear();
            if (!input.TryAppend(lines, batch.Topic, m))
            {
                continue;
            }

            if (intervalMs > 0 && batch.Topic == Topics.Readings && !KeepPoint(lines, 0, downsample, intervalMs))
            {
                input.Metrics.Skipped.WithLabels("downsampled").Inc();
                continue;
            }

            points.Add(new Point(batch.Topic, m, lines.ToString()));
        }

        return new Chunk(batch, [.. points]);
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

    private sealed record WriteContext(InfluxSinkOptions Options, InfluxMetrics Metrics, LogThrottle Throttle, LogThrottle OperatorThrottle, ILogger Log, TimeProvider Time, InfluxSinkStatus Status, Func<RefusedPoint, CancellationToken, Task>? Refused);

    /// <summary>Writes the points, splitting the write where InfluxDB refuses its size or a point in it.</summary>
    private static async Task WriteAsync(IInfluxWriter writer, ArraySegment<Point> points, WriteContext c, CancellationToken stop)
    {
        try
        {
            await WriteWithRetryAsync(writer, points, c, stop).ConfigureAwait(false);
        }
        catch (InfluxWriteException e) when (e.Kind is InfluxRefusal.TooLarge or InfluxRefusal.Content)
        {
            if (points.Count == 1)
            {
                await RefuseAsync(points[0], e, c, stop).ConfigureAwait(false);
                return;
            }

            c.Metrics.Errors.WithLabels(e.Kind == InfluxRefusal.TooLarge ? "split_too_large" : "split_refused").Inc();
            var half = points.Count / 2;
            await WriteAsync(writer, points[..half], c, stop).ConfigureAwait(false);
            await WriteAsync(writer, points[half..], c, stop).ConfigureAwait(false);
        }
    }

    private static async Task RefuseAsync(Point point, InfluxWriteException e, WriteContext c, CancellationToken stop)
    {
        c.Metrics.Errors.WithLabels("refused").Inc();
        c.Metrics.Skipped.WithLabels("refused_by_influxdb").Inc();
        var where = $"{point.Topic}[{point.Message.Partition.Value}]@{point.Message.Offset.Value}";
        if (c.Throttle.ShouldLog("refused", out var held))
        {
            c.Log.LogError("InfluxDB refuses the point of {Message}{Fate}: {Reason}{Held}", where, c.Refused is null ? " (skipped)" : " (dead-lettered)", e.Message, LogThrottle.Held(held));
        }

        if (c.Refused is not null)
        {
            await c.Refused(new RefusedPoint(point.Topic, point.Message, e), stop).ConfigureAwait(false);
        }
    }

    private static async Task WriteWithRetryAsync(IInfluxWriter writer, ArraySegment<Point> points, WriteContext c, CancellationToken stop)
    {
        var started = c.Time.GetTimestamp();
        var body = points.Count == 1 ? points[0].Lines : string.Concat(points.Select(p => p.Lines));
        var backoff = new RestartBackoff(c.Options.RetryMinBackoff, c.Options.RetryMaxBackoff, TimeSpan.MaxValue, c.Time);
        var retries = Retries.Forever(backoff, c.Time, e => e is not InfluxWriteException { Retryable: true }, (e, delay) =>
        {
            var refusal = ((InfluxWriteException)e).Kind;
            c.Metrics.Errors.WithLabels(refusal == InfluxRefusal.Transient ? "retried" : "retried_refusal").Inc();
            c.Status.Failed(e.Message, c.Time);
            if (refusal != InfluxRefusal.Transient)
            {
                // An operator must act: say so once a minute, at error level, with what to fix.
                if (c.OperatorThrottle.ShouldLog("refusal", out var refusals))
                {
                    var fix = refusal == InfluxRefusal.NotFound ? "create the database (or bucket) it names" : "check RiskStream:Influx:User and the password or token, and the user's write permission";
                    c.Log.LogError("InfluxDB refuses the sink's writes: {Reason}; {Fix}. Nothing is committed meanwhile: {Points} points and everything after them wait in Kafka{Held}", e.Message, fix, points.Count, refusals > 0 ? $" ({refusals} more refusals since the last report)" : "");
                }
            }
            else if (c.Throttle.ShouldLog("retry", out var held))
            {
                c.Log.LogWarning("InfluxDB write of {Points} points failed, retrying in {Backoff:F1} s: {Reason}{Held}", points.Count, delay.TotalSeconds, e.Message, LogThrottle.Held(held));
            }
        });
        await retries.ExecuteAsync(async ct => await writer.WriteAsync(body, ct).ConfigureAwait(false), stop).ConfigureAwait(false);
        c.Status.Succeeded();
        c.Metrics.Points.Inc(points.Count);
        c.Metrics.Batches.Inc();
        c.Metrics.WriteSeconds.Observe(c.Time.GetElapsedTime(started).TotalSeconds);
    }
}

/// <summary>A message whose point InfluxDB refuses for its content, with InfluxDB's answer.</summary>
public sealed record RefusedPoint(string Topic, ConsumeResult<byte[]?, byte[]?> Message, InfluxWriteException Error);
