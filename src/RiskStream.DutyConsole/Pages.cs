using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>The console's pages, rendered on the server; every value from outside is HTML-encoded.</summary>
internal sealed class Pages(IAntiforgery antiforgery, RiskStream.Core.Registry.ParkRegistry? registry = null)
{
    private static readonly HtmlEncoder Enc = HtmlEncoder.Default;

    public string SignIn(HttpContext ctx, string? error) => Layout("Sign in", null, ctx, $"""
        <main class="narrow">
          <h1>RiskStream duty console</h1>
          {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
          <form method="post" action="/signin">
            {Csrf(ctx)}
            <label for="user">User</label>
            <input id="user" name="user" autocomplete="username" required maxlength="64">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
            <button type="submit">Sign in</button>
          </form>
        </main>
        """);

    /// <summary>A warning the party was never told of: indistinguishable from one that does not exist.</summary>
    public string NotFound(HttpContext ctx, Session session) => Layout("Not found", session, ctx, """
        <main><h1>No such warning</h1><p>There is no warning by that name for your party. <a href="/">All warnings</a></p></main>
        """);

    public string Board(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> warnings) => Layout("Warnings", session, ctx, $"""
        <main>
          <h1>Warnings of {E(session.Party.Address())}</h1>
          <p class="hint">Live: new warnings and every change appear here without reloading.</p>
          <table id="board" data-live="board">
            <caption>Open warnings, active first, most severe and newest first</caption>
            <thead><tr><th scope="col">Level</th><th scope="col">Status</th><th scope="col">Scenario</th><th scope="col">Site</th><th scope="col">Time</th><th scope="col">Your part</th><th scope="col">Why</th></tr></thead>
            <tbody id="board-rows">{BoardRows(warnings, session.Party)}</tbody>
          </table>
        </main>
        """);

    public static string BoardRows(IReadOnlyList<WarningEvent> warnings, Party? party = null)
    {
        if (warnings.Count == 0)
        {
            return "<tr><td colspan=\"7\">No open warnings.</td></tr>";
        }

        var sb = new StringBuilder();
        foreach (var e in warnings)
        {
            var mine = party is { } p ? e.Responses?.FirstOrDefault(r => r.Party == p) : null;
            sb.Append(CultureInfo.InvariantCulture, $"""
                <tr class="level-{e.Level.Wire()}" data-id="{E(e.Id)}">
                <td><span class="badge level-{e.Level.Wire()}">{E(e.Level.Wire())}</span></td>
                <td>{E(e.Status.Wire())}{(e.ResolvedAt is not null && e.Status != WarningStatus.Closed ? " (condition cleared)" : "")}</td>
                <td><a href="/w/{Uri.EscapeDataString(e.Id)}">{E(e.Title ?? e.Scenario)}</a></td>
                <td>{E(e.Site)}</td>
                <td>{Time(e.Time)}</td>
                <td>{(mine is null ? "" : E($"{mine.Role.Wire()}: {mine.Status.Wire()}"))}</td>
                <td>{E(Short(e.Reason))}</td>
                </tr>
                """);
        }

        return sb.ToString();
    }

    public string History(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> warnings)
    {
        var q = ctx.Request.Query;
        var filtered = Filtered(q, warnings);
        return Layout("History", session, ctx, $"""
            <main>
              <h1>History of {E(session.Party.Address())}</h1>
              <form method="get" action="/history" class="filters">
                <label for="f-site">Site</label><input id="f-site" name="site" value="{E(q["site"].ToString())}" maxlength="64">
                <label for="f-scenario">Scenario</label><input id="f-scenario" name="scenario" value="{E(q["scenario"].ToString())}" maxlength="64">
                <label for="f-level">Level</label><input id="f-level" name="level" value="{E(q["level"].ToString())}" maxlength="16">
                <label for="f-disposition">Disposition</label><input id="f-disposition" name="disposition" value="{E(q["disposition"].ToString())}" maxlength="32">
                <button type="submit">Filter</button>
              </form>
              <p><a id="csv" href="/history.csv{E(ctx.Request.QueryString.Value ?? "")}">Download these as CSV</a></p>
              <table><caption>{filtered.Count} warnings</caption>
              <thead><tr><th scope="col">Level</th><th scope="col">Status</th><th scope="col">Scenario</th><th scope="col">Site</th><th scope="col">Time</th><th scope="col">Your part</th><th scope="col">Why</th></tr></thead>
              <tbody>{BoardRows(filtered, session.Party)}</tbody></table>
            </main>
            """);
    }

    public string Warning(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> history, string sent, DateTimeOffset now)
    {
        var last = history[^1];
        var notice = WireNames.TryParseWire<ResponseKind>(sent, out var kind) ? $"<p class=\"notice\" role=\"status\">Your {E(kind.Wire())} was sent; the warning below changes once the engine has applied it.</p>" : "";
        return Layout(last.Title ?? last.Scenario, session, ctx, $"""
            <main data-live="warning" data-id="{E(last.Id)}">
              <p><a href="/">← all warnings</a></p>
              {notice}
              <div id="panel">{WarningPanel(ctx, session, history, now)}</div>
            </main>
            """);
    }

    public string WarningPanel(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> history, DateTimeOffset now)
    {
        var e = history[^1];
        var role = ResponseRules.RoleOf(e, session.Party);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            <h1><span class="badge level-{e.Level.Wire()}">{E(e.Level.Wire())}</span> {E(e.Title ?? e.Scenario)} at {E(e.Site)}</h1>
            <p class="status">Status <strong id="status">{E(e.Status.Wire())}</strong> · raised {Time(e.RaisedAt)} · enterprise {E(e.Enterprise)} · jurisdiction {E(e.Jurisdiction)} · your party is <strong>{E(role.Wire())}</strong></p>
            <p class="reason">{E(e.Reason ?? "")}</p>
            """);
        Responses(sb, e);
        Evidence(sb, e);
        if (registry is not null)
        {
            sb.Append("<h2>Where</h2>").Append(ParkMap.Svg(registry, e));
        }

        Assistance(sb, e);
        if (e.Disposition is { } d)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>Disposition</h2><p id=\"disposition\">{E(d.Reason.Wire())} by {E(d.Party.Address())} ({E(d.By)}) at {Time(d.Time)}{(d.ConfirmedBy is { } c ? $", confirmed by {E(c.Address())} ({E(d.ConfirmedByName ?? "")})" : "")}: {E(d.Text ?? "")}</p>");
        }
        else if (e.DisposeDueAt is { } due)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>Disposition due by {Time(due)}{(e.DisposeOverdue ? " — <strong>overdue</strong>" : "")}.</p>");
        }

        if (e.Status != WarningStatus.Closed && session.Role == ConsoleRole.Operator)
        {
            Actions(sb, ctx, e, role, session.Party);
        }

        Trail(sb, e);
        sb.Append("<h2>History</h2><table><caption>Every event of this warning</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Time</th><th scope=\"col\">Status</th><th scope=\"col\">Level</th><th scope=\"col\">Why</th></tr></thead><tbody>");
        foreach (var h in history.Reverse())
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{h.Seq}</td><td>{Time(h.Time)}</td><td>{E(h.Status.Wire())}</td><td>{E(h.Level.Wire())}</td><td>{E(h.Reason ?? "")}</td></tr>");
        }

        sb.Append("</tbody></table>");
        _ = now;
        return sb.ToString();
    }

    private static void Responses(StringBuilder sb, WarningEvent e)
    {
        sb.Append("<h2>Who has answered</h2><table id=\"responses\"><caption>Each party's response and deadline</caption><thead><tr><th scope=\"col\">Party</th><th scope=\"col\">Role</th><th scope=\"col\">Status</th><th scope=\"col\">Notified</th><th scope=\"col\">Acknowledged or due</th></tr></thead><tbody>");
        foreach (var r in e.Responses ?? [])
        {
            var when = r.AcknowledgedAt is { } ack ? Time(ack) : r.DueAt is { } due ? "due " + Time(due) : "";
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-party=\"{E(r.Party.Address())}\"><td>{E(r.Party.Address())}</td><td>{E(r.Role.Wire())}</td><td class=\"response-{E(r.Status.Wire())}\">{E(r.Status.Wire())}</td><td>{Time(r.NotifiedAt)}</td><td>{when}</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    private static void Evidence(StringBuilder sb, WarningEvent e)
    {
        if (e.Evidence.Count > 0)
        {
            sb.Append("<h2>Evidence</h2><table><caption>Sensors taking part</caption><thead><tr><th scope=\"col\">Sensor</th><th scope=\"col\">Value</th><th scope=\"col\">Alarm</th><th scope=\"col\">Risk</th><th scope=\"col\">Time</th></tr></thead><tbody>");
            foreach (var x in e.Evidence)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(x.Sensor)}</td><td>{x.Value:0.##} {E(x.Unit)}</td><td>{E(x.Alarm.Wire())}</td><td>{x.Risk:0.00}</td><td>{Time(x.Ts)}</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        foreach (var i in e.Identifications ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>Identified {E(i.Substance)} ({E(string.Join("/", i.HazardClasses ?? [i.HazardClass]))}, score {i.Score:0.00}) in sample {E(i.Sample)} at {Time(i.Ts)}</p>");
        }

        foreach (var s in e.Shelved ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>Shelved: {E(s.Sensor)} until {Time(s.Until)} by {E(s.Party.Address())} ({E(s.By)}): {E(s.Reason)}</p>");
        }
    }

    private static void Assistance(StringBuilder sb, WarningEvent e)
    {
        if (e.Assistance is not { Count: > 0 } requests)
        {
            return;
        }

        sb.Append("<h2>Assistance</h2><table><caption>Requests to engaged enterprises</caption><thead><tr><th scope=\"col\">Capability</th><th scope=\"col\">Enterprise</th><th scope=\"col\">Status</th><th scope=\"col\">ETA or answer due</th></tr></thead><tbody>");
        foreach (var a in requests)
        {
            var when = a.Eta is { } eta ? "ETA " + Time(eta) : a.AnswerDueAt is { } due && a.Status == AssistanceStatus.Requested ? "answer due " + Time(due) : "";
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(a.Capability)}</td><td>{E(a.Enterprise)}</td><td>{E(a.Status?.Wire() ?? "requested")}</td><td>{when}</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    private static void Trail(StringBuilder sb, WarningEvent e)
    {
        if (e.Trail is not { Count: > 0 } trail)
        {
            return;
        }

        sb.Append("<h2>Audit trail</h2><table id=\"trail\"><caption>Who did what, when, under which role</caption><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Party</th><th scope=\"col\">Role</th><th scope=\"col\">By</th><th scope=\"col\">Action</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
        foreach (var t in trail.Reverse())
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(t.Time)}</td><td>{E(t.Party.Address())}</td><td>{E(t.Role.Wire())}</td><td>{E(t.By)}</td><td>{E(t.Action.Wire())}</td><td>{E(t.Detail)}</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    /// <summary>The forms of the answers the party's role permits.</summary>
    private void Actions(StringBuilder sb, HttpContext ctx, WarningEvent e, ResponseRole role, Party party)
    {
        var action = $"/w/{Uri.EscapeDataString(e.Id)}/answer";
        var csrf = Csrf(ctx);
        sb.Append("<h2>Your answer</h2><div class=\"actions\">");
        if (ResponseRules.Permitted(ResponseKind.Acknowledge, role))
        {
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-acknowledge">{csrf}<input type="hidden" name="kind" value="acknowledge">
                <label for="ack-text">Acknowledge, with what you are doing</label><input id="ack-text" name="text" maxlength="2000">
                <button type="submit" id="do-acknowledge">Acknowledge</button></form>
                """);
        }

        sb.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="{action}" id="form-receipt">{csrf}<input type="hidden" name="kind" value="receipt">
            <button type="submit" id="do-receipt">Confirm receipt</button></form>
            """);
        if (ResponseRules.Permitted(ResponseKind.Dispose, role))
        {
            var options = string.Concat(WireNames.All<DispositionReason>().Select(r => $"<option value=\"{r}\">{r.Replace('_', ' ')}</option>"));
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-dispose">{csrf}<input type="hidden" name="kind" value="dispose">
                <label for="disposition">What happened</label><select id="disposition" name="disposition" required><option value="">choose…</option>{options}</select>
                <label for="dispose-text">Details and actions taken</label><input id="dispose-text" name="text" maxlength="2000">
                <button type="submit" id="do-dispose">{(role == ResponseRole.Regulator ? "Confirm or close" : "Dispose")}</button></form>
                """);
        }

        if (ResponseRules.Permitted(ResponseKind.Shelve, role) && e.ResolvedAt is null && e.Evidence.Count > 0)
        {
            var sensors = string.Concat(e.Evidence.Select(x => $"<option value=\"{E(x.Sensor)}\">{E(x.Sensor)}</option>"));
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-shelve">{csrf}<input type="hidden" name="kind" value="shelve">
                <label for="shelve-sensor">Shelve sensor</label><select id="shelve-sensor" name="sensor">{sensors}</select>
                <label for="shelve-minutes">For</label><select id="shelve-minutes" name="minutes"><option value="30">30 min</option><option value="60">1 h</option><option value="240">4 h</option><option value="480">8 h</option></select>
                <label for="shelve-text">Reason</label><input id="shelve-text" name="text" required maxlength="2000">
                <button type="submit">Shelve</button></form>
                """);
        }

        foreach (var s in ResponseRules.Permitted(ResponseKind.Unshelve, role) ? e.Shelved ?? [] : [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}">{csrf}<input type="hidden" name="kind" value="unshelve"><input type="hidden" name="sensor" value="{E(s.Sensor)}">
                <button type="submit">Unshelve {E(s.Sensor)}</button></form>
                """);
        }

        foreach (var a in ResponseRules.Permitted(ResponseKind.Assistance, role) ? e.Assistance?.Where(a => a.Enterprise == party.Id && a.Status is AssistanceStatus.Requested or AssistanceStatus.Accepted) ?? [] : [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-assistance">{csrf}<input type="hidden" name="kind" value="assistance"><input type="hidden" name="capability" value="{E(a.Capability)}">
                <fieldset><legend>Assistance requested: {E(a.Capability)}</legend>
                <label><input type="radio" name="answer" value="accept" checked> accept</label>
                <label><input type="radio" name="answer" value="decline"> decline</label>
                <label for="eta">ETA in minutes</label><input id="eta" name="eta" inputmode="numeric" pattern="[0-9]*" maxlength="4">
                <label for="assist-text">Note (why, if declining)</label><input id="assist-text" name="text" maxlength="2000">
                <button type="submit">Answer</button></fieldset></form>
                """);
        }

        sb.Append("</div>");
    }

    private string Layout(string title, Session? session, HttpContext ctx, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} · RiskStream</title>
        <link rel="stylesheet" href="/assets/console.css">
        <script src="/assets/console.js" defer></script></head>
        <body>
        {(session is null ? "" : $"""
            <header><nav aria-label="main"><a href="/">Warnings</a> <a href="/history">History</a></nav>
            <span class="who">{E(session.DisplayName)} · {E(session.Party.Address())} · {E(session.Role.Wire())}</span>
            <form method="post" action="/signout">{Csrf(ctx)}<button type="submit">Sign out</button></form></header>
            """)}
        {body}
        </body></html>
        """;

    private string Csrf(HttpContext ctx)
    {
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken ?? "")}\">";
    }

    /// <summary>The warnings the history filters (site, scenario, level, disposition) keep.</summary>
    public static List<WarningEvent> Filtered(IQueryCollection q, IEnumerable<WarningEvent> warnings) =>
        warnings.Where(e => Matches(q["site"], e.Site) && Matches(q["scenario"], e.Scenario) && Matches(q["level"], e.Level.Wire()) && Matches(q["disposition"], e.Disposition?.Reason.Wire() ?? "")).ToList();

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues filter, string value) =>
        filter.Count == 0 || string.IsNullOrWhiteSpace(filter.ToString()) || value.Contains(filter.ToString().Trim(), StringComparison.OrdinalIgnoreCase);

    private static string E(string s) => Enc.Encode(s);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Short(string? s) => s is null ? "" : s.Length > 140 ? s[..140] + "…" : s;
}
