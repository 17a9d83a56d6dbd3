using System.Globalization;
using System.Text;
using System.Text.Json;
using RiskStream.Core.Contracts;

namespace RiskStream.Influx;

/// <summary>
/// Turns RiskStream's topic messages into InfluxDB line protocol (millisecond precision). Measurements and their tags
/// are bounded by the registry and the scenario files (site, sensor, kind, enterprise, jurisdiction, scenario, level,
/// status, alarm, model): nothing unbounded (reading or warning ids) is a tag.
/// </summary>
/// <remarks>
/// <c>reading,site=,sensor=,kind= value=</c>; <c>score,site=,sensor=,kind=,alarm=,model= value=,risk=,late=,anomalous=</c>;
/// <c>warning,scenario=,site=,enterprise=,jurisdiction=,level=,status= id="",seq=,level_value=,active_level=,audiences=,acks=,acked_by=,flapping=</c>
/// (<c>active_level</c> is 0 once resolved, so the last event of a warning tells whether it is still active);
/// <c>identification,site=,enterprise=,jurisdiction=,purpose=,outcome=,hazard=,substance=,library= score=,margin=,unknown=,cas="",hazard_classes="",sample="",device="",id="",mixture=""</c>
/// (substance is a tag: bounded by the library; "unknown" when nothing matched; hazard is the most severe class or "none").
/// A point is identified by measurement, tags and time, so a redelivered message overwrites itself: writes are
/// idempotent, which the at-least-once sink relies on.
/// </remarks>
public static partial class LineProtocol
{
    /// <summary>
    /// Appends the line for one message of <paramref name="topic"/>; false, with nothing appended and the reason in
    /// <paramref name="refusal"/>, if it is not one RiskStream wrote or reads, is incomplete, or names a site
    /// <paramref name="knownSite"/> does not know. Whatever the message holds, it is refused, never thrown.
    /// </summary>
    public static bool TryAppend(StringBuilder lines, string topic, ReadOnlySpan<byte> value, out string? refusal, Func<string, bool>? knownSite = null)
    {
        refusal = null;
        var mark = lines.Length;
        bool appended;
        try
        {
            appended = topic switch
            {
                Core.Topics.Readings => AppendReading(lines, value, knownSite, out refusal),
                Core.Topics.Scores => AppendScore(lines, value, knownSite, out refusal),
                Core.Topics.Warnings => AppendWarning(lines, value, knownSite, out refusal),
                Core.Topics.Identifications => AppendIdentification(lines, value, knownSite, out refusal),
                Core.Topics.Kpis => AppendKpis(lines, value, out refusal),
                Core.Topics.DataQuality => AppendDataQuality(lines, value, out refusal),
                Core.Topics.Labels => AppendLabel(lines, value, knownSite, out refusal),
                _ => Refuse($"topic '{topic}' is not written to InfluxDB", out refusal),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            // A field of the wrong type, a lone surrogate, a missing property: this message's problem alone.
            appended = Refuse($"{e.GetType().Name}: {e.Message}", out refusal);
        }

        if (!appended)
        {
            lines.Length = mark;
        }

        return appended;
    }

    /// <summary>Appends the line of a reading already decoded and checked against the registry.</summary>
    public static void AppendReading(StringBuilder lines, string site, string sensor, SensorKind kind, double value, long tsMs)
    {
        lines.Append("reading");
        Tag(lines, "site", site);
        Tag(lines, "sensor", sensor);
        Tag(lines, "kind", kind.WireName());
        lines.Append(" value=").Append(Number(value));
        lines.Append(' ').Append(tsMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static bool UnknownSite(string? site, Func<string, bool>? knownSite, out string? refusal)
    {
        if (string.IsNullOrEmpty(site))
        {
            refusal = "no site";
            return true;
        }

        if (knownSite is not null && !knownSite(site))
        {
            refusal = "site is not in the registry";
            return true;
        }

        refusal = null;
        return false;
    }

    private static bool Refuse(string why, out string? refusal)
    {
        refusal = why;
        return false;
    }

    private static bool AppendReading(StringBuilder lines, ReadOnlySpan<byte> value, Func<string, bool>? knownSite, out string? refusal)
    {
        var r = JsonSerializer.Deserialize(value, ContractJson.Default.Reading);
        if (r is null || string.IsNullOrEmpty(r.Sensor) || !double.IsFinite(r.Value))
        {
            return Refuse("not a complete reading", out refusal);
        }

        if (UnknownSite(r.Site, knownSite, out refusal))
        {
            return false;
        }

        AppendReading(lines, r.Site, r.Sensor, r.Kind, r.Value, r.Ts.ToUnixTimeMilliseconds());
        return true;
    }

    private static bool AppendScore(StringBuilder lines, ReadOnlySpan<byte> value, Func<string, bool>? knownSite, out string? refusal)
    {
        using var doc = JsonDocument.Parse(value.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("site", out var site) || !root.TryGetProperty("sensor", out var sensor) || !root.TryGetProperty("value", out var v)
            || !root.TryGetProperty("risk", out var risk) || !root.TryGetProperty("ts", out var ts))
        {
            return Refuse("not a complete score", out refusal);
        }

        if (UnknownSite(site.GetString(), knownSite, out refusal) || !double.IsFinite(v.GetDouble()) || !double.IsFinite(risk.GetDouble()))
        {
            return Refuse(refusal ?? "a non-finite value or risk", out refusal);
        }

        lines.Append("score");
        Tag(lines, "site", site.GetString()!);
        Tag(lines, "sensor", sensor.GetString()!);
        Tag(lines, "kind", root.GetProperty("kind").GetString()!);
        Tag(lines, "alarm", root.TryGetProperty("alarm", out var alarm) ? alarm.GetString()! : "none");
        Tag(lines, "model", root.TryGetProperty("model", out var model) ? model.GetString()! : "unknown");
        lines.Append(" value=").Append(Number(v.GetDouble()));
        lines.Append(",risk=").Append(Number(risk.GetDouble()));
        lines.Append(",late=").Append(root.TryGetProperty("late", out var late) && late.GetBoolean() ? "true" : "false");
        if (root.TryGetProperty("anomalous", out var anomalous) && anomalous.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            // An integer, so panels can take max() over an interval (InfluxQL aggregates no booleans); absent in v1 scores.
            lines.Append(",anomalous=").Append(anomalous.GetBoolean() ? "1i" : "0i");
        }

        Time(lines, ts.GetDateTimeOffset());
        return true;
    }

    private static bool AppendWarning(StringBuilder lines, ReadOnlySpan<byte> value, Func<string, bool>? knownSite, out string? refusal)
    {
        var w = JsonSerializer.Deserialize(value, ContractJson.Default.WarningEvent);
        if (w is null || string.IsNullOrEmpty(w.Id) || w.Scenario is null || w.Enterprise is null || w.Jurisdiction is null || w.Acks is null || w.Audiences is null)
        {
            return Refuse("not a complete warning event", out refusal);
        }

        if (UnknownSite(w.Site, knownSite, out refusal))
        {
            return false;
        }

        lines.Append("warning");
        Tag(lines, "scenario", w.Scenario);
        Tag(lines, "site", w.Site);
        Tag(lines, "enterprise", w.Enterprise);
        Tag(lines, "jurisdiction", w.Jurisdiction);
        Tag(lines, "level", w.Level.Wire());
        Tag(lines, "status", w.Status.Wire());
        lines.Append(" id=");
        Quoted(lines, w.Id);
        lines.Append(",seq=").Append(w.Seq.ToString(CultureInfo.InvariantCulture)).Append('i');
        lines.Append(",level_value=").Append(((int)w.Level).ToString(CultureInfo.InvariantCulture)).Append('i');
        lines.Append(",active_level=").Append((w.Status is WarningStatus.Resolved or WarningStatus.Closed || w.ResolvedAt is not null ? 0 : (int)w.Level).ToString(CultureInfo.InvariantCulture)).Append('i');
        lines.Append(",audiences=").Append(w.Audiences.Count.ToString(CultureInfo.InvariantCulture)).Append('i');
        lines.Append(",acks=").Append(w.Acks.Count.ToString(CultureInfo.InvariantCulture)).Append('i');
        lines.Append(",acked_by=");
        Quoted(lines, string.Join(' ', w.Acks.Select(a => a.Party.Address()).Distinct()));
        lines.Append(",flapping=").Append(w.Flapping ? "true" : "false");
        Time(lines, w.Time);
        return true;
    }

    private static bool AppendIdentification(StringBuilder lines, ReadOnlySpan<byte> value, Func<string, bool>? knownSite, out string? refusal)
    {
        var i = JsonSerializer.Deserialize(value, ContractJson.Default.IdentificationEvent);
        if (i is null || string.IsNullOrEmpty(i.Id) || !double.IsFinite(i.Score) || !double.IsFinite(i.Margin) || i.Enterprise is null || i.Jurisdiction is null
            || i.Library is null || i.Sample is null || i.Device is null || i.HazardClasses is null || i.Mixture is null)
        {
            return Refuse("not a complete identification", out refusal);
        }

        if (UnknownSite(i.Site, knownSite, out refusal))
        {
            return false;
        }

        lines.Append("identification");
        Tag(lines, "site", i.Site);
        Tag(lines, "enterprise", i.Enterprise);
        Tag(lines, "jurisdiction", i.Jurisdiction);
        Tag(lines, "purpose", i.Purpose.Wire());
        Tag(lines, "outcome", i.Unknown ? "unknown" : i.Mixture.Count > 0 ? "mixture" : i.Family is not null ? "family" : "identified");
        Tag(lines, "hazard", i.HazardClasses.Count > 0 ? i.HazardClasses[0] : "none");
        Tag(lines, "substance", i.Substance ?? i.Family?.Name ?? "unknown");
        Tag(lines, "library", i.Library);
        lines.Append(" score=").Append(Number(i.Score));
        lines.Append(",margin=").Append(Number(i.Margin));
        lines.Append(",unknown=").Append(i.Unknown ? "true" : "false");
        lines.Append(",cas=");
        Quoted(lines, i.Cas ?? "");
        lines.Append(",hazard_classes=");
        Quoted(lines, string.Join(' ', i.HazardClasses));
        lines.Append(",sample=");
        Quoted(lines, i.Sample);
        lines.Append(",device=");
        Quoted(lines, i.Device);
        lines.Append(",id=");
        Quoted(lines, i.Id);
        lines.Append(",mixture=");
        Quoted(lines, string.Join(" + ", i.Mixture.Select(m => FormattableString.Invariant($"{m.Fraction * 100:F0}% {m.Name}"))));
        Time(lines, i.Ts);
        return true;
    }

    /// <summary>
    /// A site as a point (<c>site,site=,enterprise=,jurisdiction= lat=,lon=,name="",major_hazard=""</c>) for maps: written
    /// by the sink at start and then periodically, so a map over the last hour always has every site.
    /// </summary>
    public static void AppendSite(StringBuilder lines, Core.Registry.SiteDef site, DateTimeOffset time)
    {
        lines.Append("site");
        Tag(lines, "site", site.Id);
        Tag(lines, "enterprise", site.Enterprise.Id);
        Tag(lines, "jurisdiction", site.Jurisdiction.Id);
        lines.Append(" lat=").Append(Number(site.Lat)).Append(",lon=").Append(Number(site.Lon)).Append(",name=");
        Quoted(lines, site.Name);
        lines.Append(",major_hazard=");
        Quoted(lines, site.MajorHazard ?? "none");
        Time(lines, time);
    }

    /// <summary>
    /// The alarm setpoints of each sensor kind at a site as points (<c>setpoint,site=,kind=,unit= first_high=,
    /// second_high=,first_low=,second_low=</c>, the fields a kind has), for panels that draw them as thresholds. Where a
    /// site configures sensors of one kind differently, the strictest applies: the lowest high and highest low setpoint.
    /// </summary>
    public static void AppendSetpoints(StringBuilder lines, Core.Registry.SiteDef site, DateTimeOffset time)
    {
        foreach (var kind in site.Sensors.GroupBy(s => s.Kind).OrderBy(g => g.Key))
        {
            var fields = new (string Name, double? Value)[]
            {
                ("first_high", kind.Min(s => s.Setpoints.FirstHigh)),
                ("second_high", kind.Min(s => s.Setpoints.SecondHigh)),
                ("first_low", kind.Max(s => s.Setpoints.FirstLow)),
                ("second_low", kind.Max(s => s.Setpoints.SecondLow)),
            };
            if (fields.All(f => f.Value is null))
            {
                continue;
            }

            lines.Append("setpoint");
            Tag(lines, "site", site.Id);
            Tag(lines, "kind", kind.Key.WireName());
            Tag(lines, "unit", kind.Key.CanonicalUnit());
            var separator = ' ';
            foreach (var (name, value) in fields)
            {
                if (value is { } v)
                {
                    lines.Append(separator).Append(name).Append('=').Append(Number(v));
                    separator = ',';
                }
            }

            Time(lines, time);
        }
    }

    /// <summary>
    /// A tag: <c>,key=value</c> with commas, equals signs and spaces escaped. InfluxDB's parser reads a backslash
    /// before the separating comma as escaping it (the next tag would run into this one, or the line is refused,
    /// however the backslash is escaped), so a trailing backslash is written as U+FF3C FULLWIDTH REVERSE SOLIDUS.
    /// Ids cannot hold a backslash (the registry's id rule); names from a reference library might.
    /// </summary>
    public static void Tag(StringBuilder lines, string key, string? value)
    {
        lines.Append(',').Append(key).Append('=');
        var text = string.IsNullOrEmpty(value) ? "_" : value;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is ',' or '=' or ' ')
            {
                lines.Append('\\');
            }

            lines.Append(c switch
            {
                '\n' or '\r' => ' ',
                '\\' when text.AsSpan(i).TrimStart('\\').IsEmpty => '\uFF3C',
                _ => c,
            });
        }
    }

    /// <summary>A string field value: quoted, with quotes and backslashes escaped.</summary>
    public static void Quoted(StringBuilder lines, string? value)
    {
        lines.Append('"');
        foreach (var c in value ?? "")
        {
            if (c is '"' or '\\')
            {
                lines.Append('\\');
            }

            lines.Append(c is '\n' or '\r' ? ' ' : c);
        }

        lines.Append('"');
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void Time(StringBuilder lines, DateTimeOffset ts) =>
        lines.Append(' ').Append(ts.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
}
