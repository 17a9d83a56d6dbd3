using System.Globalization;
using System.Text;
using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>
/// The history page as CSV (RFC 4180): one row per warning, its latest state. A cell that a spreadsheet would take for
/// a formula (=, +, -, @, tab, carriage return at its start) is prefixed with an apostrophe.
/// </summary>
internal static class HistoryCsv
{
    private static readonly string[] Header = ["id", "scenario", "level", "status", "site", "enterprise", "jurisdiction", "raised_at", "last_event_at", "resolved_at", "disposition", "disposed_by", "confirmed_by", "your_role", "your_status"];

    public static string Write(IEnumerable<WarningEvent> warnings, Party party)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Header).Append("\r\n");
        foreach (var e in warnings)
        {
            var mine = e.Responses?.FirstOrDefault(r => r.Party == party);
            string[] cells =
            [
                e.Id, e.Scenario, e.Level.Wire(), e.Status.Wire(), e.Site, e.Enterprise, e.Jurisdiction, Time(e.RaisedAt), Time(e.Time),
                e.ResolvedAt is { } r ? Time(r) : "", e.Disposition?.Reason.Wire() ?? "", e.Disposition is { } d ? $"{d.Party.Address()} {d.By}" : "",
                e.Disposition?.ConfirmedBy?.Address() ?? "", ResponseRules.RoleOf(e, party).Wire(), mine?.Status.Wire() ?? "",
            ];
            sb.AppendJoin(',', cells.Select(Core.Csv.Cell)).Append("\r\n");
        }

        return sb.ToString();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
