using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Features;

/// <summary>
/// Per-sensor windows and the site context the features need, updated one reading at a time: the lane scores with it
/// and <c>riskstream dataset</c> builds training rows with it, so both see exactly the same features.
/// </summary>
/// <remarks>Not thread-safe: one instance per lane (or per dataset run). Memory: one window per sensor that has reported, and a reference per registry sensor.</remarks>
public sealed class SensorFeatures(ParkRegistry registry, WindowOptions window)
{
    private const double MaxSinceLastS = 600;
    private readonly SensorWindow?[] _windows = new SensorWindow?[registry.SensorCount];
    private readonly WindowShape _shape = new(window);
    private readonly double _windowS = window.Length.TotalSeconds;

    /// <summary>Sensors with a window so far.</summary>
    public int Active { get; private set; }

    /// <summary>The sensor's window, if it has one.</summary>
    public SensorWindow? WindowOf(SensorDef sensor) => _windows[sensor.Index];

    /// <summary>
    /// Adds a reading to its sensor's window and writes its features into <paramref name="features"/>
    /// (<see cref="FeatureSchema.Count"/> values). Returns the window's aggregates and whether the reading entered the
    /// window (false when late: its features then describe it against the window as it stands).
    /// </summary>
    public (WindowStats Stats, bool InWindow) Observe(SensorDef sensor, double value, long tsMs, AlarmLevel alarm, Span<float> features)
    {
        var w = _windows[sensor.Index];
        if (w is null)
        {
            _windows[sensor.Index] = w = new SensorWindow(_shape);
            Active++;
        }

        var previousMs = w.NewestMs;
        var previous = w.LastValue;
        var inWindow = w.Add(tsMs, value, alarm >= AlarmLevel.First);
        var stats = w.Stats();
        Extract(sensor, value, tsMs, previous, previousMs, stats, features);
        w.Level = Math.Clamp(features[1], 0, 10);
        w.Slope = features[6];
        return (stats, inWindow);
    }

    /// <summary>The features of a reading given its window and its sensor's previous reading (the definition itself).</summary>
    public void Extract(SensorDef sensor, double value, long tsMs, double previous, long previousMs, in WindowStats stats, Span<float> f)
    {
        var (normal, span) = Scale(sensor);
        var sinceLast = previousMs == long.MinValue ? 0 : Math.Clamp((tsMs - previousMs) / 1000.0, 0, MaxSinceLastS);
        f[0] = (float)sensor.Setpoints.LevelOf(value);
        f[1] = (float)((value - normal) / span);
        f[2] = stats.Count == 0 ? f[1] : (float)((stats.Mean - normal) / span);
        f[3] = stats.Count == 0 ? 0 : (float)(stats.StdDev / Math.Abs(span));
        f[4] = stats.Count == 0 ? f[1] : (float)((stats.Min - normal) / span);
        f[5] = stats.Count == 0 ? f[1] : (float)((stats.Max - normal) / span);
        if (span < 0)
        {
            // Falling oxygen is rising risk: min and max swap when the span points down.
            (f[4], f[5]) = (f[5], f[4]);
        }

        f[6] = (float)(stats.SlopePerMin / span);
        f[7] = sinceLast > 0 && double.IsFinite(previous) ? (float)((value - previous) / span / sinceLast) : 0;
        f[8] = (float)(stats.FractionAboveFirst * _windowS);
        f[9] = (float)sinceLast;
        f[10] = stats.Count;

        var others = 0;
        var rising = 0;
        var worst = 0f;
        foreach (var other in sensor.Site.Sensors)
        {
            if (other == sensor || _windows[other.Index] is not { } theirs)
            {
                continue;
            }

            others++;
            rising += theirs.Slope > 0.5f ? 1 : 0;
            worst = Math.Max(worst, theirs.Level);
        }

        f[11] = others == 0 ? 0 : (float)rising / others;
        f[12] = worst;
        f[13] = f[1] - f[4];
    }

    /// <summary>
    /// The sensor's normal value (its configured baseline, else its kind's typical value) and span: to the first-level
    /// high setpoint, or down to the first-level low one (a negative span), or a fifth of the normal value.
    /// </summary>
    public static (double Normal, double Span) Scale(SensorDef sensor)
    {
        var normal = sensor.Baseline ?? TypicalValue(sensor.Kind);
        var s = sensor.Setpoints;
        if (s.FirstHigh is { } high && high > normal)
        {
            return (normal, high - normal);
        }

        if (s.SecondHigh is { } second && second > normal)
        {
            return (normal, (second - normal) / 2);
        }

        if (s.FirstLow is { } low && low < normal)
        {
            return (normal, low - normal);
        }

        return (normal, Math.Max(1, Math.Abs(normal) * 0.2));
    }

    /// <summary>Typical value of a kind in normal operation (also the simulator's baselines).</summary>
    public static double TypicalValue(SensorKind kind) => kind switch
    {
        SensorKind.CombustibleLel => 1.5,
        SensorKind.H2S => 0.4,
        SensorKind.CO => 2.0,
        SensorKind.NH3 => 3.0,
        SensorKind.Cl2 => 0.02,
        SensorKind.O2 => 20.9,
        SensorKind.Temperature => 25,
        SensorKind.Pressure => 600,
        SensorKind.TankLevel => 55,
        _ => 0,
    };
}
