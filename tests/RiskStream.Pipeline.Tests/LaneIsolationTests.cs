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

/// <summary>One message's failure is that message's alone: the lane dead-letters it and goes on, its site as before it.</summary>
public sealed class LaneIsolationTests
{
    private static readonly ParkRegistry Registry = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly ScenarioSet Scenarios = ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 7, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly PipelineMetrics _metrics = PipelineMetrics.Unregistered();
    private long _offset;

    private SensorLane Lane() => new(new PipelineContext { Registry = Registry, Options = new PipelineOptions(), Scenarios = Scenarios, Time = _time, Metrics = _metrics });

    private ProducerEnvelope<ConsumedBatch> Process(SensorLane lane, params (string Key, byte[] Value)[] messages)
    {
        var results = messages.Select(m => new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topics.Readings, 0, _offset++),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(m.Key), Value = m.Value, Timestamp = new Timestamp(Now) },
        }).ToArray();
        var range = new PartitionProgress(new TopicPartition(Topics.Readings, 0)).Register(results[0].Offset.Value, results[^1].Offset.Value);
        return lane.Process(new LaneWork(new ConsumedBatch(Topics.Readings, 0, results, range), 0, results));
    }

    private static (string, byte[]) Reading(SensorDef sensor, double value, DateTimeOffset ts) =>
        (sensor.Site.Id, JsonSerializer.SerializeToUtf8Bytes(new Reading(sensor.Site.Id, sensor.Id, sensor.Kind, value, sensor.Kind.CanonicalUnit(), ts), ContractJson.Default.Reading));

    private static DeadLetter[] Letters(ProducerEnvelope<ConsumedBatch> envelope) =>
        envelope.Messages.Where(m => m.Topic == Topics.DeadLetter).Select(m => JsonSerializer.Deserialize(m.Value, ContractJson.Default.DeadLetter)!).ToArray();

    [Fact]
    public void A_site_id_with_a_lone_surrogate_is_a_dead_letter_and_the_readings_after_it_are_scored()
    {
        var lane = Lane();
        var site = Registry.SiteList[0];
        var sensor = site.Sensors.First();
        var poison = Encoding.UTF8.GetBytes($$"""{"site":"\ud800X","sensor":"{{sensor.Id}}","kind":"{{sensor.Kind.WireName()}}","value":1,"unit":"{{sensor.Kind.CanonicalUnit()}}","ts":"2026-11-29T06:59:59Z"}""");
        var envelope = Process(lane, Reading(sensor, 1.5, Now.AddSeconds(-2)), (site.Id, poison), Reading(sensor, 1.6, Now.AddSeconds(-1)));

        var letter = Assert.Single(Letters(envelope));
        Assert.Equal(DeadLetterReason.MalformedJson, letter.Reason);
        Assert.Equal(poison, letter.Value);
        Assert.Equal(2, envelope.Messages.Count(m => m.Topic == Topics.Scores));
    }

    [Fact]
    public void A_message_whose_evaluation_throws_is_a_processing_error_and_leaves_its_site_as_before_it()
    {
        var lane = Lane();
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        var lel = site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).Take(2).ToArray();
        var fail = true;
        lane.Engine.BeforeEvaluate = def =>
        {
            if (fail && def.Id == "combustible_gas_leak")
            {
                throw new InvalidOperationException("injected");
            }
        };

        Process(lane, Reading(lel[1], 1.5, Now.AddSeconds(-1)));

        // The second-level reading fails in the scenario engine: no score, no warning, a dead letter naming the stage.
        var failed = Process(lane, Reading(lel[0], 60, Now));
        var letter = Assert.Single(Letters(failed));
        Assert.Equal((DeadLetterReason.ProcessingError, "scenario", typeof(InvalidOperationException).FullName), (letter.Reason, letter.Stage, letter.Error));
        Assert.Contains("injected", letter.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(failed.Messages, m => m.Topic is Topics.Scores or Topics.Warnings or Topics.WarningState);
        SchemaAssert.Valid("deadletter.v3.json", Encoding.UTF8.GetString(failed.Messages.Single().Value));
        Assert.Equal(1, _metrics.ProcessingErrors.WithLabels(Topics.Readings, "scenario").Value);
        Assert.Equal(0, lane.Engine.Active);

        // The site is as if the failed reading never came: the same reading again raises yellow (one detector at
        // the second level), not a warning resumed from a half-applied evaluation.
        fail = false;
        var again = Process(lane, Reading(lel[0], 60, Now));
        var warning = JsonSerializer.Deserialize(again.Messages.Single(m => m.Topic == Topics.Warnings).Value, ContractJson.Default.WarningEvent)!;
        Assert.Equal((WarningStatus.Raised, WarningLevel.Yellow, 1L), (warning.Status, warning.Level, warning.Seq));
        Assert.Single(again.Messages, m => m.Topic == Topics.Scores);
    }

    [Fact]
    public void A_failure_after_a_warning_was_raised_undoes_the_raise()
    {
        var lane = Lane();
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        var lel = site.Sensors.First(s => s.Kind == SensorKind.CombustibleLel);
        Process(lane, Reading(lel, 1.5, Now.AddSeconds(-1)));
        var leakEvaluated = false;

        // The leak scenario evaluates (and raises); the next scenario the same reading wakes throws.
        lane.Engine.BeforeEvaluate = def =>
        {
            if (leakEvaluated)
            {
                leakEvaluated = false;
                throw new InvalidOperationException("injected after the raise");
            }

            leakEvaluated |= def.Id == "combustible_gas_leak";
        };
        var failed = Process(lane, Reading(lel, 60, Now));
        Assert.Equal(DeadLetterReason.ProcessingError, Assert.Single(Letters(failed)).Reason);
        Assert.Equal(0, lane.Engine.Active);

        lane.Engine.BeforeEvaluate = null;
        var again = Process(lane, Reading(lel, 60, Now.AddSeconds(1)));
        var warning = JsonSerializer.Deserialize(again.Messages.Single(m => m.Topic == Topics.Warnings).Value, ContractJson.Default.WarningEvent)!;
        Assert.Equal((WarningStatus.Raised, 1L), (warning.Status, warning.Seq));
        Assert.Equal(1, lane.Engine.Active);
    }

    [Fact]
    public void A_dead_letter_of_a_huge_message_stays_under_its_bound_with_the_original_length_and_hash()
    {
        var lane = Lane();
        var site = Registry.SiteList[0];
        var huge = Encoding.UTF8.GetBytes("{\"site\":\"" + site.Id + "\",\"pad\":\"" + new string('x', 900_000) + "\"}");
        var envelope = Process(lane, (site.Id, huge));
        var message = envelope.Messages.Single();
        Assert.InRange(message.Value.Length, 1, new Codecs.InputLimits().MaxDeadLetterBytes);
        var letter = Letters(envelope).Single();
        Assert.Equal(DeadLetterReason.Oversized, letter.Reason);
        Assert.True(letter.Truncated);
        Assert.Equal(huge.Length, letter.ValueLength);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(huge)), letter.ValueSha256);
        Assert.Equal(huge.AsSpan(0, letter.Value.Length).ToArray(), letter.Value);
        SchemaAssert.Valid("deadletter.v3.json", Encoding.UTF8.GetString(message.Value));
    }
}
