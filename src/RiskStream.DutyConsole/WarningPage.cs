using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>A warning's page: its state, what the party is asked to do, evidence with charts, the map, the answers.</summary>
internal sealed partial class Pages
{
    public string Warning(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> history, string sent, DateTimeOffset now)
    {
        var t = Texts.Of(ctx);
        var last = history[^1];
        var notice = WireNames.TryParseWire<ResponseKind>(sent, out var kind) ? $"<p class=\"notice\" role=\"status\">{E(t.Format("Your {0} was sent; the warning below changes once the engine has applied it.", t.Word(kind.Wire())))}</p>" : "";
        return Layout(Title(last, t), session, ctx, $"""
            <main data-live="warning" data-id="{E(last.Id)}">
              <p><a href="/">{E(t["← all warnings"])}</a></p>
              {notice}
              <div id="panel">{WarningPanel(ctx, session, history, now)}</div>
            </main>
            """);
    }

    public string WarningPanel(HttpContext ctx, Session session, IReadOnlyList<WarningEvent> history, DateTimeOffset now)
    {
        var t = Texts.Of(ctx);
        var e = history[^1];
        var role = ResponseRules.RoleOf(e, session.Party);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            <h1><span class="badge level-{e.Level.Wire()}">{E(t.Word(e.Level.Wire()))}</span> {E(t.Format("{0} at {1}", Title(e, t), e.Site))}</h1>
            <p class="status">{t.Format("Status {0} · raised {1} · enterprise {2} · jurisdiction {3} · your party is {4}", $"<strong id=\"status\">{E(t.Word(e.Status.Wire()))}</strong>", Time(e.RaisedAt), E(e.Enterprise), E(e.Jurisdiction), $"<strong>{E(t.Word(role.Wire()))}</strong>")}</p>
            <p class="reason">{E(e.Reason ?? "")}</p>
            """);
        Asked(sb, t, e, session.Party);
        Responses(sb, t, e);
        Evidence(sb, t, e, now);
        if (registry is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Where"])}</h2><p class=\"hint\">{E(t["The site of the warning in red, the sites of the enterprises it reaches in orange, the rest of the park in grey; the bar is 1 km."])}</p>").Append(ParkMap.Svg(registry, e));
        }

        Assistance(sb, t, e);
        if (e.Disposition is { } d)
        {
            var confirmed = d.ConfirmedBy is { } c ? E(t.Format(", confirmed by {0} ({1})", c.Address(), d.ConfirmedByName ?? "")) : "";
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Disposition"])}</h2><p id=\"disposition\">{E(t.Format("{0} by {1} ({2}) at {3}", t.Word(d.Reason.Wire()), d.Party.Address(), d.By, Time(d.Time)))}{confirmed}: {E(d.Text ?? "")}</p>");
        }
        else if (e.DisposeDueAt is { } due)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>{E(t.Format("Disposition due by {0}", Time(due)))}{(e.DisposeOverdue ? $" — <strong>{E(t["overdue"])}</strong>" : "")}.</p>");
        }

        if (e.Status != WarningStatus.Closed && session.Role == ConsoleRole.Operator)
        {
            Actions(sb, ctx, t, e, role, session.Party);
        }

        Trail(sb, t, e);
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["History"])}</h2><table><caption>{E(t["Every event of this warning"])}</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">{E(t["Time"])}</th><th scope=\"col\">{E(t["Status"])}</th><th scope=\"col\">{E(t["Level"])}</th><th scope=\"col\">{E(t["Why"])}</th></tr></thead><tbody>");
        foreach (var h in history.Reverse())
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{h.Seq}</td><td>{Time(h.Time)}</td><td>{E(t.Word(h.Status.Wire()))}</td><td>{E(t.Word(h.Level.Wire()))}</td><td>{E(h.Reason ?? "")}</td></tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>The actions the scenario asks of this party (its audience entry), in the reader's language.</summary>
    private void Asked(StringBuilder sb, Texts t, WarningEvent e, Party party)
    {
        var actions = e.Audiences.FirstOrDefault(a => a.Type == party.Type && a.Id == party.Id)?.Actions ?? [];
        if (actions.Count == 0)
        {
            return;
        }

        var scenario = Scenario(e);
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["What your party is asked to do"])}</h2><ul id=\"asked\">");
        foreach (var a in actions)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(scenario?.ActionIn(a, t.Language) ?? a)}</li>");
        }

        sb.Append("</ul>");
    }

    private static void Responses(StringBuilder sb, Texts t, WarningEvent e)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Who has answered"])}</h2><table id=\"responses\"><caption>{E(t["Each party's response and deadline"])}</caption><thead><tr><th scope=\"col\">{E(t["Party"])}</th><th scope=\"col\">{E(t["Role"])}</th><th scope=\"col\">{E(t["Status"])}</th><th scope=\"col\">{E(t["Notified"])}</th><th scope=\"col\">{E(t["Acknowledged or due"])}</th></tr></thead><tbody>");
        foreach (var r in e.Responses ?? [])
        {
            var when = r.AcknowledgedAt is { } ack ? Time(ack) : r.DueAt is { } due ? E(t.Format("due {0}", Time(due))) : "";
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-party=\"{E(r.Party.Address())}\"><td>{E(r.Party.Address())}</td><td>{E(t.Word(r.Role.Wire()))}</td><td class=\"response-{E(r.Status.Wire())}\" data-status=\"{E(r.Status.Wire())}\">{E(t.Word(r.Status.Wire()))}</td><td>{Time(r.NotifiedAt)}</td><td>{when}</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    private void Evidence(StringBuilder sb, Texts t, WarningEvent e, DateTimeOffset now)
    {
        if (e.Evidence.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Evidence"])}</h2><table><caption>{E(t["Sensors taking part"])}</caption><thead><tr><th scope=\"col\">{E(t["Sensor"])}</th><th scope=\"col\">{E(t["Value"])}</th><th scope=\"col\">{E(t["Alarm"])}</th><th scope=\"col\">{E(t["Risk"])}</th><th scope=\"col\">{E(t["Time"])}</th></tr></thead><tbody>");
            foreach (var x in e.Evidence)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(x.Sensor)}</td><td>{x.Value:0.##} {E(x.Unit)}</td><td>{E(t.Word(x.Alarm.Wire()))}</td><td>{x.Risk:0.00}</td><td>{Time(x.Ts)}</td></tr>");
            }

            sb.Append("</tbody></table>");
            Readings(sb, t, e, now);
        }

        foreach (var i in e.Identifications ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>{E(t.Format("Identified {0} ({1}, score {2}) in sample {3} at {4}", i.Substance, string.Join("/", i.HazardClasses ?? [i.HazardClass]), i.Score.ToString("0.00", CultureInfo.InvariantCulture), i.Sample, Time(i.Ts)))}</p>");
            if (evidence?.Spectrum(e.Site, i.Sample) is { } spectrum)
            {
                var label = t.Format("Raman spectrum of sample {0} ({1} nm laser); its strongest bands are marked.", i.Sample, spectrum.Message.LaserNm.ToString("0", CultureInfo.InvariantCulture));
                sb.Append(CultureInfo.InvariantCulture, $"<figure>{Charts.Spectrum("spectrum-" + Slug(i.Sample), label, spectrum.Wavenumbers, spectrum.Intensities)}<figcaption>{E(label)}</figcaption></figure>");
            }
            else if (evidence is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"hint\">{E(t.Format("The spectrum of sample {0} is not held by the console (older than what it keeps).", i.Sample))}</p>");
            }
        }

        foreach (var s in e.Shelved ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>{E(t.Format("Shelved: {0} until {1} by {2} ({3}): {4}", s.Sensor, Time(s.Until), s.Party.Address(), s.By, s.Reason))}</p>");
        }
    }

    /// <summary>A chart of each evidence sensor's last 30 minutes, against its setpoints, with the raise marked.</summary>
    private void Readings(StringBuilder sb, Texts t, WarningEvent e, DateTimeOffset now)
    {
        // Only while the warning is open, and only up to its resolve: being told of one warning is no standing view of
        // another enterprise's site.
        if (evidence is null || registry is null || e.Status == WarningStatus.Closed || !registry.Sites.TryGetValue(e.Site, out var site))
        {
            return;
        }

        var until = e.ResolvedAt is { } resolved && resolved < now ? resolved : now;

        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Readings"])}</h2>");
        foreach (var x in e.Evidence.DistinctBy(x => x.Sensor).Take(6))
        {
            var points = evidence.Readings(e.Site, x.Sensor).Where(p => p.Ts <= until).ToList();
            if (points.Count == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"hint\">{E(t.Format("No readings of {0} in the last 30 minutes reached the console.", x.Sensor))}</p>");
                continue;
            }

            var setpoints = site.Sensors.FirstOrDefault(s => s.Id == x.Sensor)?.Setpoints;
            var label = t.Format("The last 30 minutes of {0} ({1}); dashed: first- and second-level alarm setpoints; the line marks the raise.", x.Sensor, x.Unit);
            sb.Append(CultureInfo.InvariantCulture, $"<figure>{Charts.Readings("chart-" + Slug(x.Sensor), label, points, setpoints?.FirstHigh, setpoints?.SecondHigh, e.RaisedAt, until - EvidenceFeed.Span, until)}<figcaption>{E(label)}</figcaption></figure>");
        }
    }

    /// <summary>What the enterprise is asked, in the reader's language when the scenario file translates it.</summary>
    private string Request(WarningEvent e, AssistanceRequest a, Texts t) =>
        Scenario(e) is { } s && a.Request == s.AssistanceRequest && s.Translations.TryGetValue(t.Language, out var tr) && tr.AssistanceRequest is { } translated ? translated : a.Request;

    private void Assistance(StringBuilder sb, Texts t, WarningEvent e)
    {
        if (e.Assistance is not { Count: > 0 } requests)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Assistance"])}</h2><table><caption>{E(t["Requests to engaged enterprises"])}</caption><thead><tr><th scope=\"col\">{E(t["Capability"])}</th><th scope=\"col\">{E(t["Enterprise"])}</th><th scope=\"col\">{E(t["Request"])}</th><th scope=\"col\">{E(t["Status"])}</th><th scope=\"col\">ETA</th></tr></thead><tbody>");
        foreach (var a in requests)
        {
            var when = a.Eta is { } eta ? t.Format("ETA {0}", Time(eta)) : a.AnswerDueAt is { } due && a.Status == AssistanceStatus.Requested ? t.Format("answer due {0}", Time(due)) : "";
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(a.Capability)}</td><td>{E(a.Enterprise)}</td><td>{E(Request(e, a, t))}</td><td>{E(t.Word(a.Status?.Wire() ?? "requested"))}</td><td>{E(when)}</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    private static void Trail(StringBuilder sb, Texts t, WarningEvent e)
    {
        if (e.Trail is not { Count: > 0 } trail)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Audit trail"])}</h2><table id=\"trail\"><caption>{E(t["Who did what, when, under which role"])}</caption><thead><tr><th scope=\"col\">{E(t["Time"])}</th><th scope=\"col\">{E(t["Party"])}</th><th scope=\"col\">{E(t["Role"])}</th><th scope=\"col\">{E(t["By"])}</th><th scope=\"col\">{E(t["Action"])}</th><th scope=\"col\">{E(t["Detail"])}</th></tr></thead><tbody>");
        foreach (var x in trail.Reverse())
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(x.Time)}</td><td>{E(x.Party.Address())}</td><td>{E(t.Word(x.Role.Wire()))}</td><td>{E(x.By)}</td><td>{E(t.Word(x.Action.Wire()))}</td><td>{E(x.Detail)}</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    /// <summary>The forms of the answers the party's role permits.</summary>
    private void Actions(StringBuilder sb, HttpContext ctx, Texts t, WarningEvent e, ResponseRole role, Party party)
    {
        var action = $"/w/{Uri.EscapeDataString(e.Id)}/answer";
        var csrf = Csrf(ctx);
        sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Your answer"])}</h2><div class=\"actions\">");
        if (ResponseRules.Permitted(ResponseKind.Acknowledge, role))
        {
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-acknowledge">{csrf}<input type="hidden" name="kind" value="acknowledge">
                <label for="ack-text">{E(t["Acknowledge, with what you are doing"])}</label><input id="ack-text" name="text" maxlength="2000">
                <button type="submit" id="do-acknowledge">{E(t["Acknowledge"])}</button></form>
                """);
        }

        sb.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="{action}" id="form-receipt">{csrf}<input type="hidden" name="kind" value="receipt">
            <button type="submit" id="do-receipt">{E(t["Confirm receipt"])}</button></form>
            """);
        if (ResponseRules.Permitted(ResponseKind.Dispose, role))
        {
            var options = string.Concat(WireNames.All<DispositionReason>().Select(r => $"<option value=\"{r}\">{E(t.Word(r))}</option>"));
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-dispose">{csrf}<input type="hidden" name="kind" value="dispose">
                <label for="disposition">{E(t["What happened"])}</label><select id="disposition" name="disposition" required><option value="">{E(t["choose…"])}</option>{options}</select>
                <label for="dispose-text">{E(t["Details and actions taken"])}</label><input id="dispose-text" name="text" maxlength="2000">
                <button type="submit" id="do-dispose">{E(t[role == ResponseRole.Regulator ? "Confirm or close" : "Dispose"])}</button></form>
                """);
        }

        if (ResponseRules.Permitted(ResponseKind.Shelve, role) && e.ResolvedAt is null && e.Evidence.Count > 0)
        {
            var sensors = string.Concat(e.Evidence.Select(x => $"<option value=\"{E(x.Sensor)}\">{E(x.Sensor)}</option>"));
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-shelve">{csrf}<input type="hidden" name="kind" value="shelve">
                <label for="shelve-sensor">{E(t["Shelve sensor"])}</label><select id="shelve-sensor" name="sensor">{sensors}</select>
                <label for="shelve-minutes">{E(t["For"])}</label><select id="shelve-minutes" name="minutes"><option value="30">30 min</option><option value="60">1 h</option><option value="240">4 h</option><option value="480">8 h</option></select>
                <label for="shelve-text">{E(t["Reason"])}</label><input id="shelve-text" name="text" required maxlength="2000">
                <button type="submit">{E(t["Shelve"])}</button></form>
                """);
        }

        foreach (var s in ResponseRules.Permitted(ResponseKind.Unshelve, role) ? e.Shelved ?? [] : [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}">{csrf}<input type="hidden" name="kind" value="unshelve"><input type="hidden" name="sensor" value="{E(s.Sensor)}">
                <button type="submit">{E(t.Format("Unshelve {0}", s.Sensor))}</button></form>
                """);
        }

        foreach (var a in ResponseRules.Permitted(ResponseKind.Assistance, role) ? e.Assistance?.Where(a => a.Enterprise == party.Id && a.Status is AssistanceStatus.Requested or AssistanceStatus.Accepted) ?? [] : [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" id="form-assistance">{csrf}<input type="hidden" name="kind" value="assistance"><input type="hidden" name="capability" value="{E(a.Capability)}">
                <fieldset><legend>{E(t.Format("Assistance requested: {0}", a.Capability))}</legend>
                <label><input type="radio" name="answer" value="accept" checked> {E(t["accept"])}</label>
                <label><input type="radio" name="answer" value="decline"> {E(t["decline"])}</label>
                <label for="eta">{E(t["ETA in minutes"])}</label><input id="eta" name="eta" inputmode="numeric" pattern="[0-9]*" maxlength="4">
                <label for="assist-text">{E(t["Note (why, if declining)"])}</label><input id="assist-text" name="text" maxlength="2000">
                <button type="submit">{E(t["Answer"])}</button></fieldset></form>
                """);
        }

        sb.Append("</div>");
    }

    /// <summary>An id-safe form of a name (letters, digits, '-').</summary>
    private static string Slug(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
