using System.Globalization;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Features;
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
    /// Writes <paramref name="duration"/> of the simulated park; returns the rows written. Progress every simulated 10
    /// minutes. Event ids start at <paramref name="eventIdBase"/> (so blocks written into one file keep them apart).
    /// </summary>
    public static long Write(TextWriter output, ParkRegistry registry, SimulationOptions options, DateTimeOffset start, TimeSpan duration, WindowOptions window, Action<TimeSpan, long>? progress = null, bool header = true, int eventIdBase = 0)
    {
        var simulator = new ParkSimulator(registry, options, start);
        var features = new SensorFeatures(registry, window);
        var buffer = new float[FeatureSchema.Count];
        var sensors = simulator.Sensors;
        var period = simulator.SensorPeriod;
        var missed = new InjectedEvent?[registry.SensorCount];
        var line = new System.Text.StringBuilder(256);
        var ids = new Dictionary<InjectedEvent, int>(ReferenceEqualityComparer.Instance);
        int IdOf(InjectedEvent e)
        {
            if (!ids.TryGetValue(e, out var id))
            {
                // Events are appended in schedule order and never removed: the index is stable.
                for (var k = ids.Count; k < simulator.Events.Count; k++)
                {
                    ids[simulator.Events[k]] = k;
                }

                id = ids[e];
            }

            return id;
        }

        if (header)
        {
            output.Write(Header);
            foreach (var name in FeatureSchema.Names)
            {
                output.Write(',');
                output.Write(name);
            }

            output.Write('\n');
        }

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
            features.Observe(sensor, reading.Value, tsMs, alarm, buffer);
            var truth = missed[sensor.Index] ?? simulator.TruthAt(sensor, ts);
            var afterGap = missed[sensor.Index] is not null;
            missed[sensor.Index] = null;
            var hazard = simulator.HazardShareAt(sensor, ts) >= LabelFrom;
            line.Clear();
            line.Append(tsMs).Append(',').Append(sensor.Site.Id).Append(',').Append(sensor.Id).Append(',').Append(sensor.Kind.WireName()).Append(',')
                .Append(reading.Value.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append((int)alarm).Append(',')
                .Append(afterGap ? "dropout" : truth is null ? "none" : KindName(truth.Kind)).Append(truth is not null && truth.End > end ? "~" : "").Append(',')
                .Append(truth is null ? -1 : eventIdBase + IdOf(truth)).Append(',')
                .Append(hazard ? '1' : '0');
            foreach (var f in buffer)
            {
                line.Append(',').Append(f.ToString("R", CultureInfo.InvariantCulture));
            }

            line.Append('\n');
            output.Write(line);
            rows++;
        }

        return rows;
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
