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
