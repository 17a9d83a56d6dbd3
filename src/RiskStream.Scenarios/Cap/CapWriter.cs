using System.Globalization;
using System.Text;
using System.Xml;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Scenarios.Cap;

/// <summary>
/// Renders a warning event as an OASIS CAP 1.2 alert. msgType: raised → Alert; later events → Update referencing
/// the first and the previous message of the warning; resolved → Cancel (responseType AllClear). scope Private,
/// addressed to the warning's audiences. Two <c>info</c> blocks, zh-CN first (the government systems that consume
/// the alerts read Chinese; the scenario file's translation), then en-US; one only when the scenario has no translation.
/// severity/urgency/certainty follow the level. area: a circle around the site. Identifiers follow GB/T 35965.1 (region code + organisation code + time + sequence) where the registry has
/// the codes of the site's jurisdiction.
/// </summary>
public sealed class CapWriter(ParkRegistry registry)
{
    public const string Namespace = "urn:oasis:names:tc:emergency:cap:1.2";

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false };

    /// <summary>Writes the alert of one published warning event.</summary>
    public string Write(PublishedWarning published)
    {
        var e = published.Event;
        var scenario = published.Scenario;
        var site = registry.Sites[e.Site];
        var jurisdiction = site.Jurisdiction;
        var sender = Sender(jurisdiction);
        var sent = Time(e.Time);
        var identifier = Identifier(e.Id, e.Seq, e.Time, jurisdiction);
        string? Reference(EventStamp? stamp) => stamp is { } s ? $"{sender},{Identifier(e.Id, s.Seq, s.Time, jurisdiction)},{Time(s.Time)}" : null;
        var firstReference = Reference(published.First);
        var previousReference = Reference(published.Previous);
        var msgType = e.Status switch
        {
            WarningStatus.Raised => "Alert",
            WarningStatus.Resolved => "Cancel",
            _ => "Update",
        };
        var references = new[] { firstReference, previousReference }.Where(r => r is not null).Distinct(StringComparer.Ordinal).ToArray();
        if (msgType != "Alert" && references.Length == 0)
        {
            // An update of a warning whose first message this instance never wrote (restored without it): nothing
            // to reference, so it is sent as a fresh alert.
            msgType = "Alert";
        }

        var builder = new StringBuilder(2048);
        using (var w = XmlWriter.Create(builder, Settings))
        {
            w.WriteStartElement("alert", Namespace);
            w.WriteElementString("identifier", Namespace, identifier);
            w.WriteElementString("sender", Namespace, sender);
            w.WriteElementString("sent", Namespace, sent);
            w.WriteElementString("status", Namespace, "Actual");
            w.WriteElementString("msgType", Namespace, msgType);
            w.WriteElementString("source", Namespace, "RiskStream common-scenario engine");
            w.WriteElementString("scope", Namespace, "Private");
            w.WriteElementString("addresses", Namespace, string.Join(' ', e.Audiences.Select(a => a.Address())));
            w.WriteElementString("code", Namespace, $"riskstream:warning:{e.Id}:{e.Seq}");
            w.WriteElementString("note", Namespace, $"{e.Status.Wire()}: {e.Reason}");
            if (msgType != "Alert")
            {
                w.WriteElementString("references", Namespace, string.Join(' ', references));
            }

            w.WriteElementString("incidents", Namespace, e.Id.Replace(' ', '_'));

            if (scenario.Translations.TryGetValue("zh-CN", out var chinese))
            {
                Info(w, published, site, chinese);
            }

            Info(w, published, site, null);
            w.WriteEndElement();
        }

        return builder.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    /// <summary>
    /// One <c>info</c> block: in Chinese (zh-CN, from the scenario file's translation) or in English (en-US). The
    /// parameters and the area are the same in both; the machine-made reason and evidence stay as written.
    /// </summary>
    private static void Info(XmlWriter w, PublishedWarning published, SiteDef site, ScenarioTranslation? chinese)
    {
        var e = published.Event;
        var scenario = published.Scenario;
        var jurisdiction = site.Jurisdiction;
        var (severity, urgency, certainty) = Map(e.Level, e.ResolvedAt is not null ? WarningStatus.Resolved : e.Status);
        w.WriteStartElement("info", Namespace);
        w.WriteElementString("language", Namespace, chinese is null ? "en-US" : "zh-CN");
        w.WriteElementString("category", Namespace, scenario.CapCategory);
        w.WriteElementString("event", Namespace, chinese?.CapEvent ?? scenario.CapEvent);
        w.WriteElementString("responseType", Namespace, e.Status is WarningStatus.Resolved or WarningStatus.Closed || e.ResolvedAt is not null ? "AllClear" : e.Level >= WarningLevel.Orange ? "Evacuate" : "Prepare");
        w.WriteElementString("urgency", Namespace, urgency);
        w.WriteElementString("severity", Namespace, severity);
        w.WriteElementString("certainty", Namespace, certainty);
        w.WriteElementString("audience", Namespace, chinese is null ? "government emergency departments and enterprises concerned (common scenario)" : "政府应急管理部门及相关企业（共同场景）");
        w.WriteStartElement("eventCode", Namespace);
        w.WriteElementString("valueName", Namespace, "riskstream:scenario");
        w.WriteElementString("value", Namespace, scenario.Id);
        w.WriteEndElement();
        w.WriteElementString("effective", Namespace, Time(e.RaisedAt));
        w.WriteElementString("senderName", Namespace, jurisdiction.Name);
        w.WriteElementString("headline", Namespace, chinese is null
            ? $"{LevelName(e.Level)} warning: {scenario.Title} at {site.Name}"
            : $"{Wording.Level(e.Level, "zh-CN")}预警：{chinese.Title}（{site.Name}）");
        w.WriteElementString("description", Namespace, Description(e, chinese));
        if (e.Actions.Count > 0)
        {
            w.WriteElementString("instruction", Namespace, chinese is null ? string.Join("; ", e.Actions) : string.Join("；", e.Actions.Select(a => chinese.Actions.GetValueOrDefault(a, a))));
        }

        Parameter(w, "level", e.Level.Wire());
        Parameter(w, "status", e.Status.Wire());
        Parameter(w, "warningId", e.Id);
        Parameter(w, "seq", e.Seq.ToString(CultureInfo.InvariantCulture));
        foreach (var a in e.Assistance ?? [])
        {
            var answer = a.Status switch
            {
                AssistanceStatus.Accepted => $"; accepted{(a.Eta is { } eta ? ", ETA " + Time(eta) : "")}",
                AssistanceStatus.Declined => "; declined",
                AssistanceStatus.Unanswered => "; unanswered",
                _ => a.AnswerDueAt is { } due ? $"; answer due {Time(due)}" : "",
            };
            Parameter(w, "assistance", $"{a.Capability} from {a.Enterprise} (engaged by {a.EngagedBy}, {a.Basis}){answer}");
        }

        ResponseParameters(w, e);

        foreach (var ack in e.Acks)
        {
            Parameter(w, "acknowledgedBy", $"{ack.Party.Address()} {ack.By} {Time(ack.Time)}");
        }

        w.WriteStartElement("area", Namespace);
        w.WriteElementString("areaDesc", Namespace, $"{site.Name} ({site.Id}), {jurisdiction.Name}");
        var radiusKm = Math.Max(scenario.RadiusM, 200) / 1000.0;
        w.WriteElementString("circle", Namespace, string.Create(CultureInfo.InvariantCulture, $"{site.Lat:0.#####},{site.Lon:0.#####} {radiusKm:0.###}"));
        if (jurisdiction.RegionCode is { } region)
        {
            w.WriteStartElement("geocode", Namespace);
            w.WriteElementString("valueName", Namespace, "GB/T 2260");
            w.WriteElementString("value", Namespace, region);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>
    /// The response status as a parameter set: one <c>response</c> per audience (address, role, status, times), the
    /// disposition and its deadline, the shelved sensors and the newest trail entries.
    /// </summary>
    private static void ResponseParameters(XmlWriter w, WarningEvent e)
    {
        foreach (var r in e.Responses ?? [])
        {
            var times = r.AcknowledgedAt is { } ack ? $" {Time(ack)}" : r.DueAt is { } due ? $" due {Time(due)}" : "";
            Parameter(w, "response", $"{r.Party.Address()} {r.Role.Wire()} {r.Status.Wire()}{times}");
        }

        if (e.Disposition is { } d)
        {
            Parameter(w, "disposition", $"{d.Reason.Wire()} by {d.Party.Address()} {d.By} {Time(d.Time)}{(d.ConfirmedBy is { } c ? $"; confirmed by {c.Address()} {d.ConfirmedByName}" : "")}");
        }
        else if (e.DisposeDueAt is { } due)
        {
            Parameter(w, "dispositionDue", $"{Time(due)}{(e.DisposeOverdue ? " overdue" : "")}");
        }

        foreach (var shelf in e.Shelved ?? [])
        {
            Parameter(w, "shelved", $"{shelf.Sensor} until {Time(shelf.Until)} by {shelf.Party.Address()} {shelf.By}: {shelf.Reason}");
        }

        foreach (var t in (e.Trail ?? []).TakeLast(8))
        {
            Parameter(w, "trail", $"{Time(t.Time)} {t.Party.Address()} {t.Role.Wire()} {t.By}: {t.Action.Wire()} {t.Detail}");
        }
    }

    private static string Sender(Jurisdiction jurisdiction) => $"riskstream@{jurisdiction.OrgCode ?? jurisdiction.Id}";

    /// <summary>
    /// GB/T 35965.1: region code (6) + organisation code + yyyyMMddHHmmss (China time) + a 4-digit sequence (from the
    /// warning id and the event's seq, so each event of a warning has its own).
    /// </summary>
    public static string Identifier(string warningId, long seq, DateTimeOffset time, Jurisdiction jurisdiction)
    {
        if (jurisdiction.RegionCode is { Length: 6 } region && jurisdiction.OrgCode is { Length: > 0 } org)
        {
            var sequence = (Fnv(warningId) + (ulong)seq) % 10_000;
            return string.Create(CultureInfo.InvariantCulture, $"{region}{org}{time.ToOffset(ChinaOffset):yyyyMMddHHmmss}{sequence:0000}");
        }

        return $"riskstream.{warningId.Replace(' ', '_')}.{seq}";
    }

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037ul;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211ul;
        }

        return hash;
    }

    private static string Time(DateTimeOffset t) => t.ToOffset(ChinaOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string LevelName(WarningLevel level) => Wording.Level(level, "en-US");

    /// <summary>Level → CAP severity, urgency, certainty. A resolved warning's urgency is Past.</summary>
    public static (string Severity, string Urgency, string Certainty) Map(WarningLevel level, WarningStatus status)
    {
        var (severity, urgency, certainty) = level switch
        {
            WarningLevel.Blue => ("Minor", "Future", "Possible"),
            WarningLevel.Yellow => ("Moderate", "Expected", "Likely"),
            WarningLevel.Orange => ("Severe", "Immediate", "Likely"),
            _ => ("Extreme", "Immediate", "Observed"),
        };
        return status is WarningStatus.Resolved or WarningStatus.Closed ? (severity, "Past", "Observed") : (severity, urgency, certainty);
    }

    private static string Description(WarningEvent e, ScenarioTranslation? chinese)
    {
        var text = new StringBuilder();
        text.Append(chinese is null
            ? $"{e.Title ?? e.Scenario}; level {e.Level.Wire()}; {e.Reason}."
            : $"{chinese.Title}；{Wording.Level(e.Level, "zh-CN")}预警；原因（系统生成）：{e.Reason}。");
        foreach (var s in e.Evidence)
        {
            text.Append(CultureInfo.InvariantCulture, $" {s.Sensor} ({s.Kind.WireName()}) {s.Value:0.##} {s.Unit}, alarm {s.Alarm.Wire()}, risk {s.Risk:0.00}.");
        }

        foreach (var i in e.Identifications ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $" Identified {i.Substance} ({i.HazardClass}) in sample {i.Sample}, score {i.Score:0.00}.");
        }

        if (e.Flapping)
        {
            text.Append(" The warning is flapping and is held at its highest level.");
        }

        return text.ToString();
    }

    private static void Parameter(XmlWriter w, string name, string value)
    {
        w.WriteStartElement("parameter", Namespace);
        w.WriteElementString("valueName", Namespace, name);
        w.WriteElementString("value", Namespace, value);
        w.WriteEndElement();
    }
}
