using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.DutyConsole;

/// <summary>
/// The console's pages, rendered on the server in the reader's language (<see cref="Texts"/>); every value from
/// outside is HTML-encoded. The warning's own page is in <c>WarningPage.cs</c>.
/// </summary>
internal sealed partial class Pages(IAntiforgery antiforgery, ParkRegistry? registry = null, ScenarioSet? scenarios = null, EvidenceFeed? evidence = null, string? singleSignOn = null)
{
    private static readonly HtmlEncoder Enc = HtmlEncoder.Default;

    public string SignIn(HttpContext ctx, string? error)
    {
        var t = Texts.Of(ctx);
        var sso = singleSignOn is null ? "" : $"<p><a class=\"button\" id=\"sso\" href=\"/signin/oidc\">{E(t["Sign in with your organisation"])} ({E(singleSignOn)})</a></p>";
        return Layout(t["Sign in"], null, ctx, $"""
            <main class="narrow">
              <h1>{E(t["RiskStream duty console"])}</h1>
              {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(t[error])}</p>")}
              {sso}
              <form method="post" action="/signin">
                {Csrf(ctx)}
                <label for="user">{E(t["User"])}</label>
                <input id="user" name="user" autocomplete="username" required maxlength="64">
                <label for="password">{E(t["Password"])}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
                <button type="submit">{E(t["Sign in"])}</button>
              </form>
            </main>
            """);
    }

    /// <summary>A warning the party was never told of: indistinguishable from one that does not exist.</summary>
    public string NotFound(HttpContext ctx, Session session)
    {
        var t = Texts.Of(ctx);
        return Layout(t["Not found"], session, ctx, $"""
            <main><h1>{E(t["No such warning"])}</h1><p>{E(t["There is no warning by that name for your party."])} <a href="/">{E(t["All warnings"])}</a></p></main>
            """);
    }

    public string Board(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> warnings)
    {
        var t = Texts.Of(ctx);
        return Layout(t["Warnings"], session, ctx, $"""
            <main>
              <h1>{E(t.Format("Warnings of {0}", session.Party.Address()))}</h1>
              <p class="hint">{E(t["Live: new warnings and every change appear here without reloading."])}</p>
              <table id="board" data-live="board">
                <caption>{E(t["Open warnings, active first, most severe and newest first"])}</caption>
                {Head(t)}
                <tbody id="board-rows">{BoardRows(t, warnings, session.Party)}</tbody>
              </table>
            </main>
            """);
    }

    public string BoardRows(Texts t, IReadOnlyList<WarningEvent> warnings, Party? party = null)
    {
        if (warnings.Count == 0)
        {
            return $"<tr><td colspan=\"7\">{E(t["No open warnings."])}</td></tr>";
        }

        var sb = new StringBuilder();
        foreach (var e in warnings)
        {
            var mine = party is { } p ? e.Responses?.FirstOrDefault(r => r.Party == p) : null;
            sb.Append(CultureInfo.InvariantCulture, $"""
                <tr class="level-{e.Level.Wire()}" data-id="{E(e.Id)}">
                <td><span class="badge level-{e.Level.Wire()}">{E(t.Word(e.Level.Wire()))}</span></td>
                <td>{E(t.Word(e.Status.Wire()))}{(e.ResolvedAt is not null && e.Status != WarningStatus.Closed ? $" ({E(t["condition cleared"])})" : "")}</td>
                <td><a href="/w/{Uri.EscapeDataString(e.Id)}">{E(Title(e, t))}</a></td>
                <td>{E(e.Site)}</td>
                <td>{Time(e.Time)}</td>
                <td>{(mine is null ? "" : E($"{t.Word(mine.Role.Wire())}: {t.Word(mine.Status.Wire())}"))}</td>
                <td>{E(Short(e.Reason))}</td>
                </tr>
                """);
        }

        return sb.ToString();
    }

    public string History(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> warnings)
    {
        var t = Texts.Of(ctx);
        var q = ctx.Request.Query;
        var filtered = Filtered(q, warnings);
        string Field(string name, string label, int max, string type = "text") =>
            $"<label for=\"f-{name}\">{E(t[label])}</label><input id=\"f-{name}\" name=\"{name}\" type=\"{type}\" value=\"{E(q[name].ToString())}\" maxlength=\"{max}\">";
        return Layout(t["History"], session, ctx, $"""
            <main>
              <h1>{E(t.Format("History of {0}", session.Party.Address()))}</h1>
              <form method="get" action="/history" class="filters">
                {Field("site", "Site", 64)}{Field("scenario", "Scenario", 64)}{Field("level", "Level", 16)}{Field("disposition", "Disposition", 32)}
                {Field("from", "From (UTC)", 16, "datetime-local")}{Field("until", "Until (UTC)", 16, "datetime-local")}
                <button type="submit">{E(t["Filter"])}</button>
              </form>
              <p><a id="csv" href="/history.csv{E(ctx.Request.QueryString.Value ?? "")}">{E(t["Download these as CSV"])}</a></p>
              <table><caption>{E(t.Format("{0} warnings", filtered.Count))}</caption>
              {Head(t)}
              <tbody>{BoardRows(t, filtered, session.Party)}</tbody></table>
            </main>
            """);
    }

    /// <summary>The warnings the history filters keep: site, scenario, level, disposition (parts of the wire value or of the reader's words), raised within from–until (UTC).</summary>
    public static List<WarningEvent> Filtered(IQueryCollection q, IEnumerable<WarningEvent> warnings)
    {
        var from = Instant(q["from"]);
        var until = Instant(q["until"]);
        return warnings.Where(e => Matches(q["site"], e.Site) && Matches(q["scenario"], e.Scenario, e.Title) && Matches(q["level"], e.Level.Wire(), Texts.Chinese.Word(e.Level.Wire()))
            && Matches(q["disposition"], e.Disposition?.Reason.Wire() ?? "", e.Disposition is { } d ? Texts.Chinese.Word(d.Reason.Wire()) : null)
            && (from is null || e.RaisedAt >= from) && (until is null || e.RaisedAt <= until)).ToList();
    }

    private static DateTimeOffset? Instant(Microsoft.Extensions.Primitives.StringValues value) =>
        DateTime.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues filter, string value, string? alternative = null)
    {
        var f = filter.ToString().Trim();
        return f.Length == 0 || value.Contains(f, StringComparison.OrdinalIgnoreCase) || (alternative?.Contains(f, StringComparison.OrdinalIgnoreCase) ?? false);
    }

    private static readonly string[] Columns = ["Level", "Status", "Scenario", "Site", "Time", "Your part", "Why"];

    private static string Head(Texts t) => $"<thead><tr>{string.Concat(Columns.Select(h => $"<th scope=\"col\">{E(t[h])}</th>"))}</tr></thead>";

    /// <summary>The scenario's title in the reader's language (from its file), else as the event carries it.</summary>
    private string Title(WarningEvent e, Texts t) =>
        scenarios is not null && scenarios.IndexOf(e.Scenario) is var i and >= 0 ? scenarios.Scenarios[i].TitleIn(t.Language) : e.Title ?? e.Scenario;

    private ScenarioDefinition? Scenario(WarningEvent e) => scenarios is not null && scenarios.IndexOf(e.Scenario) is var i and >= 0 ? scenarios.Scenarios[i] : null;

    private string Layout(string title, Session? session, HttpContext ctx, string body)
    {
        var t = Texts.Of(ctx);
        var back = Uri.EscapeDataString(ctx.Request.Path.Value + ctx.Request.QueryString.Value);
        var other = t.IsChinese ? $"<a href=\"/lang/en?back={back}\" lang=\"en\" id=\"lang\">English</a>" : $"<a href=\"/lang/zh-CN?back={back}\" lang=\"zh-CN\" id=\"lang\">中文</a>";
        return $"""
            <!DOCTYPE html>
            <html lang="{(t.IsChinese ? "zh-CN" : "en")}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · RiskStream</title>
            <link rel="stylesheet" href="/assets/console.css">
            <script src="/assets/console.js" defer></script></head>
            <body>
            <header><nav aria-label="main">{(session is null ? "" : $"<a href=\"/\">{E(t["Warnings"])}</a> <a href=\"/history\">{E(t["History"])}</a>")}</nav>
            {(session is null ? "" : $"<span class=\"who\">{E(session.DisplayName)} · {E(session.Party.Address())} · {E(t.Word(session.Role.Wire()))}</span>")}
            <span class="lang" aria-label="{E(t["Language"])}">{other}</span>
            {(session is null ? "" : $"<form method=\"post\" action=\"/signout\">{Csrf(ctx)}<button type=\"submit\">{E(t["Sign out"])}</button></form>")}</header>
            {body}
            </body></html>
            """;
    }

    private string Csrf(HttpContext ctx)
    {
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken ?? "")}\">";
    }

    private static string E(string s) => Enc.Encode(s);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Short(string? s) => s is null ? "" : s.Length > 140 ? s[..140] + "…" : s;
}
