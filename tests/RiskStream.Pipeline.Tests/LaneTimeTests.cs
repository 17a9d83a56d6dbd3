using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline.Lanes;
using RiskStream.Scenarios.Definitions;
using RiskStream.Testing;

namespace RiskStream.Pipeline.Tests;

/// <summary>
/// Two clocks: event time decides what readings mean, processing time (the lane's tick, on a fake clock here)
/// decides when silence has lasted too long and when someone is owed an answer.
/// </summary>
public sealed class LaneTimeTests
{
    private static readonly ParkRegistry Registry = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly ScenarioSet Scenarios = ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 7, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SensorLane _lane;
    private readonly List<WarningEvent> _warnings = [];
    private long _offset;

    public LaneTimeTests() => _lane = new SensorLane(new PipelineContext { Registry = Registry, Options = new PipelineOptions(), Scenarios = Scenarios, Time = _time, OnWarning = _warnings.Add });

    private DateTimeOffset Now => _time.GetUtcNow();

    private void Feed(IEnumerable<(SensorDef Sensor, double Value, DateTimeOffset Ts)> readings)
    {
        var messages = readings.Select(r => new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topics.Readings, 0, _offset++),
            Message = new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(r.Sensor.Site.Id),
                Value = JsonSerializer.SerializeToUtf8Bytes(new Reading(r.Sensor.Site.Id, r.Sensor.Id, r.Sensor.Kind, r.Value, r.Sensor.Kind.CanonicalUnit(), r.Ts), ContractJson.Default.Reading),
                Timestamp = new Timestamp(Now),
            },
        }).ToArray();
        if (messages.Length > 0)
        {
            _lane.Process(new LaneWork(ConsumedBatch.Detached(Topics.Readings, 0, messages), 0, messages));
        }
    }

    /// <summary>A normal value of the sensor, with a little noise (an exactly constant sensor is a stuck one).</summary>
    private double Typical(SensorDef sensor) =>
        Sensors.Features.SensorFeatures.TypicalValue(sensor.Kind) * (1 + (0.01 * ((_time.GetUtcNow().ToUnixTimeSeconds() + sensor.Index) % 5)));

    /// <summary>Every sensor of the sites at a normal value, at the clock's time.</summary>
    private void Normal(params SiteDef[] sites) => Feed(sites.SelectMany(s => s.Sensors).Select(s => (s, Typical(s), Now)));

    /// <summary>One second of processing time with nothing arriving: the clock moves, the lane ticks.</summary>
    private void Silence(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _lane.Process(LaneWork.Tick(0, null));
        }
    }

    [Fact]
    public void A_reading_stamped_fifty_minutes_ahead_freezes_nothing_and_a_leak_after_it_warns_in_seconds()
    {
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        var lel = site.Sensors.First(s => s.Kind == SensorKind.CombustibleLel);
        for (var i = 0; i < 20; i++)
        {
            Normal(site);
            _time.Advance(TimeSpan.FromSeconds(1));
            _lane.Process(LaneWork.Tick(0, null));
        }

        // One reading of the leaking detector stamped 50 minutes ahead (within the hour the decoder accepts).
        Feed([(lel, 1.5, Now.AddMinutes(50))]);
        var leakStart = Now;
        for (var i = 0; i < 60; i++)
        {
            Feed(site.Sensors.Select(s => (s, s == lel ? 60.0 + (i % 3) : Typical(s), Now)));
            _time.Advance(TimeSpan.FromSeconds(1));
            _lane.Process(LaneWork.Tick(0, null));
        }

        var leak = _warnings.First(w => w.Scenario == "combustible_gas_leak");
        Assert.InRange(leak.Time - leakStart, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(_warnings, w => w.Scenario is "sensor_health" or "communication_lost");
    }

    [Fact]
    public void A_site_silent_mid_leak_is_communication_lost_on_time_and_the_leak_escalates_with_no_reading()
    {
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        var lel = site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).Take(2).ToArray();
        for (var i = 0; i < 10; i++)
        {
            Normal(site);
            Silence(1);
        }

        // Two detectors at the second level (orange), then the site falls silent: an explosion, a power cut.
        Feed(site.Sensors.Select(s => (s, lel.Contains(s) ? 60.0 : Typical(s), Now)));
        var raised = _warnings.Last(w => w.Scenario == "combustible_gas_leak");
        Assert.Equal(WarningLevel.Orange, raised.Level);
        Silence(240);

        // The registry's period is 10 s: three missed periods, and the site has an active warning, so orange at least.
        var lost = _warnings.First(w => w.Scenario == "communication_lost");
        Assert.InRange(lost.Time - raised.Time, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(32));
        Assert.True(lost.Level >= WarningLevel.Orange, $"{lost.Level}");

        // Nobody acknowledged within the scenario's 3 minutes: escalated on schedule, on processing time alone.
        var escalated = _warnings.First(w => w.Scenario == "combustible_gas_leak" && w.Reason!.Contains("no acknowledgement", StringComparison.Ordinal));
        Assert.InRange(escalated.Time - raised.Time, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(182));
        Assert.Equal(WarningLevel.Red, escalated.Level);

        // Silence is no evidence of calm: the leak warning is not resolved while its detectors are silent.
        Assert.DoesNotContain(_warnings, w => w.Scenario == "combustible_gas_leak" && w.Status is WarningStatus.Resolved or WarningStatus.Deescalated);
    }

    [Fact]
    public void A_whole_park_going_quiet_is_one_clear_warning_per_site_not_a_flood()
    {
        var sites = Registry.SiteList.ToArray();
        for (var i = 0; i < 10; i++)
        {
            Normal(sites);
            Silence(1);
        }

        Assert.Empty(_warnings);
        Silence(120);
        Assert.All(_warnings, w => Assert.Equal(("communication_lost", WarningStatus.Raised, WarningLevel.Yellow), (w.Scenario, w.Status, w.Level)));
        Assert.Equal(sites.Select(s => s.Id).Order(), _warnings.Select(w => w.Site).Order());
    }

    [Fact]
    public void Sites_of_partitions_held_elsewhere_are_forgotten_and_raise_nothing_here()
    {
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        Normal(site);
        _lane.Process(LaneWork.Tick(0, new HashSet<int> { 3 }));
        Silence(120);
        Assert.Empty(_warnings);
        Assert.Empty(_lane.Engine.Sites);
    }
}
