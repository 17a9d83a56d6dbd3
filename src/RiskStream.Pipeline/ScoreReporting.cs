using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Pipeline;

/// <summary>Which scores go to riskstream.scores: every one, or by exception (the process-historian convention).</summary>
public enum ScorePublishing
{
    /// <summary>Every scored reading's score is published.</summary>
    Every,

    /// <summary>A sensor's score is published when it differs enough from the last one published for it (<see cref="ScoreReporting"/>).</summary>
    Exception,
}

/// <summary>Options of report by exception (<c>RiskStream:Pipeline:Score*</c>).</summary>
public sealed record ScoreReportingOptions
{
    public ScorePublishing Mode { get; init; } = ScorePublishing.Every;

    /// <summary>A risk that moved by more than this from the last published one is published.</summary>
    public double RiskDeadband { get; init; } = 0.05;

    /// <summary>A value that moved by more than this share of the sensor's alarm setpoint (else of its baseline, else of 1) is published.</summary>
    public double ValueDeadband { get; init; } = 0.02;

    /// <summary>At least one published score of a reporting sensor in each interval of this length (hour-aligned, as data quality counts periods); zero: its reporting period.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.Zero;
}

/// <summary>
/// Report by exception: decides, reading by reading, whether a sensor's score is published. Every reading is still
/// scored and still feeds the scenario engine; only the score message is withheld. Always published: a score in
/// alarm, an anomalous one, a late one, one whose alarm level or anomaly flag differs from the last published (the
/// return to normal), the sensor's first, one whose risk or value left the deadband, and the first of each of the
/// sensor's reporting periods as data quality counts them (<see cref="ReportingPeriods"/>; or of each
/// <see cref="ScoreReportingOptions.MaxInterval"/>), and one older than the last published. So every period with a
/// reading keeps a score and the best flag its readings earned: the data-quality and alarm KPIs, which read
/// riskstream.scores, count the same as when every score is published. Warnings are never withheld (another topic).
/// </summary>
/// <remarks>
/// Memory per registry sensor (41 bytes: its value band and interval, the last published risk, value, time, flags and
/// the assignment it was published under), shared by the lanes: a sensor's readings are handled by one lane only
/// (lanes are chosen by site), so no slot is written by two threads. After every assignment each sensor's first
/// reading is published: the new owner knows nothing of what was published before, and a partition that comes back
/// to a process that held it before may have been published by another meanwhile.
/// </remarks>
public sealed class ScoreReporting
{
    private const byte Published = 0x80;
    private const byte AnomalousFlag = 0x40;
    private const byte LevelMask = 0x03;

    private readonly ScoreReportingOptions _options;
    private readonly double[] _valueBand;
    private readonly TimeSpan[] _interval;
    private readonly float[] _risk;
    private readonly float[] _value;
    private readonly long[] _tsMs;
    private readonly byte[] _flags;
    private readonly long[] _generation;

    public ScoreReporting(ParkRegistry registry, ScoreReportingOptions options)
    {
        _options = options;
        var n = registry.SensorCount;
        _valueBand = new double[n];
        _interval = new TimeSpan[n];
        foreach (var sensor in registry.SiteList.SelectMany(s => s.Sensors))
        {
            _valueBand[sensor.Index] = options.ValueDeadband * Scale(sensor);
            var period = sensor.ReportingPeriod;
            _interval[sensor.Index] = options.MaxInterval > TimeSpan.Zero && options.MaxInterval < period ? options.MaxInterval : period;
        }

        _risk = new float[n];
        _value = new float[n];
        _tsMs = new long[n];
        _flags = new byte[n];
        _generation = new long[n];
    }

    /// <summary>What a value deadband is a share of: the sensor's first alarm setpoint (first high, else first low, else a second one), else its baseline, else 1.</summary>
    internal static double Scale(SensorDef sensor)
    {
        var s = sensor.Setpoints;
        var setpoint = s.FirstHigh ?? s.FirstLow ?? s.SecondHigh ?? s.SecondLow;
        var scale = Math.Abs(setpoint ?? sensor.Baseline ?? 1);
        return scale > 0 ? scale : 1;
    }

    /// <summary>
    /// Whether this reading's score is published (nothing is remembered until <see cref="Remember"/>);
    /// <paramref name="generation"/> is the consumer assignment the reading came under (<c>ConsumedBatch.Generation</c>).
    /// </summary>
    public bool ShouldPublish(SensorDef sensor, double value, long tsMs, AlarmLevel alarm, double risk, bool anomalous, bool late, long generation = 0)
    {
        var i = sensor.Index;
        var interval = _interval[i];
        return alarm != AlarmLevel.None || anomalous || late
            || _generation[i] != generation // the first under this assignment
            || _flags[i] != Flags(alarm, anomalous)
            || tsMs < _tsMs[i] // older than the last published: out of order, published and not remembered
            || Math.Abs(risk - _risk[i]) > _options.RiskDeadband
            || Math.Abs(value - _value[i]) > _valueBand[i]
            || ReportingPeriods.Of(tsMs, interval) != ReportingPeriods.Of(_tsMs[i], interval);
    }

    /// <summary>The score published for the sensor, once its reading's processing is complete (a failed one is not remembered).</summary>
    public void Remember(SensorDef sensor, double value, long tsMs, AlarmLevel alarm, double risk, bool anomalous, long generation = 0)
    {
        var i = sensor.Index;
        if (_flags[i] != 0 && tsMs < _tsMs[i])
        {
            // An older reading than the last published: the KPIs order scores by time and skip it as a sensor's
            // state, so it must not become what the next readings are compared with either (whatever the
            // assignment: its generation is not taken either, so the next in-order reading is still the first).
            return;
        }

        _flags[i] = Flags(alarm, anomalous);
        _risk[i] = (float)risk;
        _value[i] = (float)value;
        _tsMs[i] = tsMs;
        _generation[i] = generation;
    }

    private static byte Flags(AlarmLevel alarm, bool anomalous) => (byte)(Published | (anomalous ? AnomalousFlag : 0) | ((int)alarm & LevelMask));
}
