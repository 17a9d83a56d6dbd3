using RiskStream.Core.Contracts;

namespace RiskStream.Sensors.Windows;

/// <summary>
/// Sliding event-time window of one sensor, kept as a ring of panes with running sums: O(panes) memory whatever the
/// reading rate, and no allocation per reading. A reading older than the sensor's newest by more than the allowed
/// lateness is late: it is scored on its own and does not change the window.
/// </summary>
/// <remarks>Not thread-safe: a window belongs to one lane.</remarks>
public sealed class SensorWindow
{
    private readonly Pane[] _panes;
    private readonly long _paneMs;
    private readonly long _latenessMs;
    private long _newestMs = long.MinValue;

    public SensorWindow(WindowOptions options)
    {
        _panes = new Pane[options.Panes];
        _paneMs = Math.Max(1, (long)options.Length.TotalMilliseconds / options.Panes);
        _latenessMs = (long)options.AllowedLateness.TotalMilliseconds;
    }

    /// <summary>Event time of the newest reading (Unix ms), or <see cref="long.MinValue"/> before the first.</summary>
    public long NewestMs => _newestMs;

    public double LastValue { get; private set; } = double.NaN;

    /// <summary>Adds a reading; returns false (and leaves the window unchanged) when it is late.</summary>
    public bool Add(long tsMs, double value, bool aboveFirstLevel)
    {
        if (_newestMs != long.MinValue && tsMs < _newestMs - _latenessMs)
        {
            return false;
        }

        var paneStart = tsMs - Mod(tsMs, _paneMs);
        var oldestLive = Math.Max(_newestMs, tsMs) - (_paneMs * _panes.Length);
        if (paneStart <= oldestLive)
        {
            return false;
        }

        ref var pane = ref _panes[(int)(Mod(paneStart / _paneMs, _panes.Length))];
        if (pane.Start != paneStart || pane.Count == 0)
        {
            pane = default;
            pane.Start = paneStart;
            pane.Min = double.PositiveInfinity;
            pane.Max = double.NegativeInfinity;
        }

        var t = (tsMs - paneStart) / 1000.0;
        pane.Count++;
        pane.Sum += value;
        pane.SumSq += value * value;
        pane.SumT += t;
        pane.SumTT += t * t;
        pane.SumTV += t * value;
        pane.Min = Math.Min(pane.Min, value);
        pane.Max = Math.Max(pane.Max, value);
        if (aboveFirstLevel)
        {
            pane.AboveCount++;
        }

        if (tsMs >= _newestMs)
        {
            _newestMs = tsMs;
            LastValue = value;
        }

        return true;
    }

    /// <summary>Aggregates over the panes that are still inside the window.</summary>
    public WindowStats Stats()
    {
        if (_newestMs == long.MinValue)
        {
            return default;
        }

        var reference = _newestMs - Mod(_newestMs, _paneMs);
        var oldest = _newestMs - (_paneMs * _panes.Length);
        double n = 0, sum = 0, sumSq = 0, sumT = 0, sumTT = 0, sumTV = 0, above = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (ref readonly var p in _panes.AsSpan())
        {
            if (p.Count == 0 || p.Start <= oldest)
            {
                continue;
            }

            // Shift the pane's local times (s since its start) onto a common origin: the newest pane's start.
            var off = (p.Start - reference) / 1000.0;
            n += p.Count;
            sum += p.Sum;
            sumSq += p.SumSq;
            sumT += (p.Count * off) + p.SumT;
            sumTT += (p.Count * off * off) + (2 * off * p.SumT) + p.SumTT;
            sumTV += (off * p.Sum) + p.SumTV;
            min = Math.Min(min, p.Min);
            max = Math.Max(max, p.Max);
            above += p.AboveCount;
        }

        if (n == 0)
        {
            return default;
        }

        var mean = sum / n;
        var variance = Math.Max(0, (sumSq / n) - (mean * mean));
        var denominator = (n * sumTT) - (sumT * sumT);
        var slopePerSecond = n >= 2 && denominator > 1e-9 ? ((n * sumTV) - (sumT * sum)) / denominator : 0;
        return new WindowStats((int)n, mean, Math.Sqrt(variance), min, max, slopePerSecond * 60, above / n);
    }

    private static long Mod(long a, long m)
    {
        var r = a % m;
        return r < 0 ? r + m : r;
    }

    private struct Pane
    {
        public long Start;
        public int Count;
        public int AboveCount;
        public double Sum;
        public double SumSq;
        public double SumT;
        public double SumTT;
        public double SumTV;
        public double Min;
        public double Max;
    }
}
