using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kpis;
using RiskStream.Simulation;
using RiskStream.Testing;

namespace RiskStream.Pipeline.Tests;

/// <summary>Report by exception (<c>ScorePublishing=exception</c>): fewer scores, the same warnings and KPIs.</summary>
public sealed class ScoreReportingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);
    private static readonly ParkRegistry Registry = SyntheticPark.Create(4, 10); // reporting period 1 min (the default)
    private static readonly RiskStream.Scenarios.Definitions.ScenarioSet Scenarios = RiskStream.Scenarios.Definitions.ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));

    private static SensorDef Sensor(SensorKind kind) => Registry.SiteList[0].Sensors.First(s => s.Kind == kind);

    [Fact]
    public void A_score_is_withheld_only_inside_both_deadbands_in_normal_operation_within_its_period()
    {
        var reporting = new ScoreReporting(Registry, new ScoreReportingOptions { Mode = ScorePublishing.Exception, RiskDeadband = 0.05, ValueDeadband = 0.02 });
        var lel = Sensor(SensorKind.CombustibleLel);
        var band = 0.02 * ScoreReporting.Scale(lel); // LEL's first setpoint is 25 %LEL: 0.5 %LEL
        Assert.Equal(0.5, band, 6);
        var t = Now.AddSeconds(1).ToUnixTimeMilliseconds();
        bool Publish(double value, long ts, double risk, AlarmLevel alarm = AlarmLevel.None, bool anomalous = false, bool late = false, bool remember = true)
        {
            var publish = reporting.ShouldPublish(lel, value, ts, alarm, risk, anomalous, late);
            if (publish && remember)
            {
                reporting.Remember(lel, value, ts, alarm, risk, anomalous);
            }

            return publish;
        }

        Assert.True(Publish(1.0, t, 0.10)); // the sensor's first
        Assert.False(Publish(1.4, t + 1000, 0.14)); // inside both bands
        Assert.True(Publish(1.6, t + 2000, 0.10)); // value out of its band (0.6 > 0.5)
        Assert.True(Publish(1.6, t + 3000, 0.16)); // risk out of its band (0.06 > 0.05)
        Assert.False(Publish(1.6, t + 4000, 0.16));
        Assert.True(Publish(26, t + 5000, 0.9, AlarmLevel.First)); // in alarm: always
        Assert.True(Publish(26, t + 6000, 0.9, AlarmLevel.First));
        Assert.True(Publish(1.6, t + 7000, 0.16)); // back to normal: its level differs from the last published
        Assert.True(Publish(1.6, t + 8000, 0.16, anomalous: true)); // anomalous: always
        Assert.True(Publish(1.6, t + 9000, 0.16)); // no longer anomalous
        Assert.False(Publish(1.6, t + 10_000, 0.16));
        Assert.True(Publish(1.6, t - 30_000, 0.16, late: true)); // late: always
        Assert.True(Publish(1.6, Now.AddMinutes(1).ToUnixTimeMilliseconds(), 0.16)); // the first of its next reporting period
        Assert.False(Publish(1.6, Now.AddMinutes(1).AddSeconds(1).ToUnixTimeMilliseconds(), 0.16));

        // Out of order (within the lateness, so not late): an older reading is published and not remembered, since the
        // KPIs skip a sensor's older score as its state. After a second-level alarm, a normal reading 5 s older is
        // published; the next normal one is published too (the last remembered is still the alarm): the return to
        // normal the alarm KPIs must see.
        var o = Now.AddMinutes(1).AddSeconds(30).ToUnixTimeMilliseconds();
        Assert.True(Publish(61, o, 0.95, AlarmLevel.Second));
        Assert.True(Publish(1.6, o - 5_000, 0.16));
        Assert.True(Publish(1.6, o + 1_000, 0.16));
        Assert.False(Publish(1.6, o + 2_000, 0.16));

        // A score decided but whose reading then failed is not remembered: the next one is published.
        var next = Now.AddMinutes(1).AddSeconds(2).ToUnixTimeMilliseconds();
        Assert.True(Publish(3.0, next, 0.16, remember: false));
        Assert.True(Publish(3.0, next + 1000, 0.16));
    }

    [Fact]
    public void A_shorter_max_interval_publishes_at_each_of_its_boundaries()
    {
        var reporting = new ScoreReporting(Registry, new ScoreReportingOptions { Mode = ScorePublishing.Exception, MaxInterval = TimeSpan.FromSeconds(10) });
        var o2 = Sensor(SensorKind.O2);
        var published = 0;
        for (var s = 0; s < 60; s++)
        {
            var ts = Now.AddSeconds(s).ToUnixTimeMilliseconds();
            if (reporting.ShouldPublish(o2, 20.9, ts, AlarmLevel.None, 0.01, false, false))
            {
                reporting.Remember(o2, 20.9, ts, AlarmLevel.None, 0.01, false);
                published++;
            }
        }

        Assert.Equal(6, published); // 07:00:00, :10, :20, :30, :40, :50
    }

    [Fact]
    public void The_first_score_under_each_new_assignment_is_published_even_when_the_process_held_the_partition_before()
    {
        var reporting = new ScoreReporting(Registry, new ScoreReportingOptions { Mode = ScorePublishing.Exception });
        var o2 = Sensor(SensorKind.O2);
        bool Publish(long ts, long generation)
        {
            if (!reporting.ShouldPublish(o2, 20.9, ts, AlarmLevel.None, 0.01, false, false, generation))
            {
                return false;
            }

            reporting.Remember(o2, 20.9, ts, AlarmLevel.None, 0.01, false, generation);
            return true;
        }

        var t = Now.ToUnixTimeMilliseconds();
        Assert.True(Publish(t, 1));
        Assert.False(Publish(t + 1_000, 1));

        // The partition went to another process and came back (generation 3): what this process last published is
        // no longer what the scores topic last holds for the sensor.
        Assert.True(Publish(t + 2_000, 3));
        Assert.False(Publish(t + 3_000, 3));

        // Under a new assignment an out-of-order reading is published but not remembered, so the next in-order one is
        // still the first under it: remembered, a return to normal after another process's alarm could be withheld.
        Assert.True(Publish(t + 1_500, 4));
        Assert.True(Publish(t + 4_000, 4));
        Assert.False(Publish(t + 5_000, 4));
    }

    [Theory]
    [InlineData(7_000)]
    [InlineData(60_000)]
    [InlineData(70_000)]
    [InlineData(7_200_000)]
    public void Periods_are_the_ones_data_quality_counts_even_when_they_do_not_divide_an_hour(int periodMs)
    {
        // The data-quality calculator's own slot of a time: its hour, and the period within it (the last takes the rest).
        var period = TimeSpan.FromMilliseconds(periodMs);
        (DateTimeOffset, int) Slot(long ts)
        {
            var t = DateTimeOffset.FromUnixTimeMilliseconds(ts);
            var hour = KpiWindows.Floor(t, TimeSpan.FromHours(1));
            return (hour, ReportingPeriods.InHour(t - hour, period));
        }

        var start = Now.AddMinutes(-3).ToUnixTimeMilliseconds();
        for (var ts = start; ts < start + (3 * 3_600_000); ts += 997)
        {
            Assert.Equal(Slot(ts) == Slot(ts + 997), ReportingPeriods.Of(ts, period) == ReportingPeriods.Of(ts + 997, period));
        }
    }

    /// <summary>
    /// Twenty simulated minutes of a 40-sensor park, every sensor reporting every 5 s (its data-quality period is a
    /// minute), with the simulator's leaks, faults and silences every 45 s and the shipped models scoring: the same
    /// readings through a lane that publishes every score and one that reports by exception. The warnings must be the
    /// same, event for event, and so must the alarm KPIs and data quality the KPI job computes from what each
    /// published; the scores published by exception must be a small share, each equal to the one published for
    /// that reading in the other lane, and every score in alarm or anomalous must be among them.
    /// </summary>
    [Fact]
    public void By_exception_the_warnings_and_KPIs_are_the_same_from_a_fraction_of_the_scores()
    {
        var every = Run(ScorePublishing.Every);
        var exception = Run(ScorePublishing.Exception);

        Assert.True(every.Warnings.Count >= 5, $"the simulator raised only {every.Warnings.Count} warnings");
        output.WriteLine($"{every.Warnings.Count} warning events; {every.Scores.Count} scores published when every one is, {exception.Scores.Count} by exception");
        Assert.Equal(every.Warnings, exception.Warnings);
        Assert.Equal(every.AlarmKpis, exception.AlarmKpis);
        Assert.Equal(every.DataQuality, exception.DataQuality);

        Assert.True(every.Scores.Count > 40 * 60, $"{every.Scores.Count} scores"); // several per sensor per minute
        Assert.InRange(exception.Scores.Count, 40 * 20, every.Scores.Count / 2); // at least one per sensor per minute
        var byReading = every.Scores.ToDictionary(s => (s.Score.Site, s.Sensor, s.Ts), s => s.Json);
        Assert.All(exception.Scores, s => Assert.Equal(byReading[(s.Score.Site, s.Sensor, s.Ts)], s.Json));
        var published = exception.Scores.Select(s => (s.Score.Site, s.Sensor, s.Ts)).ToHashSet();
        var mustBe = every.Scores.Where(s => s.Score.Alarm != AlarmLevel.None || s.Score.Anomalous).ToArray();
        Assert.NotEmpty(mustBe);
        Assert.All(mustBe, s => Assert.Contains((s.Score.Site, s.Sensor, s.Ts), published));
    }

    private sealed record Outcome(List<(string Sensor, DateTimeOffset Ts, Score Score, string Json)> Scores, List<string> Warnings, List<string> AlarmKpis, List<string> DataQuality);

    private static Outcome Run(ScorePublishing mode)
    {
        var time = new FakeTimeProvider(Now);
        var model = new RiskStream.Sensors.Models.MlRiskModel(new RiskStream.Sensors.Models.ModelRegistry(RepoPaths.Of("models")), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var options = new PipelineOptions { Scores = new ScoreReportingOptions { Mode = mode } };
        var lane = new OfflineLane(new PipelineContext { Registry = Registry, Options = options, Scenarios = Scenarios, Time = time, Model = model });
        var simulator = new ParkSimulator(Registry, new SimulationOptions { Seed = 23, RatePerSecond = 8, InspectionEvery = TimeSpan.Zero }, Now);
        var alarms = new AlarmKpiCalculator(Registry);
        var quality = new DataQualityCalculator(Registry, (_, _, _) => null);
        var scores = new List<(string, DateTimeOffset, Score, string)>();
        var warnings = new List<string>();
        void Take(IEnumerable<RiskStream.Kafka.OutboundMessage> messages)
        {
            foreach (var m in messages)
            {
                switch (m.Topic)
                {
                    case Topics.Scores:
                        var score = JsonSerializer.Deserialize(m.Value, ContractJson.Default.Score)!;
                        scores.Add((score.Sensor, score.Ts, score, System.Text.Encoding.UTF8.GetString(m.Value)));
                        alarms.ObserveScore(score);
                        quality.Observe(score);
                        break;
                    case Topics.Warnings:
                        var e = JsonSerializer.Deserialize(m.Value, ContractJson.Default.WarningEvent)!;
                        alarms.Observe(e);
                        warnings.Add(System.Text.Encoding.UTF8.GetString(m.Value));
                        break;
                    case Topics.DeadLetter:
                        quality.ObserveDeadLetter(JsonSerializer.Deserialize(m.Value, ContractJson.Default.DeadLetter)!);
                        break;
                }
            }
        }

        for (var k = 0; k < 20 * 60 / 5; k++)
        {
            var ts = Now.AddSeconds(k * 5);
            time.SetUtcNow(ts);
            Take(lane.Tick());
            var readings = simulator.Sensors.Select(s => simulator.ReadingAt(s, ts)).OfType<Reading>()
                .Select(r => (r.Site, JsonSerializer.SerializeToUtf8Bytes(r, ContractJson.Default.Reading))).ToArray();
            Take(lane.Process(Topics.Readings, readings));
        }

        var end = Now.AddMinutes(20);
        return new Outcome(
            scores,
            warnings,
            [.. alarms.Close(end).Select(k => JsonSerializer.Serialize(k, ContractJson.Default.AlarmKpis))],
            [.. quality.Close(end.AddMinutes(40)).Select(q => JsonSerializer.Serialize(q, ContractJson.Default.DataQuality))]);
    }
}
