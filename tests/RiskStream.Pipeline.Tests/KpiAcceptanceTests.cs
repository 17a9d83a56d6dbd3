using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Kpis;
using RiskStream.Pipeline.Lanes;
using RiskStream.Simulation;
using RiskStream.Testing;
using Xunit.Abstractions;

namespace RiskStream.Pipeline.Tests;

/// <summary>
/// The alarm KPIs and data quality of a simulated hour of the shipped park (its 90 sensors reporting every 10 s),
/// with four things injected in its first 40 minutes: a flood, a chattering detector, a silent sensor and a garbled
/// one. The lane scores, raises and takes the owners' acknowledgements as in production (deterministic time, the
/// setpoint baseline as the scorer so that every figure can be worked out by hand); what it publishes goes through
/// the KPI job's calculators; the figures must be the ones worked out in the comments.
/// </summary>
public sealed class KpiAcceptanceTests(ITestOutputHelper output)
{
    private static readonly ParkRegistry Registry = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly DateTimeOffset Hour = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_hour_with_a_flood_a_chattering_detector_and_a_silent_sensor_gives_the_figures_worked_out_by_hand()
    {
        var time = new FakeTimeProvider(Hour);
        var scenarios = RiskStream.Scenarios.Definitions.ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
        var lane = new OfflineLane(new PipelineContext { Registry = Registry, Options = new PipelineOptions(), Scenarios = scenarios, Time = time, AckTopics = Topics.AckTopics(Registry) });
        var simulator = new ParkSimulator(Registry, new SimulationOptions { Seed = 16, RatePerSecond = 9, HazardShare = 0, DemoHazard = false, EventEvery = TimeSpan.FromDays(7), InspectionEvery = TimeSpan.Zero }, Hour);
        var alarms = new AlarmKpiCalculator(Registry);
        var quality = new DataQualityCalculator(Registry, (_, _, _) => null);
        var acksDue = new List<(DateTimeOffset At, WarningEvent Warning)>();
        var warnings = new List<WarningEvent>();
        var letters = new List<DeadLetter>();

        void Process(string topic, params (string Key, byte[] Value)[] messages)
        {
            foreach (var m in lane.Process(topic, messages))
            {
                switch (m.Topic)
                {
                    case Topics.Scores:
                        var score = JsonSerializer.Deserialize(m.Value, ContractJson.Default.Score)!;
                        alarms.ObserveScore(score);
                        quality.Observe(score);
                        break;
                    case Topics.Warnings:
                        var e = JsonSerializer.Deserialize(m.Value, ContractJson.Default.WarningEvent)!;
                        alarms.Observe(e);
                        warnings.Add(e);
                        if (e.Status == WarningStatus.Raised)
                        {
                            acksDue.Add((e.Time.AddSeconds(60), e)); // the owner's duty officer acknowledges a minute after the raise
                        }

                        break;
                    case Topics.DeadLetter:
                        var letter = JsonSerializer.Deserialize(m.Value, ContractJson.Default.DeadLetter)!;
                        quality.ObserveDeadLetter(letter);
                        letters.Add(letter);
                        break;
                }
            }
        }

        // The injected trouble (the park's sensors report every 10 s; readings on the period, 360 an hour each).
        var floodSensors = Registry.SiteList.Select(s => s.Sensors.First(x => x.Kind == SensorKind.CombustibleLel)).ToArray();
        var chatterer = Registry.Sites["SH-HGQ-E07-S1"].Sensors.Where(x => x.Kind == SensorKind.CombustibleLel).ElementAt(1);
        var silent = Registry.Sites["SH-HGQ-E02-S1"].Sensors.First(x => x.Kind == SensorKind.O2);
        var garbled = Registry.Sites["SH-HGQ-E05-S1"].Sensors.First(x => x.Kind == SensorKind.O2);
        double? Injected(SensorDef s, DateTimeOffset ts, double value)
        {
            var t = ts - Hour;
            if (floodSensors.Contains(s) && t >= TimeSpan.FromMinutes(5) && t < TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(50))
            {
                return 60; // second-level alarm at all twelve sites for 50 s (five readings)
            }

            if (s == chatterer && t >= TimeSpan.FromMinutes(20) && t < TimeSpan.FromMinutes(22))
            {
                return (int)(t.TotalSeconds / 10) % 2 == 0 ? 30 : value; // over the first setpoint (25 %LEL) every other reading
            }

            if (s == garbled && t >= TimeSpan.FromMinutes(30) && t < TimeSpan.FromMinutes(40) && t.Seconds == 0)
            {
                return 150; // once a minute for ten minutes, 150 %vol oxygen: outside the physical range, dead-lettered
            }

            return s == silent && t >= TimeSpan.FromMinutes(15) && t < TimeSpan.FromMinutes(25) ? null : value;
        }

        for (var k = 0; k < 360; k++)
        {
            var ts = Hour.AddSeconds(k * 10);
            time.SetUtcNow(ts);
            foreach (var (at, w) in acksDue.Where(a => a.At <= ts).ToArray())
            {
                acksDue.Remove((at, w));
                var owner = new Party(PartyType.Enterprise, w.Enterprise);
                Process(Topics.EnterpriseAcks(w.Enterprise), (w.Site, JsonSerializer.SerializeToUtf8Bytes(new Acknowledgement(w.Id, owner, "duty officer", at, null, null), ContractJson.Default.Acknowledgement)));
            }

            var readings = simulator.Sensors
                .Select(s => simulator.ReadingAt(s, ts) is { } r && Injected(s, ts, r.Value) is { } v ? r with { Value = v } : null)
                .OfType<Reading>()
                .Select(r => (r.Site, JsonSerializer.SerializeToUtf8Bytes(r, ContractJson.Default.Reading)))
                .ToArray();
            Process(Topics.Readings, readings);
        }

        Assert.DoesNotContain(simulator.Events, e => e.Start < Hour.AddHours(1)); // nothing but what is injected here
        foreach (var w in warnings)
        {
            output.WriteLine($"{w.Time:HH:mm:ss} {w.Scenario} {w.Site} {w.Status} {w.Level} {w.Reason}");
        }

        var kpis = alarms.Close(Hour.AddHours(1));
        Assert.All(kpis, k => SchemaAssert.Valid("alarm-kpis.v2.json", JsonSerializer.Serialize(k, ContractJson.Default.AlarmKpis)));
        var park = kpis.Single(k => k is { Scope: "park", Window: "1h" });
        output.WriteLine(JsonSerializer.Serialize(park, ContractJson.Default.AlarmKpis));

        // Raised: 12 yellow leaks at 07:05 (one per site: a second-level alarm, scenario yellow; 50 s is short of the
        // orange 'for: 60s'), 1 communication_lost (07:15:20, three 10-s periods after the O2 detector's last reading),
        // 1 blue leak at E07-S1 at 07:20:00 (the chattering detector's first activation; its 12 level changes in two
        // minutes make the warning flap, held as one, resolved 07:31:30). Nothing else: the scores are the setpoint
        // baseline's, no model to add its own judgement.
        Assert.Equal((14, 2.3333, 12, Math.Round(1 / 6.0, 4)), (park.Raised, park.RaisedPer10MinMean, park.RaisedPer10MinPeak, park.FloodShare));
        Assert.Equal([12, 1, 1, 0, 0, 0], kpis.Where(k => k is { Scope: "park", Window: "10m" }).Select(k => k.Raised));

        // Chattering: the detector's setpoint alarm rose 6 times (every other 10-s reading for 2 minutes), 3 or more
        // within a minute: one chattering sensor; the warnings did not chatter (0), the engine's hysteresis held them.
        // Sensor alarms: 12 (each flood detector none → second, once) + 6.
        Assert.Equal((0, 1, 18), (park.Chattering, park.ChatteringSensors, park.SensorAlarms));
        Assert.Equal([12, 0, 6, 0, 0, 0], kpis.Where(k => k is { Scope: "park", Window: "10m" }).Select(k => k.SensorAlarms));
        var chatterSite = kpis.Single(k => k is { Scope: "site", Id: "SH-HGQ-E07-S1", Window: "1h" });
        Assert.Equal((2, 0, 1, 7), (chatterSite.Raised, chatterSite.Chattering, chatterSite.ChatteringSensors, chatterSite.SensorAlarms));

        // Every warning acknowledged by its owner 60 s after its raise: 12 at yellow, 2 at blue. The regulator does
        // not answer: only the chattering site's warning is still active at its 3-minute regulator deadline (07:23);
        // the leaks resolved at 07:06:20 before theirs (07:08), communication_lost (15 min) at 07:25:30 before 07:30:20.
        Assert.Equal([(ResponseRole.Owner, WarningLevel.Blue, 2, 60.0, 60.0), (ResponseRole.Owner, WarningLevel.Yellow, 12, 60.0, 60.0)],
            park.Acknowledge.Select(a => (a.Role!.Value, a.Level, a.Count, a.MedianSeconds, a.P90Seconds)));
        Assert.Equal((1, 0, 0, 0, 0), (park.OverdueAcknowledgements, park.Fleeting, park.Active, park.Standing, park.OverdueDispositions));
        Assert.Equal(3, kpis.Single(k => k is { Scope: "enterprise", Id: "E02", Window: "1h" }).Raised); // two leaks and the lost detector
        Assert.DoesNotContain(warnings, w => w.Scenario == "sensor_health"); // intact rates judged from 08:00 only, and none below 0.8

        // Data quality: 90 sensors × 360 periods. The silent detector missed 60 (stopped: the rest of its site
        // reported); the garbled one sent 10 readings outside the physical range (dead-lettered: online, not intact).
        var dq = quality.Close(Hour.AddHours(1));
        var parkQuality = dq.Single(q => q is { Scope: "park", Window: "1h" });
        output.WriteLine(JsonSerializer.Serialize(parkQuality, ContractJson.Default.DataQuality));
        Assert.Equal(10, letters.Count(l => l.Reason == DeadLetterReason.OutOfRange));
        Assert.Equal((90, 90, 32_400L, 1.0), (parkQuality.Sensors, parkQuality.Reporting, parkQuality.Expected, parkQuality.Access));
        Assert.Equal((Math.Round(32_340 / 32_400.0, 4), Math.Round(32_330 / 32_400.0, 4)), (parkQuality.Online, parkQuality.Intact));
        Assert.Equal(new Dictionary<string, long> { ["normal"] = 32_330, ["over_range"] = 10, ["stopped"] = 60 }, parkQuality.Flags);
        var worst = parkQuality.SensorFigures.Take(2).ToArray();
        Assert.Equal((silent.Id, Math.Round(300 / 360.0, 4), Math.Round(300 / 360.0, 4)), (worst[0].Sensor, worst[0].Online, worst[0].Intact));
        Assert.Equal((garbled.Id, 1.0, Math.Round(350 / 360.0, 4)), (worst[1].Sensor, worst[1].Online, worst[1].Intact));
        Assert.Equal(Math.Round(2_100 / 2_160.0, 4), dq.Single(q => q is { Scope: "site", Id: "SH-HGQ-E02-S1", Window: "1h" }).Online);
    }
}
