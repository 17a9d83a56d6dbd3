using System.Text;
using System.Text.Json;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Kpis;

/// <summary>
/// Data quality of the registry's sensors from what reached the pipeline: every scored reading and every reading
/// dead-lettered, each put in its sensor's reporting period. When an hour has ended (the caller says when), each
/// expected period of each sensor gets one HJ 212-2017 flag, the best its messages earned (a normal reading, else a
/// faulty one, else an over-range one, else an unreadable one); a period without any is maintenance or calibration
/// when the sensor was out of service, stopped when others of its site reported, else a communication fault. Hours
/// add up to days (midnight China Standard Time). Deterministic: no clock of its own.
/// </summary>
/// <param name="outOfService">The reason a sensor (site, sensor) was declared out of service at a time, or null.</param>
public sealed class DataQualityCalculator(ParkRegistry registry, Func<string, string, DateTimeOffset, string?> outOfService)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Per open hour: per sensor (registry index), the best flag of each period (null: nothing came).</summary>
    private readonly SortedDictionary<DateTimeOffset, DataFlag?[][]> _hours = [];

    /// <summary>Per open day: per sensor, expected periods by flag.</summary>
    private readonly SortedDictionary<DateTimeOffset, long[][]> _days = [];

    private readonly SensorDef[] _sensors = [.. registry.SiteList.SelectMany(s => s.Sensors)];
    private readonly Dictionary<(string Site, string Sensor), int> _index = registry.SiteList.SelectMany(s => s.Sensors).Select((s, i) => (s, i)).ToDictionary(x => (x.s.Site.Id, x.s.Id), x => x.i);
    private DateTimeOffset? _closedUntil;

    /// <summary>A scored reading: normal, or a fault when the anomaly model flagged it.</summary>
    public void Observe(Score score) => Mark(score.Site, score.Sensor, score.Ts, score.Anomalous ? DataFlag.Fault : DataFlag.Normal);

    /// <summary>A reading refused with <paramref name="reason"/> (its site, sensor and time read from it as far as possible).</summary>
    public void ObserveRefused(string site, string sensor, DateTimeOffset ts, DeadLetterReason reason) =>
        Mark(site, sensor, ts, reason == DeadLetterReason.OutOfRange ? DataFlag.OverRange : DataFlag.CommunicationFault);

    /// <summary>A dead letter: a refused reading counts for its sensor's period; any other (an answer, a spectrum) for nothing.</summary>
    public void ObserveDeadLetter(DeadLetter letter)
    {
        if (letter.Topic == Topics.Readings && Refused(letter) is { } refused)
        {
            ObserveRefused(refused.Site, refused.Sensor, refused.Ts, letter.Reason);
        }
    }

    /// <summary>The site, sensor and time of a refused reading, as far as its (possibly broken) value tells them.</summary>
    private static (string Site, string Sensor, DateTimeOffset Ts)? Refused(DeadLetter letter)
    {
        try
        {
            using var doc = JsonDocument.Parse(letter.Value);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("sensor", out var sensor) || sensor.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var site = root.TryGetProperty("site", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : letter.Key is { } key ? Encoding.UTF8.GetString(key) : "";
            var ts = root.TryGetProperty("ts", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out var at) ? at : letter.Time;
            return (site, sensor.GetString()!, ts);
        }
        catch (JsonException)
        {
            return null; // not even JSON: no sensor to put it on
        }
    }

    /// <summary>The figures of every hour and day that ended at or before <paramref name="until"/>, oldest first.</summary>
    public IReadOnlyList<DataQuality> Close(DateTimeOffset until)
    {
        var result = new List<DataQuality>();
        _closedUntil ??= KpiWindows.Floor(_hours.Count > 0 ? _hours.Keys.First() : until, Hour);
        while (_closedUntil.Value + Hour <= until)
        {
            var from = _closedUntil.Value;
            var counts = Flags(from, _hours.GetValueOrDefault(from));
            _hours.Remove(from);
            result.AddRange(Records("1h", from, from + Hour, counts));
            var day = KpiWindows.Floor(from, Day);
            var dayCounts = _days.TryGetValue(day, out var d) ? d : _days[day] = NewCounts();
            for (var i = 0; i < counts.Length; i++)
            {
                for (var f = 0; f < counts[i].Length; f++)
                {
                    dayCounts[i][f] += counts[i][f];
                }
            }

            _closedUntil = from + Hour;
            if (_closedUntil.Value == day + Day)
            {
                result.AddRange(Records("1d", day, day + Day, dayCounts));
                _days.Remove(day);
            }
        }

        return result;
    }

    private void Mark(string site, string sensor, DateTimeOffset ts, DataFlag flag)
    {
        if (!_index.TryGetValue((site, sensor), out var i) || (_closedUntil is { } closed && ts < closed))
        {
            return; // not a registry sensor, or its hour is already closed (too late to count)
        }

        var hour = KpiWindows.Floor(ts, Hour);
        if (!_hours.TryGetValue(hour, out var slots))
        {
            slots = new DataFlag?[_sensors.Length][];
            _hours[hour] = slots;
        }

        var period = _sensors[i].ReportingPeriod;
        slots[i] ??= new DataFlag?[ReportingPeriods.PerHour(period)];
        var k = ReportingPeriods.InHour(ts - hour, period);
        if (slots[i][k] is not { } had || flag < had)
        {
            slots[i][k] = flag; // the best the period's messages earned (normal < fault < over-range < unreadable)
        }
    }

    /// <summary>Each sensor's expected periods of one hour by flag, the silent ones judged now.</summary>
    private long[][] Flags(DateTimeOffset hour, DataFlag?[][]? slots)
    {
        var counts = NewCounts();
        foreach (var site in registry.SiteList)
        {
            var members = site.Sensors.Select(s => _index[(site.Id, s.Id)]).ToArray();
            foreach (var i in members)
            {
                var period = _sensors[i].ReportingPeriod;
                var perHour = ReportingPeriods.PerHour(period);
                for (var k = 0; k < perHour; k++)
                {
                    var start = hour + (period * k);
                    var received = slots?[i]?[k];
                    counts[i][(int)(received ?? Silent(site, members, slots, i, start))]++;
                    counts[i][Received] += received is null ? 0 : 1;
                }
            }
        }

        return counts;
    }

    private DataFlag Silent(SiteDef site, int[] members, DataFlag?[][]? slots, int i, DateTimeOffset start)
    {
        if (outOfService(site.Id, _sensors[i].Id, start) is { } reason)
        {
            return reason.Contains("calibrat", StringComparison.OrdinalIgnoreCase) ? DataFlag.Calibration : DataFlag.Maintenance;
        }

        // Others of the site reported in this period (by their own periods): this sensor stopped; else the site was cut off.
        var others = members.Any(j => j != i && slots?[j] is { } theirs && theirs[ReportingPeriods.InHour(start - KpiWindows.Floor(start, Hour), _sensors[j].ReportingPeriod)] is not null);
        return others ? DataFlag.Stopped : DataFlag.CommunicationFault;
    }

    /// <summary>The column after the flags': periods in which any message came (online).</summary>
    private static readonly int Received = Enum.GetValues<DataFlag>().Length;

    private long[][] NewCounts() => [.. _sensors.Select(_ => new long[Received + 1])];

    private IEnumerable<DataQuality> Records(string window, DateTimeOffset from, DateTimeOffset until, long[][] counts)
    {
        var figures = _sensors.Select((s, i) => Figure(s, counts[i])).ToArray();
        var scopes = new SortedDictionary<string, List<int>>(StringComparer.Ordinal) { ["park:park"] = [] };
        for (var i = 0; i < _sensors.Length; i++)
        {
            var site = _sensors[i].Site;
            var keys = new List<string> { "park:park", "site:" + site.Id, "enterprise:" + site.Enterprise.Id };
            for (string? j = site.Jurisdiction.Id; j is not null; j = registry.Jurisdictions.TryGetValue(j, out var jd) ? jd.Parent : null)
            {
                keys.Add("jurisdiction:" + j);
            }

            foreach (var key in keys)
            {
                (scopes.TryGetValue(key, out var list) ? list : scopes[key] = []).Add(i);
            }
        }

        foreach (var (key, members) in scopes)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var scope = key[..colon];
            var total = new long[Received + 1];
            foreach (var i in members)
            {
                for (var f = 0; f < total.Length; f++)
                {
                    total[f] += counts[i][f];
                }
            }

            var expected = total.Take(Received).Sum();
            var reporting = members.Count(i => counts[i][Received] > 0);
            yield return new DataQuality(scope, key[(colon + 1)..], window, from, until, members.Count, reporting, expected,
                Share(reporting, members.Count), Share(total[Received], expected), Share(total[(int)DataFlag.Normal], expected))
            {
                Flags = Enum.GetValues<DataFlag>().Where(f => total[(int)f] > 0).ToDictionary(f => f.Wire(), f => total[(int)f]),
                SensorFigures = scope == "site" ? [.. members.Select(i => figures[i])] : [.. members.Select(i => figures[i]).OrderBy(f => f.Intact).ThenBy(f => f.Site, StringComparer.Ordinal).ThenBy(f => f.Sensor, StringComparer.Ordinal).Take(10)],
            };
        }
    }

    private static SensorQuality Figure(SensorDef s, long[] counts)
    {
        var flags = counts.AsSpan(0, Received);
        var expected = 0L;
        var mostly = 0;
        for (var f = 0; f < flags.Length; f++)
        {
            expected += flags[f];
            mostly = flags[f] > flags[mostly] ? f : mostly;
        }

        return new SensorQuality(s.Site.Id, s.Id, expected, Share(counts[Received], expected), Share(counts[(int)DataFlag.Normal], expected), (DataFlag)mostly);
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
}
