using System.Globalization;
using System.Net;
using System.Text;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using ScottPlot;

namespace RiskStream.Cli.Report;

/// <summary>
/// <c>riskstream report</c>: what a county emergency department circulates for one jurisdiction over a day or a week,
/// from the daily KPI and data-quality records: the jurisdiction's figures, each enterprise with a site in it (its
/// warnings and how they were answered, overdue responses, data quality), the worst sensors and the assistance
/// agreements. HTML with its charts embedded as images (one file, nothing fetched), or CSV (one row per enterprise).
/// </summary>
internal sealed class RegulatorReport(ParkRegistry registry, string jurisdiction, DateTimeOffset from, DateTimeOffset until, IReadOnlyList<AlarmKpis> kpis, IReadOnlyList<DataQuality> quality)
{
    private const string Style = "body{font-family:sans-serif;margin:2em;color:#1a1a1a}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .6em;text-align:right}th:first-child,th:nth-child(2),td:first-child,td:nth-child(2){text-align:left}.bad{color:#b00020;font-weight:bold}img{max-width:100%}";

    private IEnumerable<AlarmKpis> Days(string scope, string id) => kpis.Where(k => k.Window == "1d" && k.Scope == scope && k.Id == id && k.From >= from && k.Until <= until).OrderBy(k => k.From);

    private IEnumerable<DataQuality> QualityDays(string scope, string id) => quality.Where(q => q.Window == "1d" && q.Scope == scope && q.Id == id && q.From >= from && q.Until <= until).OrderBy(q => q.From);

    /// <summary>Enterprises with a site in the jurisdiction or under it.</summary>
    public IReadOnlyList<Enterprise> Enterprises => [.. registry.SiteList.Where(s => Within(s.Jurisdiction.Id)).Select(s => s.Enterprise).Distinct().OrderBy(e => e.Id, StringComparer.Ordinal)];

    private bool Within(string j)
    {
        for (string? x = j; x is not null; x = registry.Jurisdictions.TryGetValue(x, out var d) ? d.Parent : null)
        {
            if (x == jurisdiction)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One enterprise's figures summed over the period's days.</summary>
    public sealed record Row(string Id, string Name, int Raised, int Peak10Min, int Chattering, int Standing, int OverdueAcks, int OverdueDispositions, int Disposed, int FalseAlarms, double? MedianAckSeconds, double? Access, double? Online, double? Intact)
    {
        /// <summary>Sensors whose setpoint alarm chattered, summed over the days.</summary>
        public int ChatteringSensors { get; init; }
    }

    public IReadOnlyList<Row> Rows() => [.. Enterprises.Select(e => Summarise(e.Id, e.Name, "enterprise"))];

    public Row Total() => Summarise(jurisdiction, registry.Jurisdictions[jurisdiction].Name, "jurisdiction");

    private Row Summarise(string id, string name, string scope)
    {
        var days = Days(scope, id).ToList();
        var q = QualityDays(scope, id).ToList();
        var acks = days.SelectMany(d => d.Acknowledge).ToList();
        double? Rate(Func<DataQuality, double> of) => q.Count == 0 ? null : Math.Round(q.Sum(x => of(x) * x.Expected) / Math.Max(1, q.Sum(x => x.Expected)), 4);
        return new Row(id, name, days.Sum(d => d.Raised), days.Select(d => d.RaisedPer10MinPeak).DefaultIfEmpty().Max(), days.Sum(d => d.Chattering), days.Select(d => d.Standing).DefaultIfEmpty().Max(),
            days.Sum(d => d.OverdueAcknowledgements), days.Sum(d => d.OverdueDispositions), days.Sum(d => d.Dispositions.Sum(x => x.Count)),
            days.Sum(d => d.Dispositions.Where(x => x.Reason == DispositionReason.FalseAlarm).Sum(x => x.Count)),
            acks.Count == 0 ? null : Math.Round(acks.Sum(a => a.MedianSeconds * a.Count) / acks.Sum(a => a.Count), 1), // count-weighted medians: an approximation, said in the report
            Rate(x => x.Access), Rate(x => x.Online), Rate(x => x.Intact))
        {
            ChatteringSensors = days.Sum(d => d.ChatteringSensors),
        };
    }

    public string Csv()
    {
        var sb = new StringBuilder("enterprise,name,raised,peak_per_10min,chattering,chattering_sensors,standing,overdue_acknowledgements,overdue_dispositions,disposed,false_alarms,median_ack_s,access,online,intact\r\n");
        foreach (var r in Rows().Prepend(Total()))
        {
            sb.AppendJoin(',', new[] { r.Id, r.Name, I(r.Raised), I(r.Peak10Min), I(r.Chattering), I(r.ChatteringSensors), I(r.Standing), I(r.OverdueAcks), I(r.OverdueDispositions), I(r.Disposed), I(r.FalseAlarms), N(r.MedianAckSeconds), N(r.Access), N(r.Online), N(r.Intact) }.Select(Core.Csv.Cell)).Append("\r\n");
        }

        return sb.ToString();
    }

    public string Html(DateTimeOffset generated)
    {
        var j = registry.Jurisdictions[jurisdiction];
        var total = Total();
        var rows = Rows();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Safety early-warning report: {E(j.Name)}</title>
            <style>{Style}</style></head><body>
            <h1>Safety early-warning report: {E(j.Name)} ({E(jurisdiction)})</h1>
            <p>Period {Day(from)} to {Day(until)} (days from midnight China Standard Time); generated {generated.UtcDateTime:yyyy-MM-dd HH:mm}Z by RiskStream from the daily alarm-KPI and data-quality records.</p>
            <h2>The jurisdiction</h2>
            <p>Warnings raised <b>{total.Raised}</b> (busiest 10 minutes: {total.Peak10Min}; EEMUA 191 aims at about 1 per 10 minutes per operator position);
            chattering warnings (scenario × site) {total.Chattering}, chattering sensors {total.ChatteringSensors}; standing warnings {total.Standing}; overdue acknowledgements <span class="{(total.OverdueAcks > 0 ? "bad" : "")}">{total.OverdueAcks}</span>,
            overdue dispositions <span class="{(total.OverdueDispositions > 0 ? "bad" : "")}">{total.OverdueDispositions}</span>; dispositions {total.Disposed}, of them false alarms {total.FalseAlarms}.
            Data quality: access {P(total.Access)}, online {P(total.Online)}, intact {P(total.Intact)}.</p>
            """);
        sb.Append(Chart(rows));
        sb.Append("<h2>Enterprises</h2><table><thead><tr><th>enterprise</th><th>name</th><th>raised</th><th>peak /10 min</th><th>chattering</th><th>chattering sensors</th><th>standing</th><th>overdue ack.</th><th>overdue disp.</th><th>disposed</th><th>false alarms</th><th>median ack. (s)</th><th>access</th><th>online</th><th>intact</th></tr></thead><tbody>");
        foreach (var r in rows.OrderBy(r => r.Intact ?? 1).ThenByDescending(r => r.Raised))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(r.Id)}</td><td>{E(r.Name)}</td><td>{r.Raised}</td><td>{r.Peak10Min}</td><td>{r.Chattering}</td><td>{r.ChatteringSensors}</td><td>{r.Standing}</td><td class=\"{(r.OverdueAcks > 0 ? "bad" : "")}\">{r.OverdueAcks}</td><td class=\"{(r.OverdueDispositions > 0 ? "bad" : "")}\">{r.OverdueDispositions}</td><td>{r.Disposed}</td><td>{r.FalseAlarms}</td><td>{N(r.MedianAckSeconds)}</td><td>{P(r.Access)}</td><td>{P(r.Online)}</td><td class=\"{(r.Intact < 0.95 ? "bad" : "")}\">{P(r.Intact)}</td></tr>");
        }

        sb.Append("</tbody></table><p>Median acknowledgement time: the days' medians weighted by their counts (an approximation of the period's median). Intact below 95 % (a default target) in red.</p>");
        var worst = QualityDays("jurisdiction", jurisdiction).SelectMany(q => q.SensorFigures).GroupBy(f => (f.Site, f.Sensor)).Select(g => g.OrderBy(f => f.Intact).First()).OrderBy(f => f.Intact).Take(10).ToList();
        sb.Append("<h2>The worst sensors</h2><table><thead><tr><th>site</th><th>sensor</th><th>intact</th><th>online</th><th>mostly</th></tr></thead><tbody>");
        foreach (var f in worst)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(f.Site)}</td><td>{E(f.Sensor)}</td><td>{P(f.Intact)}</td><td>{P(f.Online)}</td><td>{E(f.Mostly.Wire())}</td></tr>");
        }

        sb.Append("</tbody></table><h2>Assistance agreements</h2><table><thead><tr><th>engaged by</th><th>enterprise</th><th>capability</th><th>basis</th><th>requested</th><th>accepted</th><th>declined</th><th>unanswered</th></tr></thead><tbody>");
        foreach (var a in Days("jurisdiction", jurisdiction).SelectMany(d => d.Assistance).GroupBy(a => (a.EngagedBy, a.Enterprise, a.Capability, a.Basis)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(a.Key.EngagedBy)}</td><td>{E(a.Key.Enterprise)}</td><td>{E(a.Key.Capability)}</td><td>{E(a.Key.Basis)}</td><td>{a.Sum(x => x.Requested)}</td><td>{a.Sum(x => x.Accepted)}</td><td>{a.Sum(x => x.Declined)}</td><td class=\"{(a.Sum(x => x.Unanswered) > 0 ? "bad" : "")}\">{a.Sum(x => x.Unanswered)}</td></tr>");
        }

        return sb.Append("</tbody></table></body></html>").ToString();
    }

    /// <summary>Warnings raised per enterprise, a bar chart as an embedded PNG.</summary>
    private static string Chart(IReadOnlyList<Row> rows)
    {
        if (rows.Count == 0)
        {
            return "";
        }

        var plot = new Plot();
        plot.Title("Warnings raised per enterprise");
        var bars = plot.Add.Bars(rows.Select(r => (double)r.Raised).ToArray());
        bars.Color = Colors.SteelBlue;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)i)], [.. rows.Select(r => r.Id)]);
        plot.Axes.Margins(bottom: 0);
        var png = plot.GetImageBytes(800, 300, ImageFormat.Png);
        return $"<img alt=\"Bar chart: warnings raised per enterprise\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string N(double? v) => v is { } x ? x.ToString("0.####", CultureInfo.InvariantCulture) : "";

    private static string P(double? v) => v is { } x ? x.ToString("0.0%", CultureInfo.InvariantCulture) : "–";

    private static string Day(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
