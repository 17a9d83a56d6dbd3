using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Models;

/// <summary>A recorded reading as it comes back from history (InfluxDB), in time order.</summary>
public readonly record struct HistoryReading(string Site, string Sensor, double Value, long TsMs);

/// <summary>
/// Labelled rows from recorded readings and the labels people gave (<see cref="Label"/>): each reading replayed, in
/// time order, through <see cref="SensorFeatures"/> as the lane computes them (the same code, the same window), its
/// alarm level from the registry's setpoints. A reading of an evidence sensor within a label's interval takes the
/// label: <c>confirmed_hazard</c> (hazard 1), <c>false_alarm</c> (hazard 0), <c>instrument_fault</c> (hazard 0,
/// a fault event as the simulator's are); a reading within an interval excluded for maintenance, a drill or another
/// reason is left out (its window still sees it, as the lane's did). Readings no label covers are taken as normal
/// operation. <see cref="Card"/> says where the rows came from.
/// </summary>
public sealed class RecordedDataset
{
    private readonly ParkRegistry _registry;
    private readonly SensorFeatures _features;
    private readonly Dictionary<string, List<(Label Label, int Id)>> _bySite = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dropped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byEvent = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<Label> _labels;
    private long _rows;
    private long _unknown;

    public RecordedDataset(ParkRegistry registry, WindowOptions window, IReadOnlyList<Label> labels)
    {
        _registry = registry;
        _features = new SensorFeatures(registry, window);
        _labels = labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var l = labels[i];
            (_bySite.TryGetValue(l.Site, out var list) ? list : _bySite[l.Site] = []).Add((l, i));
        }
    }

    /// <summary>Event ids of recorded rows start here (simulated datasets use their own below it).</summary>
    public const int EventIdBase = 1_000_000_000;

    /// <summary>The rows of <paramref name="readings"/> (in time order), each with its own feature array.</summary>
    public IEnumerable<DataRow> Rows(IEnumerable<HistoryReading> readings)
    {
        foreach (var r in readings)
        {
            if (!_registry.Sites.TryGetValue(r.Site, out var site) || !site.TryGetSensor(r.Sensor, out var sensor))
            {
                _unknown++;
                continue;
            }

            var alarm = sensor.Setpoints.LevelOf(r.Value);
            var buffer = new float[FeatureSchema.Count];
            _features.Observe(sensor, r.Value, r.TsMs, alarm, buffer);
            var (label, id) = Covering(r.Site, r.Sensor, r.TsMs);
            string ev;
            var hazard = false;
            switch (label)
            {
                case null:
                    ev = "none";
                    break;
                case { Reason: DispositionReason.ConfirmedHazard, Risk: LabelClass.Hazard }:
                    ev = "confirmed_hazard";
                    hazard = true;
                    break;
                case { Reason: DispositionReason.InstrumentFault }:
                    ev = "instrument_fault";
                    break;
                case { Risk: LabelClass.NotHazard }:
                    ev = "false_alarm";
                    break;
                default:
                    _dropped[label.Warning] = _dropped.GetValueOrDefault(label.Warning) + 1;
                    continue;
            }

            _rows++;
            _byEvent[ev] = _byEvent.GetValueOrDefault(ev) + 1;
            yield return new DataRow(r.TsMs, r.Site, r.Sensor, sensor.Kind.WireName(), r.Value, (int)alarm, ev, label is null ? -1 : EventIdBase + id, hazard, buffer);
        }
    }

    /// <summary>What went into the rows so far (call after enumerating them).</summary>
    public DataCard Card(string source, DateTimeOffset since, DateTimeOffset until, IReadOnlyCollection<string> sites) => new(
        source,
        since,
        until,
        [.. sites],
        _rows,
        new SortedDictionary<string, long>(_byEvent, StringComparer.Ordinal),
        _labels.GroupBy(l => l.Reason.Wire()).ToDictionary(g => g.Key, g => (long)g.Count()),
        [.. _labels.Where(l => _dropped.ContainsKey(l.Warning) || Excluded(l)).Select(l => new ExcludedInterval(l.Warning, l.Scenario, l.Reason.Wire(), Why(l), l.From, l.Until, l.Sensors, _dropped.GetValueOrDefault(l.Warning)))],
        _unknown,
        FeatureSchema.Hash);

    private static string Why(Label l) => l.Reason switch
    {
        DispositionReason.Maintenance => "maintenance: the readings were of work on the plant or the sensors, not of its operation",
        DispositionReason.Drill => "a drill: the readings were staged",
        DispositionReason.ConfirmedHazard => $"a hazard confirmed on a {l.Scenario} warning: not a label for the risk model",
        _ => "disposed as other: nobody said what it was",
    };

    private static bool Excluded(Label l) => l.Risk == LabelClass.Excluded && l.Reason != DispositionReason.InstrumentFault;

    /// <summary>The label covering a reading of an evidence sensor: an exclusion first, then a hazard, then the rest.</summary>
    private (Label? Label, int Id) Covering(string site, string sensor, long tsMs)
    {
        if (!_bySite.TryGetValue(site, out var labels))
        {
            return (null, -1);
        }

        (Label? Label, int Id) best = (null, -1);
        foreach (var (l, id) in labels)
        {
            if (tsMs < l.From.ToUnixTimeMilliseconds() || tsMs > l.Until.ToUnixTimeMilliseconds() || !l.Sensors.Contains(sensor))
            {
                continue;
            }

            if (Excluded(l))
            {
                return (l, id);
            }

            if (best.Label is null || (l.Risk == LabelClass.Hazard && best.Label.Risk != LabelClass.Hazard))
            {
                best = (l, id);
            }
        }

        return best;
    }
}

/// <summary>
/// A dataset's card (<c>FILE.card.json</c> beside it): where the rows came from, how many of each event, the labels
/// used by disposition, the intervals left out and why, readings of sensors the registry does not know, the feature
/// schema.
/// </summary>
public sealed record DataCard(
    string Source,
    DateTimeOffset Since,
    DateTimeOffset Until,
    IReadOnlyList<string> Sites,
    long Rows,
    IReadOnlyDictionary<string, long> RowsByEvent,
    IReadOnlyDictionary<string, long> LabelsByDisposition,
    IReadOnlyList<ExcludedInterval> Excluded,
    long UnknownSensorReadings,
    string FeatureSchemaHash)
{
    /// <summary>Datasets whose rows were put before these (simulated ones, say), with their row counts.</summary>
    public IReadOnlyList<CombinedFile> CombinedWith { get; init; } = [];

    public void Write(string path) => File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(this, CardJson.Default.DataCard) + "\n");
}

/// <summary>A labelled interval whose rows were left out, and why.</summary>
public sealed record ExcludedInterval(string Warning, string Scenario, string Reason, string Why, DateTimeOffset From, DateTimeOffset Until, IReadOnlyList<string> Sensors, long RowsDropped);

/// <summary>A dataset combined into another, and its rows.</summary>
public sealed record CombinedFile(string File, string Fingerprint, long Rows);
