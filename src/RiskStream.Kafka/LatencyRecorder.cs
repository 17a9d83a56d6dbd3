namespace RiskStream.Kafka;

/// <summary>
/// Lock-free histogram of end-to-end latencies (input append → output acknowledged) with 0.1 ms buckets up to
/// 10 s; quantiles are exact to the bucket. Records from any thread.
/// </summary>
public sealed class LatencyRecorder
{
    private const int BucketsPerMs = 10;
    private const int MaxMs = 10_000;
    private readonly long[] _buckets = new long[(MaxMs * BucketsPerMs) + 1];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Record(double milliseconds)
    {
        var bucket = (int)Math.Clamp(Math.Round(milliseconds * BucketsPerMs), 0, _buckets.Length - 1);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The latency below which <paramref name="quantile"/> of the recorded values fall, in ms.</summary>
    public double Quantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= Math.Max(rank, 1))
            {
                return (double)i / BucketsPerMs;
            }
        }

        return MaxMs;
    }

    /// <summary>
    /// The latencies recorded since <paramref name="mark"/> (the bucket counts then, moved on to now in place): the
    /// quantiles of one slice of a run, for a timeline of it, with no allocation after the first call.
    /// </summary>
    public (double P50, double P99, double Max) Since(ref long[]? mark)
    {
        mark ??= new long[_buckets.Length];
        long total = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            total += Interlocked.Read(ref _buckets[i]) - mark[i];
        }

        double p50 = double.NaN, p99 = double.NaN, max = double.NaN;
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            var now = Interlocked.Read(ref _buckets[i]);
            var n = now - mark[i];
            mark[i] = now;
            if (n <= 0 || total <= 0)
            {
                continue;
            }

            // Values recorded between the two passes may push seen past total: the last slice takes them.
            seen += n;
            max = (double)i / BucketsPerMs;
            if (double.IsNaN(p50) && seen >= Math.Ceiling(total * 0.5))
            {
                p50 = max;
            }

            if (double.IsNaN(p99) && seen >= Math.Ceiling(total * 0.99))
            {
                p99 = max;
            }
        }

        return (p50, p99, max);
    }

    public void Reset()
    {
        Array.Clear(_buckets);
        Interlocked.Exchange(ref _count, 0);
    }
}
