using System.Runtime.CompilerServices;

namespace RiskStream.Scenarios.Engine.State;

/// <summary>
/// A sensor's intact rate (HJ 212-2017's 完好率, as the KPI job counts it): the share of its expected reporting
/// periods over the last hour that brought a valid, non-faulty reading. Kept in twelve five-minute buckets, each the
/// share of its periods that did (to 1/255), so that it is a value the engine's transaction copies: a reading that
/// fails puts it back as it was. A bucket no reading came in counts nothing; a reading dead-lettered never gets here,
/// one the anomaly model flags is not intact. Judged only once a whole hour of buckets has passed since the sensor's
/// first reading: until then the rate is 1 (no evidence against the sensor).
/// </summary>
internal struct IntactRing
{
    public const int Buckets = 12;
    public const long BucketMs = 5 * 60_000;

    private Shares _shares;
    private long _bucket;   // index of the open bucket: event time / BucketMs
    private int _count;     // intact readings in the open bucket
    private int _complete;  // closed buckets since the first reading, up to Buckets
    private bool _started;
    private double _rate;

    /// <summary>The share over the last twelve closed buckets, or 1 before there are twelve.</summary>
    public readonly double Rate => _complete < Buckets ? 1 : _rate;

    /// <summary>The ring after a reading at <paramref name="tsMs"/> (in event-time order).</summary>
    public IntactRing Next(long tsMs, bool intact, TimeSpan period)
    {
        var next = this;
        var bucket = tsMs / BucketMs;
        if (!_started)
        {
            next._started = true;
            next._bucket = bucket;
        }
        else if (bucket > _bucket)
        {
            // Close the open bucket, and those no reading came in (zero), then judge the last hour's.
            var expected = Math.Max(1, BucketMs / Math.Max(1, (long)period.TotalMilliseconds));
            for (var b = Math.Max(_bucket, bucket - Buckets); b < bucket; b++)
            {
                next._shares[(int)(((b % Buckets) + Buckets) % Buckets)] = b == _bucket ? (byte)Math.Round(255.0 * Math.Min(_count, expected) / expected) : (byte)0;
            }

            next._bucket = bucket;
            next._count = 0;
            next._complete = (int)Math.Min(Buckets, _complete + (bucket - _bucket));
            next._rate = next.Sum() / (255.0 * Buckets);
        }
        else if (bucket < _bucket)
        {
            return next; // late within the sensor's order (cannot happen in order; kept safe)
        }

        next._count += intact ? 1 : 0;
        return next;
    }

    private readonly int Sum()
    {
        var sum = 0;
        for (var i = 0; i < Buckets; i++)
        {
            sum += _shares[i];
        }

        return sum;
    }

    [InlineArray(Buckets)]
    private struct Shares
    {
        private byte _first;
    }
}
