using System.Globalization;
using System.Text;
using System.Text.Json;
using RiskStream.Core.Contracts;

namespace RiskStream.Influx;

/// <summary>
/// The alarm KPIs (<c>riskstream.kpis</c>) as points at their window's start, tagged by scope, id and window:
/// <c>alarm_kpi</c> (the headline figures), <c>alarm_bad_actor</c> (rank 1–10), <c>alarm_response_time</c> (kind
/// acknowledge or dispose, role, level), <c>alarm_disposition</c> (scenario, model, reason) and <c>assistance_kpi</c>
/// (per agreement). A window published again after a restart overwrites its points.
/// </summary>
public static partial class LineProtocol
{
    private static bool AppendKpis(StringBuilder lines, ReadOnlySpan<byte> value, out string? refusal)
    {
        var k = JsonSerializer.Deserialize(value, ContractJson.Default.AlarmKpis);
        if (k is null || string.IsNullOrEmpty(k.Scope) || string.IsNullOrEmpty(k.Id) || string.IsNullOrEmpty(k.Window) || k.BadActors is null || k.Acknowledge is null || k.Dispose is null || k.Dispositions is null || k.Assistance is null)
        {
            return Refuse("not a complete KPI record", out refusal);
        }

        refusal = null;
        void Head(string measurement)
        {
            lines.Append(measurement);
            Tag(lines, "scope", k.Scope);
            Tag(lines, "id", k.Id);
            Tag(lines, "window", k.Window);
        }

        Head("alarm_kpi");
        lines.Append(CultureInfo.InvariantCulture, $" raised={k.Raised}i,per10_mean={Number(k.RaisedPer10MinMean)},per10_peak={k.RaisedPer10MinPeak}i,flood_share={Number(k.FloodShare)},chattering={k.Chattering}i,fleeting={k.Fleeting}i,active={k.Active}i,standing={k.Standing}i");
        lines.Append(CultureInfo.InvariantCulture, $",overdue_ack={k.OverdueAcknowledgements}i,overdue_dispose={k.OverdueDispositions}i,shelved={k.Shelved}i,out_of_service={k.OutOfService}i,sensor_alarms={k.SensorAlarms}i,chattering_sensors={k.ChatteringSensors}i");
        if (k.FalseAlarmShare is { } share)
        {
            lines.Append(",false_alarm_share=").Append(Number(share));
        }

        Time(lines, k.From);
        for (var i = 0; i < k.BadActors.Count; i++)
        {
            var b = k.BadActors[i];
            Head("alarm_bad_actor");
            Tag(lines, "rank", (i + 1).ToString(CultureInfo.InvariantCulture));
            lines.Append(" scenario=");
            Quoted(lines, b.Scenario);
            lines.Append(",sensor=");
            Quoted(lines, b.Sensor);
            lines.Append(CultureInfo.InvariantCulture, $",raised={b.Raised}i,share={Number(b.Share)}");
            Time(lines, k.From);
        }

        foreach (var (kind, times) in new[] { ("acknowledge", k.Acknowledge), ("dispose", k.Dispose) })
        {
            foreach (var t in times)
            {
                Head("alarm_response_time");
                Tag(lines, "kind", kind);
                Tag(lines, "role", t.Role?.Wire() ?? "any");
                Tag(lines, "level", t.Level.Wire());
                lines.Append(CultureInfo.InvariantCulture, $" count={t.Count}i,median_s={Number(t.MedianSeconds)},p90_s={Number(t.P90Seconds)}");
                Time(lines, k.From);
            }
        }

        foreach (var d in k.Dispositions)
        {
            Head("alarm_disposition");
            Tag(lines, "scenario", d.Scenario);
            Tag(lines, "model", d.Model);
            Tag(lines, "reason", d.Reason.Wire());
            lines.Append(CultureInfo.InvariantCulture, $" count={d.Count}i");
            Time(lines, k.From);
        }

        foreach (var a in k.Assistance)
        {
            Head("assistance_kpi");
            Tag(lines, "engaged_by", a.EngagedBy);
            Tag(lines, "enterprise", a.Enterprise);
            Tag(lines, "capability", a.Capability);
            Tag(lines, "basis", a.Basis);
            lines.Append(CultureInfo.InvariantCulture, $" requested={a.Requested}i,answered={a.Answered}i,accepted={a.Accepted}i,declined={a.Declined}i,unanswered={a.Unanswered}i");
            if (a.MedianAnswerSeconds is { } median)
            {
                lines.Append(",median_answer_s=").Append(Number(median));
            }

            Time(lines, k.From);
        }

        return true;
    }

    /// <summary>
    /// Data quality (<c>riskstream.dataquality</c>): <c>data_quality,scope=,id=,window= sensors=,reporting=,expected=,access=,online=,intact=,flag_&lt;flag&gt;=</c>
    /// and, from site records, one <c>sensor_quality,site=,sensor=,window= expected=,online=,intact=,mostly=""</c> per sensor.
    /// </summary>
    private static bool AppendDataQuality(StringBuilder lines, ReadOnlySpan<byte> value, out string? refusal)
    {
        var q = JsonSerializer.Deserialize(value, ContractJson.Default.DataQuality);
        if (q is null || string.IsNullOrEmpty(q.Scope) || string.IsNullOrEmpty(q.Id) || string.IsNullOrEmpty(q.Window) || q.Flags is null || q.SensorFigures is null)
        {
            return Refuse("not a complete data-quality record", out refusal);
        }

        refusal = null;
        lines.Append("data_quality");
        Tag(lines, "scope", q.Scope);
        Tag(lines, "id", q.Id);
        Tag(lines, "window", q.Window);
        lines.Append(CultureInfo.InvariantCulture, $" sensors={q.Sensors}i,reporting={q.Reporting}i,expected={q.Expected}i,access={Number(q.Access)},online={Number(q.Online)},intact={Number(q.Intact)}");
        foreach (var flag in Enum.GetValues<DataFlag>())
        {
            lines.Append(CultureInfo.InvariantCulture, $",flag_{flag.Wire()}={q.Flags.GetValueOrDefault(flag.Wire())}i");
        }

        Time(lines, q.From);
        if (q.Scope == "site")
        {
            foreach (var f in q.SensorFigures)
            {
                lines.Append("sensor_quality");
                Tag(lines, "site", f.Site);
                Tag(lines, "sensor", f.Sensor);
                Tag(lines, "window", q.Window);
                lines.Append(CultureInfo.InvariantCulture, $" expected={f.Expected}i,online={Number(f.Online)},intact={Number(f.Intact)},mostly=");
                Quoted(lines, f.Mostly.Wire());
                Time(lines, q.From);
            }
        }

        return true;
    }

    /// <summary>
    /// A training label (<c>riskstream.labels</c>) as one <c>label</c> point at the warning's raise, tagged by site,
    /// scenario and label (kept past Kafka's retention, where <c>riskstream dataset --from influx</c> reads it):
    /// fields the warning id, the disposition, the sensors (comma-separated), the interval's end, the model, the fault label.
    /// </summary>
    private static bool AppendLabel(StringBuilder lines, ReadOnlySpan<byte> value, Func<string, bool>? knownSite, out string? refusal)
    {
        var l = JsonSerializer.Deserialize(value, ContractJson.Default.Label);
        if (l is null || string.IsNullOrEmpty(l.Warning) || string.IsNullOrEmpty(l.Site) || string.IsNullOrEmpty(l.Scenario) || l.Sensors is null || l.Until < l.From)
        {
            return Refuse("not a complete label", out refusal);
        }

        if (knownSite is not null && !knownSite(l.Site))
        {
            return Refuse($"site '{l.Site}' is not in the registry", out refusal);
        }

        refusal = null;
        lines.Append("label");
        Tag(lines, "site", l.Site);
        Tag(lines, "scenario", l.Scenario);
        Tag(lines, "label", l.Risk.Wire());
        lines.Append(" warning=");
        Quoted(lines, l.Warning);
        lines.Append(",reason=");
        Quoted(lines, l.Reason.Wire());
        lines.Append(",sensors=");
        Quoted(lines, string.Join(',', l.Sensors));
        lines.Append(",model=");
        Quoted(lines, l.Model);
        lines.Append(",fault=");
        Quoted(lines, l.Fault switch { true => "true", false => "false", null => "unknown" });
        lines.Append(CultureInfo.InvariantCulture, $",until_ms={l.Until.ToUnixTimeMilliseconds()}i,disposed_ms={l.DisposedAt.ToUnixTimeMilliseconds()}i");
        Time(lines, l.From);
        return true;
    }
}
