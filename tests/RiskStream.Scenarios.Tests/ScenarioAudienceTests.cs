using System.Xml.Linq;
using CsCheck;
using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine;
using RiskStream.Scenarios.Tests.Support;
using RiskStream.Testing;
using static RiskStream.Scenarios.Tests.Support.TestPark;

namespace RiskStream.Scenarios.Tests;

/// <summary>Who a warning reaches and who may answer it: escalation to people, acknowledgements, audiences, identifications.</summary>
public sealed class ScenarioAudienceTests
{
    private readonly TestPark _park = new();

    private ScenarioEngine Engine(params string[] yaml) => new(_park.Registry, Set(yaml));

    private static WarningEvent Single(List<PublishedWarning> events) => Assert.Single(events).Event;

    [Fact]
    public void A_CAP_alert_speaks_Chinese_first_then_English_and_stays_valid()
    {
        var raised = Assert.Single(_park.Feed(Engine(Gas), "S1", "LEL-1", 30, T0));
        var cap = CapAssert.Valid(_park.Cap(raised));
        XNamespace ns = CapAssert.CapNamespace;
        var infos = cap.Descendants(ns + "info").ToList();
        Assert.Equal(["zh-CN", "en-US"], infos.Select(i => i.Element(ns + "language")!.Value));
        Assert.StartsWith("蓝色（IV级）预警：气体泄漏（", infos[0].Element(ns + "headline")!.Value, StringComparison.Ordinal);
        Assert.Equal("气体泄漏", infos[0].Element(ns + "event")!.Value);
        Assert.Contains("隔离泄漏点", infos[0].Element(ns + "instruction")!.Value, StringComparison.Ordinal);
        Assert.StartsWith("Blue (IV) warning: Gas leak at ", infos[1].Element(ns + "headline")!.Value, StringComparison.Ordinal);
        Assert.Contains("isolate the leak", infos[1].Element(ns + "instruction")!.Value, StringComparison.Ordinal);

        // A scenario without a translation keeps one English info.
        var fire = Assert.Single(_park.Feed(Engine(Fire), "S1", "T-1", 90, T0));
        Assert.Equal(["en-US"], CapAssert.Valid(_park.Cap(fire)).Descendants(ns + "language").Select(l => l.Value));
    }

    [Fact]
    public void Nobody_acknowledging_raises_the_level_and_an_acknowledgement_stops_it()
    {
        var engine = Engine(Gas.Replace("minActive: 0s", "minActive: 0s\nescalation: { ackWithin: 60s, then: raise_level }", StringComparison.Ordinal));
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0));
        var reminder = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 30_000));
        Assert.Equal(WarningStatus.Updated, reminder.Status);
        Assert.StartsWith("reminder: acknowledgement due by", reminder.Reason, StringComparison.Ordinal);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 59_000));
        var escalated = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 60_000));
        Assert.Equal((WarningStatus.Escalated, WarningLevel.Yellow), (escalated.Status, escalated.Level));
        Assert.Contains("no acknowledgement", escalated.Reason, StringComparison.Ordinal);

        // The level stays up while nobody acknowledges, although only blue conditions hold (and they are reminded again).
        var again = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 100_000));
        Assert.Equal((WarningStatus.Updated, WarningLevel.Yellow), (again.Status, again.Level));
        Assert.All(again.Responses!.Where(r => r.Role is ResponseRole.Owner or ResponseRole.Regulator), r => Assert.Equal(ResponseStatus.Overdue, r.Status));

        var events = new List<PublishedWarning>();
        var ack = new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E1"), "duty room: Zhang", DateTimeOffset.FromUnixTimeMilliseconds(T0 + 101_000), "isolating the flange", ["valve V-12 closed"]);
        Assert.Equal(AckRefusal.None, engine.Acknowledge(ack, events));
        var acknowledged = Single(events);
        Assert.Equal(WarningStatus.Acknowledged, acknowledged.Status);
        var record = Assert.Single(acknowledged.Acks);
        Assert.Equal(("duty room: Zhang", "valve V-12 closed"), (record.By, record.Actions!.Single()));
        CapAssert.Valid(_park.Cap(events[0]));

        // Acknowledged: no more escalation, and the level falls back to what the readings say.
        var later = Enumerable.Range(1, 40).SelectMany(i => _park.Feed(engine, "S1", "LEL-1", 30, T0 + 101_000 + (i * 1_000))).Select(p => p.Event).ToList();
        Assert.DoesNotContain(later, e => e.Status == WarningStatus.Escalated);
        Assert.Contains(later, e => e is { Status: WarningStatus.Deescalated, Level: WarningLevel.Blue });
    }

    [Fact]
    public void Escalation_can_add_the_next_jurisdiction_up_instead()
    {
        var engine = Engine(Gas.Replace("minActive: 0s", "minActive: 0s\nescalation: { ackWithin: 60s, then: add_parent }", StringComparison.Ordinal));
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0));
        Assert.Equal(["P"], Gov(raised));
        var first = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 60_000));
        Assert.Equal((WarningStatus.Escalated, WarningLevel.Blue), (first.Status, first.Level));
        Assert.Equal(["P", "D"], Gov(first));
        var second = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 120_000));
        Assert.Equal(["P", "D", "C"], Gov(second));
    }

    private static string[] Gov(WarningEvent e) => e.Audiences.Where(a => a.Type == PartyType.Government).Select(a => a.Id).ToArray();

    [Fact]
    public void Acknowledgements_from_outside_the_audience_for_unknown_warnings_or_repeated_are_refused()
    {
        var engine = Engine(Gas);
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 55, T0));
        var when = DateTimeOffset.FromUnixTimeMilliseconds(T0 + 5_000);
        var events = new List<PublishedWarning>();
        Assert.Equal(AckRefusal.NotAnAudience, engine.Acknowledge(new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E3"), "x", when, null, null), events));
        Assert.Equal(AckRefusal.NotAnAudience, engine.Acknowledge(new Acknowledgement(raised.Id, new Party(PartyType.Government, "C"), "x", when, null, null), events));
        Assert.Equal(AckRefusal.UnknownWarning, engine.Acknowledge(new Acknowledgement("gas:S1:1", new Party(PartyType.Enterprise, "E1"), "x", when, null, null), events));
        Assert.Equal(AckRefusal.UnknownWarning, engine.Acknowledge(new Acknowledgement("nonsense", new Party(PartyType.Enterprise, "E1"), "x", when, null, null), events));
        Assert.Empty(events);

        var ok = new Acknowledgement(raised.Id, new Party(PartyType.Government, "P"), "duty officer Li", when, "on our way", null);
        Assert.Equal(AckRefusal.None, engine.Acknowledge(ok, events));
        Assert.Equal(AckRefusal.Duplicate, engine.Acknowledge(ok, events));
        Assert.Single(events);

        // Every party's acknowledgement is kept, in order: the audit trail.
        engine.Acknowledge(new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E1"), "Zhang", when.AddSeconds(5), "isolated", null), events);
        Assert.Equal(["gov:P", "ent:E1"], events[^1].Event.Acks.Select(a => $"{(a.Party.Type == PartyType.Government ? "gov" : "ent")}:{a.Party.Id}"));
    }

    [Fact]
    public void Orange_reaches_higher_jurisdictions_neighbours_within_the_radius_and_engaged_enterprises_with_the_request()
    {
        var engine = Engine(Gas);
        var yellow = Single(_park.Feed(engine, "S1", "LEL-1", 55, T0));
        Assert.Equal(["P"], Gov(yellow));
        Assert.Equal(["E1", "E2"], yellow.Audiences.Where(a => a.Type == PartyType.Enterprise).Select(a => a.Id));
        Assert.Null(yellow.Assistance);

        var orange = Single(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 1_000));
        Assert.Equal(["P", "D", "C"], Gov(orange));
        Assert.Equal(["E1", "E2", "E4"], orange.Audiences.Where(a => a.Type == PartyType.Enterprise).Select(a => a.Id));
        var request = Assert.Single(orange.Assistance!);
        Assert.Equal(("hazmat_rescue", "E4", "P", "project"), (request.Capability, request.Enterprise, request.EngagedBy, request.Basis));
        Assert.Equal(["isolate the leak", "evacuate"], orange.Audiences.Single(a => a.Id == "E1").Actions);
        Assert.Equal(["dispatch the team"], orange.Audiences.Single(a => a.Id == "E4").Actions);
    }

    [Fact]
    public void A_Raman_identification_raises_the_inspection_scenario_and_asks_the_engaged_team_to_confirm()
    {
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var engine = new ScenarioEngine(_park.Registry, set);
        var events = new List<PublishedWarning>();
        engine.Identify(new IdentificationObservation(_park.Registry.Sites["S1"], "hydrogen sulfide", ["toxic"], "hidden_danger", 0.93, "INSP-2026-1129-003", T0, "raman-library/1"), events);
        var e = Single(events);
        CapAssert.Valid(_park.Cap(events[0]));
        Assert.Equal(("hazardous_substance_found", WarningLevel.Yellow), (e.Scenario, e.Level));
        Assert.Equal("hydrogen sulfide", Assert.Single(e.Identifications!).Substance);
        Assert.Contains("raman-library/1", e.Models);
        Assert.Contains(e.Audiences, a => a is { Type: PartyType.Enterprise, Id: "E3" } && a.Reason.Contains("raman_detection", StringComparison.Ordinal));
        Assert.Equal("E3", Assert.Single(e.Assistance!).Enterprise);
    }
}
