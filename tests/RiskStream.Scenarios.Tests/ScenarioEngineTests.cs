using CsCheck;
using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine;
using RiskStream.Scenarios.Tests.Support;
using RiskStream.Testing;
using static RiskStream.Scenarios.Tests.Support.TestPark;

namespace RiskStream.Scenarios.Tests;

/// <summary>Scenario semantics in event time: every timestamp is given, nothing waits on a clock.</summary>
public sealed class ScenarioEngineTests
{
    private readonly TestPark _park = new();

    private ScenarioEngine Engine(params string[] yaml) => new(_park.Registry, Set(yaml));

    private static WarningEvent Single(List<PublishedWarning> events) => Assert.Single(events).Event;

    [Fact]
    public void Lifecycle_raise_escalate_resolve_with_stable_id_rising_seq_and_hysteresis()
    {
        var engine = Engine(Gas);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 5, T0));
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 1_000));
        Assert.Equal((WarningStatus.Raised, WarningLevel.Blue, 1L), (raised.Status, raised.Level, raised.Seq));
        var yellow = Single(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 2_000));
        Assert.Equal((WarningStatus.Escalated, WarningLevel.Yellow, 2L), (yellow.Status, yellow.Level, yellow.Seq));
        var orange = Single(_park.Feed(engine, "S1", "LEL-2", 60, T0 + 3_000));
        Assert.Equal(WarningLevel.Orange, orange.Level);
        Assert.All(new[] { yellow, orange }, e => Assert.Equal(raised.Id, e.Id));

        // Back below the setpoints: nothing until the clear time has passed in event time.
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 3, T0 + 4_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-2", 3, T0 + 5_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 3, T0 + 30_000));
        var resolved = Single(_park.Feed(engine, "S1", "LEL-1", 3, T0 + 34_000));
        Assert.Equal((WarningStatus.Resolved, 4L, raised.Id), (resolved.Status, resolved.Seq, resolved.Id));
        Assert.Equal(0, engine.Active);

        // A new episode is a new warning.
        var again = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 40_000));
        Assert.Equal(WarningStatus.Raised, again.Status);
        Assert.NotEqual(raised.Id, again.Id);
    }

    [Fact]
    public void A_short_dip_does_not_deescalate_and_a_long_one_does()
    {
        var engine = Engine(Gas);
        _park.Feed(engine, "S1", "LEL-1", 55, T0);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 10_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 56, T0 + 20_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 45_000));
        var down = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 75_000));
        Assert.Equal((WarningStatus.Deescalated, WarningLevel.Blue), (down.Status, down.Level));
    }

    [Fact]
    public void A_condition_with_a_duration_holds_only_after_it_has_lasted()
    {
        const string yaml = """
            id: risky
            title: Risky
            cap: { event: Risk, category: Safety }
            watch: { kinds: [combustible_lel] }
            levels:
              yellow: [ { signal: risk, atLeast: 0.8, for: 20s } ]
            clear: { for: 5s }
            minActive: 0s
            """;
        var engine = Engine(yaml);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0, risk: 0.9));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 10_000, risk: 0.9));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 15_000, risk: 0.2)); // the run breaks
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 16_000, risk: 0.9));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 35_000, risk: 0.9));
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 36_000, risk: 0.9));
        Assert.Equal(WarningLevel.Yellow, raised.Level);
    }

    [Fact]
    public void A_repeat_rule_needs_the_condition_to_become_true_often_enough_within_its_window()
    {
        const string yaml = """
            id: bursts
            title: Bursts
            cap: { event: Bursts, category: Safety }
            watch: { kinds: [combustible_lel] }
            levels:
              blue: [ { signal: alarm, atLeast: first, repeat: 3, within: 1m } ]
            clear: { for: 0s }
            minActive: 0s
            """;
        var engine = Engine(yaml);
        var t = T0;
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, t += 1_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 5, t += 1_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, t += 1_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 5, t += 1_000));
        Assert.Equal(WarningStatus.Raised, Single(_park.Feed(engine, "S1", "LEL-1", 30, t += 1_000)).Status);
    }

    [Fact]
    public void A_flapping_warning_is_held_at_its_highest_level_until_it_settles()
    {
        var gas = Gas.Replace("clear: { for: 30s,", "flapping: { changes: 4, within: 1m }\nclear: { for: 0s,", StringComparison.Ordinal);
        var engine = Engine(gas);
        var t = T0;
        _park.Feed(engine, "S1", "LEL-1", 55, t);
        var all = new List<WarningEvent>();
        for (var i = 0; i < 8; i++)
        {
            all.AddRange(_park.Feed(engine, "S1", "LEL-2", i % 2 == 0 ? 55 : 3, t += 1_000).Select(p => p.Event));
        }

        var flapping = Assert.Single(all, e => e.Flapping && e.Status == WarningStatus.Updated);
        Assert.Equal(WarningLevel.Orange, flapping.Level);
        Assert.DoesNotContain(all.SkipWhile(e => e != flapping).Skip(1), e => e.Status == WarningStatus.Deescalated);

        // Stable for longer than the flapping window: it settles and then de-escalates normally.
        var later = new List<WarningEvent>();
        for (var i = 0; i < 70; i++)
        {
            later.AddRange(_park.Feed(engine, "S1", "LEL-2", 3, t += 1_000).Select(p => p.Event));
        }

        var settled = Assert.Single(later);
        Assert.False(settled.Flapping);
        Assert.Contains("no longer flapping", settled.Reason, StringComparison.Ordinal);
        Assert.Equal((WarningStatus.Deescalated, WarningLevel.Yellow), (settled.Status, settled.Level));
    }

    [Fact]
    public void A_red_warning_holds_back_lower_warnings_of_its_site_until_it_is_gone()
    {
        var engine = Engine(Gas, Fire);
        var gasRaised = Single(_park.Feed(engine, "S1", "LEL-1", 55, T0));
        var fire = Single(_park.Feed(engine, "S1", "T-1", 90, T0 + 1_000));
        Assert.Equal(("fire", WarningLevel.Red), (fire.Scenario, fire.Level));

        // The gas warning escalates to orange under the red fire warning: held back.
        Assert.Empty(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 2_000));
        Assert.Equal(1, engine.Suppressed);

        // The fire clears; the gas warning is published where it now stands.
        Assert.Empty(_park.Feed(engine, "S1", "T-1", 20, T0 + 3_000));
        var after = _park.Feed(engine, "S1", "T-1", 20, T0 + 14_000).Select(p => p.Event).ToList();
        Assert.Contains(after, e => e is { Scenario: "fire", Status: WarningStatus.Resolved });
        var gas = Assert.Single(after, e => e.Scenario == "gas");
        Assert.Equal((gasRaised.Id, WarningLevel.Orange, WarningStatus.Updated, 2L), (gas.Id, gas.Level, gas.Status, gas.Seq));
    }

    [Fact]
    public void A_silenced_site_raises_nothing_and_a_silenced_sensor_counts_for_nothing()
    {
        var from = DateTimeOffset.FromUnixTimeMilliseconds(T0);
        var siteSilence = new Silence("S1", null, from, from.AddHours(1), "E1 maintenance: Wang", "detector calibration");
        var engine = new ScenarioEngine(_park.Registry, Set(Gas), [siteSilence]);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 1_000));
        Assert.Single(_park.Feed(engine, "S2", "LEL-1", 55, T0 + 1_000));
        Assert.Single(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 3_600_000)); // the window has ended

        var sensorSilence = new Silence("S1", "LEL-1", from, from.AddHours(1), "E1 maintenance: Wang", "detector calibration");
        engine = new ScenarioEngine(_park.Registry, Set(Gas), [sensorSilence]);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 1_000));
        var raised = Single(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 2_000));
        Assert.Equal(WarningLevel.Yellow, raised.Level); // LEL-1 at second level would have made it orange
    }

    [Fact]
    public void A_silence_declared_while_running_applies_from_the_next_reading()
    {
        var book = new SilenceBook([]);
        var engine = new ScenarioEngine(_park.Registry, Set(Gas), book);
        var from = DateTimeOffset.FromUnixTimeMilliseconds(T0);
        book.Replace([new Silence("S1", null, from, from.AddHours(1), "E1 maintenance: Wang", "detector calibration")]);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 1_000));
        book.Replace([]);
        Assert.Single(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 2_000));
    }

    [Fact]
    public void Nobody_acknowledging_raises_the_level_and_an_acknowledgement_stops_it()
    {
        var engine = Engine(Gas.Replace("minActive: 0s", "minActive: 0s\nescalation: { ackWithin: 60s, then: raise_level }", StringComparison.Ordinal));
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 59_000));
        var escalated = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 60_000));
        Assert.Equal((WarningStatus.Escalated, WarningLevel.Yellow), (escalated.Status, escalated.Level));
        Assert.Contains("no acknowledgement", escalated.Reason, StringComparison.Ordinal);

        // The level stays up while nobody acknowledges, although only blue conditions hold.
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 100_000));

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

    [Fact]
    public void State_restored_after_a_failover_neither_raises_twice_nor_loses_the_resolve()
    {
        var a = Engine(Gas);
        var raised = Single(_park.Feed(a, "S1", "LEL-1", 55, T0, offset: 10));
        Assert.Empty(_park.Feed(a, "S1", "LEL-1", 56, T0 + 1_000, offset: 11));
        var records = new List<WarningStateRecord>();
        a.DrainChanged(records);
        var record = Assert.Single(records);
        Assert.Equal((true, raised.Id, 11L), (record.Active, record.Id, record.ReadingsOffset));

        // Another instance takes the partition over: it restores, then replays from the last commit (offset 9).
        var b = Engine(Gas);
        b.Restore(record);
        Assert.Empty(_park.Feed(b, "S1", "LEL-1", 40, T0 - 1_000, offset: 9));
        Assert.Empty(_park.Feed(b, "S1", "LEL-1", 55, T0, offset: 10));
        Assert.Empty(_park.Feed(b, "S1", "LEL-1", 56, T0 + 1_000, offset: 11));
        Assert.Empty(_park.Feed(b, "S1", "LEL-1", 3, T0 + 2_000, offset: 12));
        var resolved = Single(_park.Feed(b, "S1", "LEL-1", 3, T0 + 40_000, offset: 13));
        Assert.Equal((WarningStatus.Resolved, raised.Id, 2L), (resolved.Status, resolved.Id, resolved.Seq));

        // And a resolved record restored means the replay of the readings before it raises nothing.
        records.Clear();
        b.DrainChanged(records);
        var c = Engine(Gas);
        c.Restore(Assert.Single(records));
        Assert.Empty(_park.Feed(c, "S1", "LEL-1", 55, T0, offset: 10));
        Assert.Empty(_park.Feed(c, "S1", "LEL-1", 3, T0 + 40_000, offset: 13));
        Assert.Equal(0, c.Active);
    }

    [Fact]
    public void CAP_messages_of_a_warning_go_Alert_then_Update_referencing_the_first_and_previous_then_Cancel()
    {
        var engine = Engine(Gas);
        var caps = new List<System.Xml.Linq.XDocument>();
        void Feed(string sensor, double value, long t) => caps.AddRange(_park.Feed(engine, "S1", sensor, value, t).Select(p => CapAssert.Valid(_park.Cap(p))));
        Feed("LEL-1", 30, T0);
        Feed("LEL-1", 55, T0 + 1_000);
        Feed("LEL-2", 55, T0 + 2_000);
        Feed("LEL-1", 3, T0 + 3_000);
        Feed("LEL-2", 3, T0 + 3_000);
        Feed("LEL-1", 3, T0 + 40_000);
        Assert.Equal(["Alert", "Update", "Update", "Cancel"], caps.Select(c => CapAssert.Value(c, "msgType")));
        string Reference(System.Xml.Linq.XDocument c) => $"{CapAssert.Value(c, "sender")},{CapAssert.Value(c, "identifier")},{CapAssert.Value(c, "sent")}";
        var first = Reference(caps[0]);
        Assert.Equal(first, CapAssert.Value(caps[1], "references"));
        Assert.Equal($"{first} {Reference(caps[1])}", CapAssert.Value(caps[2], "references"));
        Assert.Equal($"{first} {Reference(caps[2])}", CapAssert.Value(caps[3], "references"));
        Assert.Equal("AllClear", CapAssert.Value(caps[3], "responseType"));
        Assert.Equal("Past", CapAssert.Value(caps[3], "urgency"));
        Assert.Equal(4, caps.Select(c => CapAssert.Value(c, "identifier")).Distinct().Count());

        // Times in China Standard Time without fractions, as the schema's pattern wants; a circle around the site.
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$", CapAssert.Value(caps[0], "sent"));
        Assert.Equal("30,121 0.5", CapAssert.Value(caps[0], "circle"));
    }

    [Fact]
    public void Sensor_health_flags_a_stuck_sensor_after_a_minute()
    {
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var engine = new ScenarioEngine(_park.Registry, set);
        var sensor = _park.Sensor("S1", "LEL-3");
        var all = new List<PublishedWarning>();
        for (var i = 0; i <= 60; i++)
        {
            engine.Observe(new SensorObservation(sensor, 2, AlarmLevel.None, 0, Flat: true, T0 + (i * 1_000), "m/1"), all);
        }

        var health = Assert.Single(all).Event;
        Assert.Equal(("sensor_health", WarningLevel.Blue, "LEL-3"), (health.Scenario, health.Level, health.Evidence.Single().Sensor));
    }

    [Fact]
    public void Sensor_health_flags_a_silent_sensor_as_a_fault_not_a_hazard()
    {
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var engine = new ScenarioEngine(_park.Registry, set);
        var all = new List<WarningEvent>();
        for (var i = 0; i < 40; i++)
        {
            // LEL-2 reports once and then stops; LEL-1 keeps reporting normal values.
            if (i == 0)
            {
                all.AddRange(_park.Feed(engine, "S1", "LEL-2", 2, T0).Select(p => p.Event));
            }

            all.AddRange(_park.Feed(engine, "S1", "LEL-1", 2, T0 + (i * 1_000)).Select(p => p.Event));
        }

        var health = Assert.Single(all);
        Assert.Equal(("sensor_health", WarningLevel.Blue), (health.Scenario, health.Level));
        Assert.Equal("LEL-2", Assert.Single(health.Evidence).Sensor);
    }
}

/// <summary>The engine skips resting scenarios for speed; that must never change what it publishes.</summary>
public sealed class RestingEngineTests
{
    [Fact]
    public void Resting_changes_nothing_that_is_published_over_random_streams()
    {
        var park = new TestPark();
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var sensors = park.Registry.SiteList.SelectMany(s => s.Sensors).ToArray();
        var events = 0;
        Gen.Int.Sample(
            seed =>
            {
                var rng = new Random(seed);
                var resting = new ScenarioEngine(park.Registry, set);
                var reference = new ScenarioEngine(park.Registry, set) { NeverRest = true };
                var t = TestPark.T0;
                var published = new List<string>();
                var expected = new List<string>();
                for (var i = 0; i < 600; i++)
                {
                    var sensor = sensors[rng.Next(sensors.Length)];
                    t += rng.Next(0, 4_000);

                    // Mostly calm values, now and then an alarm, a stuck value or a silence of several seconds.
                    var setpoint = sensor.Setpoints.SecondHigh ?? 50;
                    var value = rng.Next(10) switch
                    {
                        0 => setpoint * (0.5 + rng.NextDouble()),
                        1 => setpoint * 1.5,
                        _ => setpoint * 0.05 * (1 + rng.NextDouble()),
                    };
                    var alarm = sensor.Setpoints.LevelOf(value);
                    var o = new SensorObservation(sensor, value, alarm, sensor.Setpoints.BaselineRisk(value), rng.Next(20) == 0, t, "m/1");
                    var a = new List<PublishedWarning>();
                    var b = new List<PublishedWarning>();
                    resting.Observe(o, a);
                    reference.Observe(o, b);
                    published.AddRange(a.Select(p => $"{p.Event.Id} {p.Event.Seq} {p.Event.Status} {p.Event.Level}"));
                    expected.AddRange(b.Select(p => $"{p.Event.Id} {p.Event.Seq} {p.Event.Status} {p.Event.Level}"));
                }

                Assert.Equal(expected, published);
                Interlocked.Add(ref events, expected.Count);
            },
            iter: 60);

        // The streams do raise, escalate and resolve warnings: the comparison is not between two silences.
        Assert.True(events > 60 * 5, $"{events} events");
    }
}
