using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Engine;
using RiskStream.Scenarios.Tests.Support;
using RiskStream.Testing;
using static RiskStream.Scenarios.Tests.Support.TestPark;

namespace RiskStream.Scenarios.Tests;

/// <summary>
/// The response workflow on a fake clock: deadlines, reminders and escalation on the processing-time tick with no
/// readings; what each role may do; assistance that moves on; shelving under the national floor; disposition with
/// its audit trail in the state record and in CAP; a restore mid-workflow that loses nothing.
/// </summary>
public sealed class ResponseWorkflowTests
{
    /// <summary>Processing time of the first tick (any value: the engine only counts what passed since).</summary>
    private const long P0 = 42_000_000;

    private static readonly Party Owner = new(PartyType.Enterprise, "E1");
    private static readonly Party Neighbour = new(PartyType.Enterprise, "E2");
    private static readonly Party Regulator = new(PartyType.Government, "P");

    private readonly TestPark _park = new(new AgreementDocument("P", "E3", "hazmat_rescue", "government_purchase", "P-2026-9"));

    /// <summary>The gas scenario with a 60 s acknowledgement deadline at every level (a reminder at 30 s).</summary>
    private static readonly string GasWithDeadline = Gas.Replace("minActive: 0s", "minActive: 0s\nescalation: { ackWithin: 60s, then: raise_level }", StringComparison.Ordinal);

    private ScenarioEngine Engine(string yaml = Gas) => new(_park.Registry, Set(yaml));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static Acknowledgement Answer(WarningEvent w, Party party, ResponseKind kind, long atMs, string? text = null) =>
        new(w.Id, party, party == Owner ? "safety manager Zhang" : party == Regulator ? "duty officer Li" : "on-call Wu", At(atMs), text, null) { Kind = kind };

    /// <summary>Ticks the engine from P0 to P0 + <paramref name="toMs"/> in steps of a second; returns what it published.</summary>
    private static List<WarningEvent> TickUntil(ScenarioEngine engine, long fromMs, long toMs)
    {
        var events = new List<PublishedWarning>();
        for (var t = fromMs; t <= toMs; t += 1_000)
        {
            engine.Tick(P0 + t, events);
        }

        return events.Select(e => e.Event).ToList();
    }

    private static List<WarningEvent> Respond(ScenarioEngine engine, Acknowledgement a, AckRefusal expected = AckRefusal.None)
    {
        var events = new List<PublishedWarning>();
        Assert.Equal(expected, engine.Acknowledge(a, events, out var detail));
        Assert.True(expected == AckRefusal.None || detail.Length > 0 || expected is AckRefusal.Duplicate or AckRefusal.UnknownWarning or AckRefusal.NotAnAudience, "a refusal says why");
        return events.Select(e => e.Event).ToList();
    }

    [Fact]
    public void A_deadline_passes_with_no_readings_a_reminder_then_an_escalation_and_the_owner_shows_overdue()
    {
        var engine = Engine(GasWithDeadline);
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        Assert.Equal([ResponseStatus.Notified], raised.Responses!.Where(r => r.Party == Owner).Select(r => r.Status));
        Assert.Equal(At(T0 + 60_000), raised.Responses!.Single(r => r.Party == Owner).DueAt);

        // No reading from here on: the tick alone carries time.
        var events = TickUntil(engine, 0, 61_000);
        Assert.Equal(["updated", "escalated"], events.Select(e => e.Status.Wire()));
        Assert.StartsWith("reminder: acknowledgement due by", events[0].Reason, StringComparison.Ordinal);
        Assert.Equal(WarningLevel.Yellow, events[1].Level);
        Assert.Contains("owner ent:E1", events[1].Reason, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Overdue, events[1].Responses!.Single(r => r.Party == Owner).Status);
    }

    [Fact]
    public void A_neighbour_may_confirm_receipt_but_not_acknowledge_and_only_the_owner_s_acknowledgement_stops_escalation()
    {
        var engine = Engine(GasWithDeadline);
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        TickUntil(engine, 0, 1_000);

        var events = new List<PublishedWarning>();
        Assert.Equal(AckRefusal.NotPermitted, engine.Acknowledge(Answer(raised, Neighbour, ResponseKind.Acknowledge, T0 + 2_000), events, out var why));
        Assert.Contains("ent:E2 is neighbour", why, StringComparison.Ordinal);
        Assert.Empty(events);
        var receipt = Assert.Single(Respond(engine, Answer(raised, Neighbour, ResponseKind.Receipt, T0 + 2_000)));
        Assert.Equal(ResponseStatus.Received, receipt.Responses!.Single(r => r.Party == Neighbour).Status);
        Assert.Equal((ResponseRole.Neighbour, ResponseKind.Receipt), (receipt.Trail!.Single().Role, receipt.Trail!.Single().Action));

        // The neighbour's receipt stops nothing: the deadline passes and the level rises.
        Assert.Contains(TickUntil(engine, 2_000, 61_000), e => e.Status == WarningStatus.Escalated);

        // The owner's acknowledgement does: no escalation any more, the escalated floor cleared.
        var acknowledged = Assert.Single(Respond(engine, Answer(raised, Owner, ResponseKind.Acknowledge, T0 + 62_000, "isolating")));
        Assert.Equal(ResponseStatus.Acknowledged, acknowledged.Responses!.Single(r => r.Party == Owner).Status);
        Assert.DoesNotContain(TickUntil(engine, 62_000, 300_000), e => e.Status == WarningStatus.Escalated);
    }

    [Fact]
    public void An_overdue_owner_escalates_to_the_next_jurisdiction_up()
    {
        var engine = Engine(Gas.Replace("minActive: 0s", "minActive: 0s\nescalation: { ackWithin: 60s, then: add_parent }", StringComparison.Ordinal));
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        Assert.DoesNotContain(raised.Audiences, a => a.Id == "D");
        var escalated = TickUntil(engine, 0, 61_000).Single(e => e.Status == WarningStatus.Escalated);
        Assert.Contains("owner ent:E1", escalated.Reason, StringComparison.Ordinal);
        Assert.Contains(escalated.Audiences, a => a is { Type: PartyType.Government, Id: "D" });
        Assert.Equal(ResponseStatus.Notified, escalated.Responses!.Single(r => r.Party.Id == "D").Status);
    }

    [Fact]
    public void Assistance_goes_to_the_nearest_engaged_enterprise_a_decline_moves_it_on_and_silence_too()
    {
        var engine = Engine();
        _park.Feed(engine, "S1", "LEL-1", 55, T0);
        var orange = Assert.Single(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 1_000)).Event;
        var request = Assert.Single(orange.Assistance!);
        Assert.Equal(("E3", AssistanceStatus.Requested), (request.Enterprise, request.Status)); // E3 has a site 10 km away; E4 none
        Assert.Contains(orange.Audiences, a => a.Id == "E3");
        Assert.DoesNotContain(orange.Audiences, a => a.Id == "E4");

        // Only the enterprise asked may answer, and only for what it was asked.
        var e4 = new Party(PartyType.Enterprise, "E4");
        Respond(engine, Answer(orange, e4, ResponseKind.Assistance, T0 + 2_000) with { Capability = "hazmat_rescue", Answer = AssistanceAnswer.Accept }, AckRefusal.NotAnAudience);
        var e3 = new Party(PartyType.Enterprise, "E3");
        Respond(engine, Answer(orange, e3, ResponseKind.Assistance, T0 + 2_000) with { Capability = "raman_detection", Answer = AssistanceAnswer.Accept }, AckRefusal.Invalid);
        Respond(engine, Answer(orange, e3, ResponseKind.Acknowledge, T0 + 2_000), AckRefusal.NotPermitted);

        var declined = Assert.Single(Respond(engine, Answer(orange, e3, ResponseKind.Assistance, T0 + 3_000, "team on another call") with { Capability = "hazmat_rescue", Answer = AssistanceAnswer.Decline }));
        Assert.Contains("E3 (on-call Wu) declines hazmat_rescue (team on another call); request moved to E4", declined.Reason, StringComparison.Ordinal);
        Assert.Equal([("E3", AssistanceStatus.Declined), ("E4", AssistanceStatus.Requested)], declined.Assistance!.Select(a => (a.Enterprise, a.Status!.Value)));
        Assert.Contains(declined.Audiences, a => a.Id == "E4");
        Assert.Contains(declined.Audiences, a => a.Type == PartyType.Government && a.Id == "P"); // the regulator sees it

        // E4 does not answer within the scenario's 10 minutes: nobody else is engaged, the regulator must arrange it.
        TickUntil(engine, 0, 0);
        var unanswered = TickUntil(engine, 1_000, 603_000).Single(e => e.Reason!.Contains("did not answer", StringComparison.Ordinal));
        Assert.Contains("E4 did not answer within 00:10:00; no other enterprise is engaged for hazmat_rescue: the regulator must arrange it", unanswered.Reason, StringComparison.Ordinal);
        Assert.Equal(AssistanceStatus.Unanswered, unanswered.Assistance!.Single(a => a.Enterprise == "E4").Status);
    }

    [Fact]
    public void Assistance_is_never_asked_of_the_owner_and_a_neighbour_asked_for_it_may_answer_it()
    {
        var park = new TestPark(
            new AgreementDocument("P", "E1", "hazmat_rescue", "project", "P-2026-8"),
            new AgreementDocument("P", "E2", "hazmat_rescue", "project", "P-2026-10"));
        var engine = new ScenarioEngine(park.Registry, Set(Gas));
        park.Feed(engine, "S1", "LEL-1", 55, T0);
        var orange = Assert.Single(park.Feed(engine, "S1", "LEL-2", 55, T0 + 1_000)).Event;
        Assert.Equal("E2", Assert.Single(orange.Assistance!).Enterprise); // the owner E1 is at distance 0 but not asked; E2 is 300 m away
        Assert.Equal(ResponseRole.Neighbour, orange.Responses!.Single(r => r.Party == Neighbour).Role);
        var accepted = Assert.Single(Respond(engine, Answer(orange, Neighbour, ResponseKind.Assistance, T0 + 2_000) with { Capability = "hazmat_rescue", Answer = AssistanceAnswer.Accept }));
        Assert.Equal(AssistanceStatus.Accepted, accepted.Assistance!.Single().Status);
        Assert.Equal(ResponseRole.Assisting, accepted.Trail!.Single().Role);
    }

    [Fact]
    public void One_receipt_per_party_and_the_owner_cannot_overturn_the_regulator_s_disposition()
    {
        var engine = Engine();
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        Respond(engine, Answer(raised, Neighbour, ResponseKind.Receipt, T0 + 1_000));
        Respond(engine, Answer(raised, Neighbour, ResponseKind.Receipt, T0 + 2_000), AckRefusal.Duplicate);
        Respond(engine, Answer(raised, Regulator, ResponseKind.Dispose, T0 + 3_000, "drill announced") with { Disposition = DispositionReason.Drill });
        Respond(engine, Answer(raised, Owner, ResponseKind.Dispose, T0 + 4_000) with { Disposition = DispositionReason.FalseAlarm }, AckRefusal.NotPermitted);
    }

    [Fact]
    public void An_accepted_request_carries_its_eta()
    {
        var engine = Engine();
        _park.Feed(engine, "S1", "LEL-1", 55, T0);
        var orange = Assert.Single(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 1_000)).Event;
        var accepted = Assert.Single(Respond(engine, Answer(orange, new Party(PartyType.Enterprise, "E3"), ResponseKind.Assistance, T0 + 5_000) with { Capability = "hazmat_rescue", Answer = AssistanceAnswer.Accept, Eta = At(T0 + 1_200_000) }));
        var request = Assert.Single(accepted.Assistance!);
        Assert.Equal((AssistanceStatus.Accepted, At(T0 + 1_200_000)), (request.Status!.Value, request.Eta));
        Assert.Contains(CapAssert.Values(CapAssert.Valid(_park.Cap(new PublishedWarning(accepted, Set(Gas).Scenarios[0], null, null, []))), "parameter"), p => p.StartsWith("assistancehazmat_rescue from E3", StringComparison.Ordinal) && p.Contains("accepted, ETA", StringComparison.Ordinal));
    }

    [Fact]
    public void A_shelved_sensor_counts_for_nothing_until_it_expires_but_its_second_level_alarm_still_raises()
    {
        var engine = Engine();
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        var shelve = Answer(raised, Owner, ResponseKind.Shelve, T0 + 1_000, "chattering after calibration") with { Sensor = "LEL-1", Until = At(T0 + 3_600_000) };

        // Only the owner shelves, for at most the level's maximum, a sensor the scenario watches.
        Respond(engine, shelve with { Party = Regulator }, AckRefusal.NotPermitted);
        Respond(engine, shelve with { Until = At(T0 + 9 * 3_600_000) }, AckRefusal.Invalid);
        Respond(engine, shelve with { Sensor = "T-1" }, AckRefusal.Invalid);
        var shelved = Assert.Single(Respond(engine, shelve));
        Assert.Equal("LEL-1", Assert.Single(shelved.Shelved!).Sensor);
        Assert.Contains(shelved.Audiences, a => a.Id == "P"); // the regulator sees it

        // LEL-1 at first level counts for nothing: the warning clears and resolves.
        _park.Feed(engine, "S1", "LEL-1", 30, T0 + 2_000);
        _park.Feed(engine, "S1", "LEL-2", 3, T0 + 2_000);
        var resolved = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 33_000)).Event;
        Assert.Equal(WarningStatus.Resolved, resolved.Status);

        // At second level it counts all the same: the national floor is never shelved.
        var again = _park.Feed(engine, "S1", "LEL-1", 55, T0 + 34_000).Select(p => p.Event).ToList();
        Assert.Contains(again, e => e is { Status: WarningStatus.Raised, Level: WarningLevel.Yellow });

        // No shelving at red (the default maximum there is none).
        _park.Feed(engine, "S1", "LEL-2", 55, T0 + 35_000);
        var red = _park.Feed(engine, "S1", "LEL-3", 55, T0 + 36_000).Single().Event;
        Assert.Equal(WarningLevel.Red, red.Level);
        Respond(engine, Answer(red, Owner, ResponseKind.Shelve, T0 + 37_000, "noisy") with { Sensor = "LEL-2", Until = At(T0 + 600_000) }, AckRefusal.NotPermitted);
    }

    [Fact]
    public void A_shelf_returns_by_itself_on_the_tick()
    {
        var engine = Engine();
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        Respond(engine, Answer(raised, Owner, ResponseKind.Shelve, T0 + 1_000, "chattering") with { Sensor = "LEL-2", Until = At(T0 + 120_000) });
        var expired = TickUntil(engine, 0, 125_000).Single(e => e.Reason!.Contains("expired", StringComparison.Ordinal));
        Assert.Contains("shelving of LEL-2 expired", expired.Reason, StringComparison.Ordinal);
        Assert.Null(expired.Shelved);
    }

    [Fact]
    public void An_owner_s_disposition_of_an_orange_warning_waits_for_the_regulator_and_closes_it_with_the_trail_in_state_and_cap()
    {
        var engine = Engine();
        _park.Feed(engine, "S1", "LEL-1", 55, T0);
        var orange = Assert.Single(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 1_000)).Event;
        Respond(engine, Answer(orange, Owner, ResponseKind.Acknowledge, T0 + 2_000, "isolating the flange"));
        _park.Feed(engine, "S1", "LEL-1", 3, T0 + 3_000);
        _park.Feed(engine, "S1", "LEL-2", 3, T0 + 3_000);
        var resolved = _park.Feed(engine, "S1", "LEL-1", 3, T0 + 34_000).Single().Event;
        Assert.Equal(WarningStatus.Resolved, resolved.Status);
        Assert.Contains("awaiting disposition", resolved.Reason, StringComparison.Ordinal);

        // A neighbour may not dispose; the owner may, and at orange the regulator must confirm.
        Respond(engine, Answer(resolved, Neighbour, ResponseKind.Dispose, T0 + 40_000) with { Disposition = DispositionReason.FalseAlarm }, AckRefusal.NotPermitted);
        var disposed = Assert.Single(Respond(engine, Answer(resolved, Owner, ResponseKind.Dispose, T0 + 40_000, "flange gasket replaced") with { Disposition = DispositionReason.ConfirmedHazard, Actions = ["gasket replaced"] }));
        Assert.Equal(WarningStatus.Updated, disposed.Status);
        Assert.Contains("awaiting the regulator's confirmation", disposed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(TickUntil(engine, 0, 5_000), e => e.Status == WarningStatus.Closed);

        var closed = Assert.Single(Respond(engine, Answer(resolved, Regulator, ResponseKind.Dispose, T0 + 50_000, "confirmed on site") with { Disposition = DispositionReason.ConfirmedHazard }));
        Assert.Equal((WarningStatus.Closed, resolved.Id), (closed.Status, closed.Id));
        Assert.Equal((DispositionReason.ConfirmedHazard, Owner, Regulator), (closed.Disposition!.Reason, closed.Disposition.Party, closed.Disposition.ConfirmedBy));
        Assert.Equal(["owner acknowledge", "owner dispose", "regulator dispose"], closed.Trail!.Select(t => $"{t.Role.Wire()} {t.Action.Wire()}"));

        // The state record carries the whole trail; CAP carries the disposition and the trail as parameters.
        var records = new List<WarningStateRecord>();
        engine.DrainChanged(records);
        var record = Assert.Single(records);
        Assert.Equal((false, false, 3), (record.Active, record.Closing, record.Trail!.Count));
        Assert.Equal(DispositionReason.ConfirmedHazard, record.Disposition!.Reason);
        var cap = CapAssert.Valid(_park.Cap(new PublishedWarning(closed, Set(Gas).Scenarios[0], new EventStamp(1, orange.Time), new EventStamp(closed.Seq - 1, closed.Time), [])));
        Assert.Equal("Update", CapAssert.Value(cap, "msgType"));
        Assert.Equal("AllClear", CapAssert.Value(cap, "responseType"));
        var parameters = CapAssert.Values(cap, "parameter");
        Assert.Contains(parameters, p => p.StartsWith("dispositionconfirmed_hazard by ent:E1", StringComparison.Ordinal));
        Assert.Contains(parameters, p => p.StartsWith("trail", StringComparison.Ordinal) && p.Contains("regulator duty officer Li: dispose", StringComparison.Ordinal));

        // Closed: nothing more may be said about it.
        Respond(engine, Answer(resolved, Owner, ResponseKind.Receipt, T0 + 60_000), AckRefusal.UnknownWarning);
    }

    [Fact]
    public void A_blue_warning_disposed_while_active_closes_on_the_tick_after_it_resolves_and_an_undisposed_one_turns_overdue()
    {
        var engine = Engine();
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        var recorded = Assert.Single(Respond(engine, Answer(raised, Owner, ResponseKind.Dispose, T0 + 1_000, "planned gas-in") with { Disposition = DispositionReason.Maintenance }));
        Assert.Contains("it closes once the condition has cleared", recorded.Reason, StringComparison.Ordinal);
        _park.Feed(engine, "S1", "LEL-1", 3, T0 + 2_000);
        Assert.Equal(WarningStatus.Resolved, _park.Feed(engine, "S1", "LEL-1", 3, T0 + 33_000).Single().Event.Status);
        var closed = TickUntil(engine, 0, 2_000).Single();
        Assert.Equal((WarningStatus.Closed, DispositionReason.Maintenance), (closed.Status, closed.Disposition!.Reason));
        Assert.Equal(At(T0 + 33_000), closed.ResolvedAt);

        // Another warning nobody disposes: a day later, overdue, on the tick.
        var second = Assert.Single(_park.Feed(engine, "S2", "LEL-1", 30, T0 + 40_000)).Event;
        Assert.Equal(At(T0 + 40_000 + 86_400_000), second.DisposeDueAt);
        var events = new List<PublishedWarning>();
        engine.Tick(P0 + 100_000_000, events);
        engine.Tick(P0 + 100_000_000 + 86_401_000, events);
        var overdue = events.Select(e => e.Event).Single(e => e.Site == "S2");
        Assert.True(overdue.DisposeOverdue);
        Assert.StartsWith("disposition overdue", overdue.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restore_mid_workflow_keeps_responses_reminders_shelves_and_deadlines()
    {
        var a = Engine(GasWithDeadline);
        var raised = Assert.Single(_park.Feed(a, "S1", "LEL-1", 30, T0)).Event;
        Respond(a, Answer(raised, Neighbour, ResponseKind.Receipt, T0 + 1_000));
        Respond(a, Answer(raised, Owner, ResponseKind.Shelve, T0 + 2_000, "chattering") with { Sensor = "LEL-3", Until = At(T0 + 3_600_000) });
        Assert.Single(TickUntil(a, 0, 31_000), e => e.Reason!.StartsWith("reminder", StringComparison.Ordinal));
        var records = new List<WarningStateRecord>();
        a.DrainChanged(records);

        // Another instance takes the site over from the state record.
        var b = Engine(GasWithDeadline);
        b.Restore(records[^1]);
        var events = TickUntil(b, 0, 31_000);
        Assert.DoesNotContain(events, e => e.Reason!.StartsWith("reminder", StringComparison.Ordinal)); // sent once, not again
        var escalated = Assert.Single(events, e => e.Status == WarningStatus.Escalated);
        Assert.Equal(raised.Id, escalated.Id);
        Assert.Equal(ResponseStatus.Received, escalated.Responses!.Single(r => r.Party == Neighbour).Status);
        Assert.Equal("LEL-3", Assert.Single(escalated.Shelved!).Sensor);
        Assert.Equal(2, escalated.Trail!.Count);

        // The receipt is not taken twice (a redelivery after the failover).
        Respond(b, Answer(raised, Neighbour, ResponseKind.Receipt, T0 + 1_000), AckRefusal.Duplicate);
    }
}
