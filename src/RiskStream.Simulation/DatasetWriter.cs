using System.Globalization;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Models;
using RiskStream.Sensors.Windows;

namespace RiskStream.Simulation;

/// <summary>
/// Labelled feature rows from the simulator's ground truth, as CSV (the data schema of <c>riskstream dataset</c>, also
/// for users' own data; README "Training"). One row per reading, in time order, each sensor reporting once per
/// <see cref="ParkSimulator.SensorPeriod"/>; features from <see cref="SensorFeatures"/>, exactly as the pipeline
/// computes them.
/// </summary>
/// <remarks>
/// Columns: <c>ts_ms,site,sensor,kind,value,alarm,event,event_id,hazard</c>, then the features of
/// <see cref="FeatureSchema.Names"/>. <c>alarm</c> is the national level (0, 1, 2); <c>event</c> the injected event
/// covering the reading (<c>none</c>, a hazard or a fault kind; a reading after a dropout gap is marked
/// <c>dropout</c>; a <c>~</c> after the kind marks an event that goes on past the end of the data, which event-level
/// figures leave out); <c>hazard</c> the label: 1 when a hazard shows at this sensor with at least 2 % of its peak.
/// </remarks>
public static class DatasetWriter
{
    public const string Header = "ts_ms,site,sensor,kind,value,alarm,event,event_id,hazard";

    /// <summary>Share of a hazard's peak from which a reading is labelled hazardous.</summary>
    public const double LabelFrom = 0.02;

    /// <summary>
    /// Writes <paramref name="duration"/> of the simulated park as CSV; returns the rows written. Progress every simulated
    /// 10 minutes. Event ids start at <paramref name="eventIdBase"/> (so blocks written into one file keep them apart).
    /// </summary>
    public static long Write(TextWriter output, ParkRegistry registry, SimulationOptions options, DateTimeOffset start, TimeSpan duration, WindowOptions window, Action<TimeSpan, long>? progress = null, bool header = true, int eventIdBase = 0)
    {
        if (header)
        {
            WriteHeader(output);
        }

        long rows = 0;
        var line = new System.Text.StringBuilder(256);
        foreach (var row in Rows(registry, options, start, duration, window, progress, eventIdBase))
        {
            WriteRow(output, row, line);
            rows++;
        }

        return rows;
    }

    /// <summary>The CSV header: the leading columns, then the feature names.</summary>
    public static void WriteHeader(TextWriter output) => output.Write($"{Header},{string.Join(',', FeatureSchema.Names)}\n");

    /// <summary>One row as a CSV line (<paramref name="line"/> is scratch space, reused across rows).</summary>
    public static void WriteRow(TextWriter output, DataRow row, System.Text.StringBuilder line)
    {
        line.Clear();
        line.Append(row.TsMs).Append(',').Append(row.Site).Append(',').Append(row.Sensor).Append(',').Append(row.Kind).Append(',')
            .Append(row.Value.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(row.Alarm).Append(',')
            .Append(row.Event).Append(',').Append(row.EventId).Append(',').Append(row.Hazard ? '1' : '0');
        foreach (var f in row.Features)
        {
            line.Append(',').Append(f.ToString("R", CultureInfo.InvariantCulture));
        }

        line.Append('\n');
        output.Write(line);
    }

    /// <summary>
    /// The labelled rows of <paramref name="duration"/> of the simulated park, in time order, each with its own feature
    /// array: what <see cref="Write"/> formats as CSV and a Parquet writer stores typed.
    /// </summary>
    public static IEnumerable<DataRow> Rows(ParkRegistry registry, SimulationOptions options, DateTimeOffset start, TimeSpan duration, WindowOptions window, Action<TimeSpan, long>? progress = null, int eventIdBase = 0)
    {
        var simulator = new ParkSimulator(registry, options, start);
        var features = new SensorFeatures(registry, window);
        var sensors = simulator.Sensors;
        var period = simulator.SensorPeriod;
        var missed = new InjectedEvent?[registry.SensorCount];
        long rows = 0;
        var total = (long)(duration / period * sensors.Count);
        var end = start + duration;
        var nextProgress = TimeSpan.FromMinutes(10);
        for (long i = 0; i < total; i++)
        {
            var sensor = sensors[(int)(i % sensors.Count)];
            var ts = start + (period * ((double)i / sensors.Count));
            if (progress is not null && ts - start >= nextProgress)
            {
                progress(ts - start, rows);
                nextProgress += TimeSpan.FromMinutes(10);
            }

            if (simulator.ReadingAt(sensor, ts) is not { } reading)
            {
                missed[sensor.Index] ??= simulator.TruthAt(sensor, ts);
                continue;
            }

            var alarm = sensor.Setpoints.LevelOf(reading.Value);
            var tsMs = ts.ToUnixTimeMilliseconds();
            var buffer = new float[FeatureSchema.Count];
            features.Observe(sensor, reading.Value, tsMs, alarm, buffer);
            var truth = missed[sensor.Index] ?? simulator.TruthAt(sensor, ts);
            var afterGap = missed[sensor.Index] is not null;
            missed[sensor.Index] = null;
            var kind = afterGap ? "dropout" : truth is null ? "none" : KindName(truth.Kind);
            var cutOff = truth is not null && truth.End > end;
            rows++;
            yield return new DataRow(
                tsMs,
                sensor.Site.Id,
                sensor.Id,
                sensor.Kind.WireName(),
                reading.Value,
                (int)alarm,
                cutOff ? kind + "~" : kind,
                truth is null ? -1 : eventIdBase + truth.Number,
                simulator.HazardShareAt(sensor, ts) >= LabelFrom,
                buffer);
        }
    }

    public static string KindName(InjectedKind kind) => kind switch
    {
        InjectedKind.LeakRamp => "leak_ramp",
        InjectedKind.Overpressure => "overpressure",
        InjectedKind.Fire => "fire",
        InjectedKind.ToxicRelease => "toxic_release",
        InjectedKind.StuckAt => "stuck_at",
        InjectedKind.Dropout => "dropout",
        InjectedKind.Spike => "spike",
        _ => "drift",
    };
}
