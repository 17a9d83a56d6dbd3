using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;
using RiskStream.Simulation;

namespace RiskStream.IntegrationTests;

/// <summary>
/// The common-scenario engine across a failover: two instances in one group, the one holding a raised warning
/// leaves mid-scenario, the other restores the warning from riskstream.warning-state and carries it on.
/// </summary>
public sealed class ScenarioFailoverTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly DateTimeOffset Base = DateTimeOffset.UtcNow.AddMinutes(-30);
    private readonly EmbeddedBroker _broker = EmbeddedBroker.Start();
    private readonly ParkRegistry _park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private readonly SiteDef _site;
    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly Random _noise = new(7);

    public ScenarioFailoverTests()
    {
        _broker.EnsureTopics([.. Topics.All(_park)]);
        _site = _park.Sites["SH-HGQ-E04-S1"];
        _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = _broker.BootstrapServers }.ToConfig()).Build();
    }

    /// <summary>Every sensor of the site for the seconds given; the first two gas detectors at 60 %LEL from 10 s to 40 s.</summary>
    private void Produce(int fromSecond, int toSecond)
    {
        var lel = _site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).OrderBy(s => s.Id, StringComparer.Ordinal).Take(2).ToHashSet();
        for (var t = fromSecond; t <= toSecond; t++)
        {
            foreach (var sensor in _site.Sensors)
            {
                var normal = (sensor.Baseline ?? ParkSimulator.DefaultBaseline(sensor.Kind)) * (1 + ((_noise.NextDouble() - 0.5) * 0.02));
                var value = lel.Contains(sensor) && t is >= 10 and <= 40 ? 60 + _noise.NextDouble() : normal;
                var reading = new Reading(_site.Id, sensor.Id, sensor.Kind, Math.Round(value, 4), sensor.Kind.CanonicalUnit(), Base.AddSeconds(t));
                _producer.Produce(Topics.Readings, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(_site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading) });
            }
        }

        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Failover_mid_scenario_neither_raises_twice_nor_loses_the_resolve_and_acknowledgements_reach_the_new_owner()
    {
        using var warnings = new TopicRecorder(_broker.BootstrapServers, Topics.Warnings, v => JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!.Id);
        var acks = Topics.AckTopics(_park);
        List<WarningEvent> Leak() => warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!)
            .Where(e => e.Scenario == "combustible_gas_leak" && e.Site == _site.Id).ToList();

        var a = new PipelineInstance(_broker.BootstrapServers, _park, "g-scenario", "scnA", acks);
        Produce(0, 25);
        await Eventually.TrueAsync(() => Leak().Any(e => e is { Status: WarningStatus.Raised }), Deadline, "instance A to raise the leak warning");
        await Eventually.TrueAsync(() => a.Scored >= 26 * _site.Sensors.Count, Deadline, "A to score the first 26 s");

        // B joins; then A leaves mid-scenario (the warning active, not yet resolved).
        var b = new PipelineInstance(_broker.BootstrapServers, _park, "g-scenario", "scnB", acks);
        await Eventually.TrueAsync(() => a.Running.Control.Assignment.Count > 0 && b.Running.Control.Assignment.Count > 0, Deadline, "both instances to own partitions");
        await a.DrainAsync();
        await a.DisposeAsync();
        await Eventually.TrueAsync(() => b.Running.Control.Assignment.Count(tp => tp.Topic == Topics.Readings) == EmbeddedBroker.PartitionsPerTopic, Deadline, "B to own every readings partition");

        Produce(26, 50);
        await Eventually.TrueAsync(() => b.Metrics.StateRestored.Value > 0, Deadline, "B to restore the warning state");
        var raised = Leak().First(e => e.Status == WarningStatus.Raised);

        // The owner acknowledges on its own topic, keyed by site: B, the new owner of the partition, records it.
        var ack = new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E04"), "control room: Zhao", Base.AddSeconds(45), "isolated flange F-7", ["nitrogen purge started"]);
        _producer.Produce(Topics.EnterpriseAcks("E04"), new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(_site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(ack, ContractJson.Default.Acknowledgement) });
        _producer.Flush(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Acknowledged), Deadline, "the acknowledgement to be published");

        Produce(51, 130);
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Resolved), Deadline, () => "the resolve after the failover; leak events: " + string.Join("; ", Leak().Select(e => $"{e.Seq} {e.Status} {e.Level}")));
        await b.DrainAsync();
        await b.DisposeAsync();

        var events = Leak().DistinctBy(e => (e.Id, e.Seq)).OrderBy(e => e.Seq).ToList();
        Assert.Single(events, e => e.Status == WarningStatus.Raised);
        Assert.Single(events, e => e.Status == WarningStatus.Resolved);
        Assert.All(events, e => Assert.Equal(raised.Id, e.Id));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        var acknowledged = events.Single(e => e.Status == WarningStatus.Acknowledged);
        Assert.Equal("control room: Zhao", Assert.Single(acknowledged.Acks).By);
        Assert.Equal("control room: Zhao", Assert.Single(events[^1].Acks).By);
    }

    public void Dispose()
    {
        _producer.Dispose();
        _broker.Dispose();
    }
}
