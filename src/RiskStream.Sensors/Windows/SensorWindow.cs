using RiskStream.Core.Contracts;

namespace RiskStream.Sensors.Windows;

/// <summary>
/// Sliding event-time window of one sensor, kept as a ring of panes with running sums: O(panes) memory whatever the
/// reading rate, and no allocation per reading. A reading older than the sensor's newest by more than the allowed
/// lateness is late: it is scored on its own and does not change the window.
/// </summary>
/// <remarks>
/// Not thread-safe: a window belongs to one lane. Memory matters (one window per sensor, 100,000 sensors and more): a
/// pane does not store its start, which follows from its slot and the newest reading (the slots of panes skipped
/// when the newest moves on are cleared), and the window's shape is shared by the windows built from one
/// <see cref="WindowShape"/>.
/// </remarks>
public sealed class SensorWindow
{
    private readonly Pane[] _panes;
    private readonly WindowShape _shape;
    private long _newestMs = long.MinValue;

    public SensorWindow(WindowOptions options)
        : this(new WindowShape(options))
    {
    }

    public SensorWindow(WindowShape shape)
    {
        _shape = shape;
        _panes = new Pane[shape.Panes];
    }

    /// <summary>The sensor's level and slope features at its newest reading, kept for its site's other sensors' features.</summary>
    public float Level { get; set; }

    /// <inheritdoc cref="Level"/>
    public float Slope { get; set; }

    /// <summary>Event time of the newest reading (Unix ms), or <see cref="long.MinValue"/> before the first.</summary>
    public long NewestMs => _newestMs;

    public double LastValue { get; private set; } = double.NaN;

    /// <summary>Adds a reading; returns false (and leaves the window unchanged) when it is late.</summary>
    public bool Add(long tsMs, double value, bool aboveFirstLevel)
    {
        var paneMs = _shape.PaneMs;
        if (_newestMs != long.MinValue && tsMs < _newestMs - _shape.LatenessMs)
        {
            return false;
        }

        var paneStart = tsMs - Mod(tsMs, paneMs);
        var oldestLive = Math.Max(_newestMs, tsMs) - (paneMs * _panes.Length);
        if (paneStart <= oldestLive)
        {
            return false;
        }

        var paneNo = paneStart / paneMs;
        if (_newestMs != long.MinValue)
        {
            // The newest moves into a later pane: the slots of the panes it passes (its own among them) held panes
            // a whole window older, which are out of the window now.
            var newestNo = PaneNo(_newestMs);
            for (var no = newestNo + 1; no <= paneNo && no <= newestNo + _panes.Length; no++)
            {
                _panes[(int)Mod(no, _panes.Length)] = default;
            }
        }

        ref var pane = ref _panes[(int)Mod(paneNo, _panes.Length)];
        if (pane.Count == 0)
        {
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

        var paneMs = _shape.PaneMs;
        var newestNo = PaneNo(_newestMs);
        var panes = _panes.Length;
        double n = 0, sum = 0, sumSq = 0, sumT = 0, sumTT = 0, sumTV = 0, above = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (var k = 0; k < panes; k++)
        {
            ref readonly var p = ref _panes[k];
            if (p.Count == 0)
            {
                continue;
            }

            // Shift the pane's local times (s since its start) onto a common origin: the newest pane's start. The
            // slot holds the pane that many panes before the newest (every other one was cleared as the newest moved).
            var off = -(Mod(newestNo - k, panes) * paneMs) / 1000.0;
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

    private long PaneNo(long tsMs) => (tsMs - Mod(tsMs, _shape.PaneMs)) / _shape.PaneMs;

    private static long Mod(long a, long m)
    {
        var r = a % m;
        return r < 0 ? r + m : r;
    }

    private struct Pane
    {
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

/// <summary>The shape of sensor windows (pane length, panes, allowed lateness): one per lane, shared by its windows.</summary>
public sealed class WindowShape
{
    public WindowShape(WindowOptions options)
    {
        Panes = options.Panes;
        PaneMs = Math.Max(1, (long)options.Length.TotalMilliseconds / options.Panes);
        LatenessMs = (long)options.AllowedLateness.TotalMilliseconds;
    }

    public int Panes { get; }

    public long PaneMs { get; }

    public long LatenessMs { get; }
}
