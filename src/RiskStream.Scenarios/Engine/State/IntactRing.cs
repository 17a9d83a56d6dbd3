using System.Runtime.CompilerServices;

namespace RiskStream.Scenarios.Engine.State;

/// <summary>
/// A sensor's intact rate (HJ 212-2017's 完好率, as the KPI job counts it): the share of its expected reporting
/// periods over the last hour that brought a valid, non-faulty reading. Kept in twelve five-minute buckets of intact
/// readings, so that it is a value the engine's transaction copies: a reading that fails puts it back as it was. A
/// bucket no reading came in counts nothing; a reading dead-lettered never gets here, one the anomaly model flags is
/// not intact. A bucket counts at most one reading more than its expected periods (a late reading and its successor
/// may share a bucket: jitter is not a fault). Judged once twelve whole buckets have passed since the sensor's first
/// reading (the bucket it came in counts only if it came at the bucket's start); until then, and for a sensor that
/// reports less often than every half hour, the rate is 1 (no evidence against the sensor).
/// </summary>
internal struct IntactRing
{
    public const int Buckets = 12;
    public const long BucketMs = 5 * 60_000;

    // Packed: a sensor's slot holds one (the engine keeps a slot per sensor of every site it holds).
    private Counts _counts;
    private int _bucket;     // index of the open bucket: event time / BucketMs (a 32-bit index lasts until the 2990s)
    private ushort _count;   // intact readings in the open bucket
    private byte _complete;  // whole buckets closed since the first reading, up to Buckets
    private byte _flags;     // 1: started; 2: the open bucket is the first, entered part way (not counted)

    /// <summary>The share over the last twelve closed buckets for a sensor reporting every <paramref name="period"/>, or 1 before there are twelve (and for a sensor slower than half an hour).</summary>
    public readonly double Rate(TimeSpan period)
    {
        var periodMs = Math.Max(1, (long)period.TotalMilliseconds);
        if (_complete < Buckets || periodMs > BucketMs * Buckets / 2)
        {
            return 1;
        }

        return Math.Min(1, Sum() / (Buckets * ((double)BucketMs / periodMs)));
    }

    /// <summary>The ring after a reading at <paramref name="tsMs"/> (in event-time order).</summary>
    public IntactRing Next(long tsMs, bool intact, TimeSpan period)
    {
        var next = this;
        var periodMs = Math.Max(1, (long)period.TotalMilliseconds);
        var bucket = (int)(tsMs / BucketMs);
        if ((_flags & 1) == 0)
        {
            next._bucket = bucket;
            next._flags = (byte)(1 | (tsMs - ((long)bucket * BucketMs) >= periodMs ? 2 : 0));
        }
        else if (bucket > _bucket)
        {
            // Close the open bucket, and those no reading came in (zero), then judge the last hour's.
            var expected = (double)BucketMs / periodMs;
            var cap = (int)Math.Min(ushort.MaxValue, Math.Floor(expected) + 1);
            for (var b = Math.Max(_bucket, bucket - Buckets); b < bucket; b++)
            {
                next._counts[(int)(((b % Buckets) + Buckets) % Buckets)] = b == _bucket ? (ushort)Math.Min(_count, cap) : (ushort)0;
            }

            var closed = Math.Min(Buckets, bucket - _bucket) - ((_flags & 2) != 0 ? 1 : 0);
            next._flags = 1;
            next._bucket = bucket;
            next._count = 0;
            next._complete = (byte)Math.Min(Buckets, _complete + closed);
        }
        else if (bucket < _bucket)
        {
            return next; // late within the sensor's order (cannot happen in order; kept safe)
        }

        next._count += (ushort)(intact && next._count < ushort.MaxValue ? 1 : 0);
        return next;
    }

    private readonly int Sum()
    {
        var sum = 0;
        for (var i = 0; i < Buckets; i++)
        {
            sum += _counts[i];
        }

        return sum;
    }

    [InlineArray(Buckets)]
    private struct Counts
    {
        private ushort _first;
    }
}
