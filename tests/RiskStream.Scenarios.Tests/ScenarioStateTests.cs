using CsCheck;
using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine;
using RiskStream.Scenarios.Tests.Support;
using RiskStream.Testing;
using static RiskStream.Scenarios.Tests.Support.TestPark;

namespace RiskStream.Scenarios.Tests;

/// <summary>A warning's state across failover, its CAP messages, sensor health, and the resting engine against the reference.</summary>
public sealed class ScenarioStateTests
{
    private readonly TestPark _park = new();

    private ScenarioEngine Engine(params string[] yaml) => new(_park.Registry, Set(yaml));

    private static WarningEvent Single(List<PublishedWarning> events) => Assert.Single(events).Event;

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
    public void Sensor_health_flags_a_sensor_whose_intact_rate_falls_below_the_bound_and_clears_when_it_recovers()
    {
        // Every fourth reading (one a minute, the park's period; from the second) is flagged by the anomaly model: each fault alone is
        // too brief for the anomaly conditions (never two within two minutes, never held ten seconds), but an hour
        // of them leaves three periods in four intact: below the file's 0.8.
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var engine = new ScenarioEngine(_park.Registry, set);
        var sensor = _park.Sensor("S1", "LEL-3");
        var start = T0 - (T0 % 300_000); // bucket-aligned, so that the figures below are the hand-computed ones
        var events = new List<(int Minute, WarningEvent Event)>();
        for (var i = 0; i < 150; i++)
        {
            var list = new List<PublishedWarning>();
            engine.Observe(new SensorObservation(sensor, 2, AlarmLevel.None, 0, Flat: false, start + (i * 60_000), "m/1") { Anomalous = i < 70 && i % 4 == 1 }, list);
            foreach (var other in new[] { "LEL-1", "LEL-2", "T-1" })
            {
                // The site's other sensors report too (else they would be communication_lost's), in the same second.
                engine.Observe(new SensorObservation(_park.Sensor("S1", other), other == "T-1" ? 25 : 2.5 + (i % 3 * 0.1), AlarmLevel.None, 0, Flat: false, start + (i * 60_000), "m/1"), list);
            }

            events.AddRange(list.Where(p => p.Event.Status != WarningStatus.Updated).Select(p => (i, p.Event))); // not the reminders
        }

        // Buckets of five minutes: 1 or 2 faults in 5 periods (shares 4/5, 3/5), 15 faults in the first hour's 60
        // periods: 0.75, judged when the twelfth bucket closes (minute 60). Faults stop at minute 70; when the bucket
        // of minutes 80-84 closes the hour holds 12 faults: 0.80, not below the bound (resolved 30 s of clear later,
        // at the next reading), before the 30-minute acknowledgement deadline would have raised its level.
        Assert.True(events.Count == 2, string.Join("\n", events.Select(e => $"{e.Minute} {e.Event.Scenario} {e.Event.Status} {e.Event.Level} {e.Event.Reason} {string.Join(",", e.Event.Evidence.Select(x => x.Sensor))}")));
        var (raisedAt, raised) = events[0];
        Assert.Equal(("sensor_health", WarningLevel.Blue, WarningStatus.Raised, "LEL-3"), (raised.Scenario, raised.Level, raised.Status, raised.Evidence.Single().Sensor));
        Assert.Equal(60, raisedAt);
        var (resolvedAt, resolved) = events[1];
        Assert.Equal((WarningStatus.Resolved, raised.Id), (resolved.Status, resolved.Id));
        Assert.Equal(86, resolvedAt);
    }

    [Fact]
    public void A_sensor_that_misses_periods_is_not_intact_and_the_resting_engine_still_wakes_for_it()
    {
        // LEL-3 reports in three minutes of five (never silent three periods: not communication_lost's) and is never
        // flagged: nothing but its intact rate (0.6) can wake sensor_health, and the engine that skips calm readings
        // must raise it when the reference that evaluates every reading does.
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var resting = new ScenarioEngine(_park.Registry, set);
        var reference = new ScenarioEngine(_park.Registry, set) { NeverRest = true };
        var start = T0 - (T0 % 300_000);
        var published = new List<string>();
        var expected = new List<string>();
        for (var i = 0; i < 70; i++)
        {
            foreach (var sensor in new[] { "LEL-3", "LEL-1", "LEL-2", "T-1" })
            {
                if (sensor == "LEL-3" && i % 5 >= 3)
                {
                    continue;
                }

                var o = new SensorObservation(_park.Sensor("S1", sensor), sensor == "T-1" ? 25 : 2.5 + (i % 3 * 0.1), AlarmLevel.None, 0, Flat: false, start + (i * 60_000), "m/1");
                var a = new List<PublishedWarning>();
                var b = new List<PublishedWarning>();
                resting.Observe(o, a);
                reference.Observe(o, b);
                published.AddRange(a.Select(p => $"{i} {p.Event.Scenario} {p.Event.Status} {p.Event.Level}"));
                expected.AddRange(b.Select(p => $"{i} {p.Event.Scenario} {p.Event.Status} {p.Event.Level}"));
            }
        }

        Assert.Equal(["60 sensor_health Raised Blue"], expected);
        Assert.Equal(expected, published);
    }

    [Fact]
    public void An_intact_condition_out_of_range_refuses_the_file()
    {
        var e = Assert.Throws<Definitions.ScenarioException>(() => Set(Gas.Replace("blue: [ { signal: alarm, atLeast: first } ]", "blue: [ { signal: intact, below: 80 } ]", StringComparison.Ordinal)));
        Assert.Contains("intact below '80' is a share above 0 and at most 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silent_sensor_is_communication_lost_not_a_hazard()
    {
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var engine = new ScenarioEngine(_park.Registry, set);
        var all = new List<WarningEvent>();
        for (var i = 0; i < 200; i++)
        {
            // LEL-2 reports once and then stops; LEL-1 keeps reporting normal values (the park's period: one minute).
            if (i == 0)
            {
                all.AddRange(_park.Feed(engine, "S1", "LEL-2", 2, T0).Select(p => p.Event));
            }

            all.AddRange(_park.Feed(engine, "S1", "LEL-1", 2, T0 + (i * 1_000)).Select(p => p.Event));
        }

        var lost = Assert.Single(all);
        Assert.Equal(("communication_lost", WarningLevel.Blue), (lost.Scenario, lost.Level));
        Assert.Equal("LEL-2", Assert.Single(lost.Evidence).Sensor);
        Assert.InRange(lost.Time.ToUnixTimeMilliseconds() - T0, 180_000, 181_000);
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
                // Half the streams span over an hour with faults now and then, so that intact rates are judged.
                var (step, faults) = seed % 2 == 0 ? (4_000, 0) : (20_000, 12);
                for (var i = 0; i < 600; i++)
                {
                    var sensor = sensors[rng.Next(sensors.Length)];
                    t += rng.Next(0, step);

                    // Mostly calm values, now and then an alarm, a stuck value or a silence of several seconds.
                    var setpoint = sensor.Setpoints.SecondHigh ?? 50;
                    var value = rng.Next(10) switch
                    {
                        0 => setpoint * (0.5 + rng.NextDouble()),
                        1 => setpoint * 1.5,
                        _ => setpoint * 0.05 * (1 + rng.NextDouble()),
                    };
                    var alarm = sensor.Setpoints.LevelOf(value);
                    var o = new SensorObservation(sensor, value, alarm, sensor.Setpoints.BaselineRisk(value), rng.Next(20) == 0, t, "m/1") { Anomalous = faults > 0 && rng.Next(faults) == 0 };
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
