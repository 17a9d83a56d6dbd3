using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;
using RiskStream.Kafka;
using RiskStream.Pipeline.Lanes;
using RiskStream.Pipeline.State;
using RiskStream.Codecs;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Tests;

/// <summary>The lane as the common-scenario engine's host: delivery to audiences, CAP, acknowledgements, state.</summary>
public sealed class LaneScenarioTests
{
    private static readonly ParkRegistry Registry = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly ScenarioSet Scenarios = ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 7, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly SensorLane _lane;
    private readonly PipelineMetrics _metrics = PipelineMetrics.Unregistered();
    private long _offset;

    public LaneScenarioTests() => _lane = new SensorLane(new PipelineContext
    {
        Registry = Registry,
        Options = new PipelineOptions(),
        Scenarios = Scenarios,
        Time = _time,
        Metrics = _metrics,
        AckTopics = Topics.AckTopics(Registry),
    });

    private ProducerEnvelope<ConsumedBatch> Process(string topic, string key, byte[] value, int partition = 2)
    {
        var message = new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, partition, _offset++),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value, Timestamp = new Timestamp(Now) },
        };
        var progress = new PartitionProgress(new TopicPartition(topic, partition));
        var range = progress.Register(message.Offset.Value, message.Offset.Value);
        return _lane.Process(new LaneWork(new ConsumedBatch(topic, partition, [message], range), 0, [message]));
    }

    private ProducerEnvelope<ConsumedBatch> Reading(SensorDef sensor, double value, DateTimeOffset ts) =>
        Process(Topics.Readings, sensor.Site.Id, JsonSerializer.SerializeToUtf8Bytes(new Reading(sensor.Site.Id, sensor.Id, sensor.Kind, value, sensor.Kind.CanonicalUnit(), ts), ContractJson.Default.Reading));

    private ProducerEnvelope<ConsumedBatch> Ack(string topic, string key, Acknowledgement ack) =>
        Process(topic, key, JsonSerializer.SerializeToUtf8Bytes(ack, ContractJson.Default.Acknowledgement));

    private static WarningEvent WarningOf(ProducerEnvelope<ConsumedBatch> envelope) =>
        JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.Warnings).Value, ContractJson.Default.WarningEvent)!;

    private static DeadLetter DeadLetterOf(ProducerEnvelope<ConsumedBatch> envelope) =>
        JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.DeadLetter).Value, ContractJson.Default.DeadLetter)!;

    /// <summary>A leak at E04's tank farm reaching orange: two detectors at the second level.</summary>
    private WarningEvent OrangeLeak(out SiteDef site)
    {
        site = Registry.Sites["SH-HGQ-E04-S1"];
        var lel = site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).Take(2).ToArray();
        Reading(lel[0], 60, Now);
        return WarningOf(Reading(lel[1], 60, Now.AddSeconds(1)));
    }

    [Fact]
    public void A_warning_goes_in_JSON_and_CAP_to_exactly_its_audiences_and_its_state_to_the_input_partition()
    {
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        var lel = site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).Take(2).ToArray();
        Reading(lel[0], 60, Now);
        var envelope = Reading(lel[1], 60, Now.AddSeconds(1));
        var warning = WarningOf(envelope);
        Assert.Equal(WarningLevel.Orange, warning.Level);

        var expected = new HashSet<string> { Topics.Warnings, Topics.Cap, Topics.WarningState, Topics.Scores };
        foreach (var a in warning.Audiences)
        {
            expected.Add(a.Type == PartyType.Government ? Topics.GovernmentWarnings(a.Id) : Topics.EnterpriseWarnings(a.Id));
            expected.Add(a.Type == PartyType.Government ? Topics.GovernmentCap(a.Id) : Topics.EnterpriseCap(a.Id));
        }

        Assert.True(expected.SetEquals(envelope.Messages.Select(m => m.Topic)), string.Join(", ", envelope.Messages.Select(m => m.Topic).Distinct()));

        // The whole chain above the park, the owner, neighbours within 800 m, and the enterprises engaged for leak
        // repair and hazmat rescue by the nearest jurisdiction that engaged any.
        Assert.Equal(["310116-SCIP", "310116", "310000"], warning.Audiences.Where(a => a.Type == PartyType.Government).Select(a => a.Id));
        Assert.Contains(warning.Audiences, a => a is { Type: PartyType.Enterprise, Id: "E04", Reason: "site owner" });
        Assert.Contains(warning.Audiences, a => a.Type == PartyType.Enterprise && a.Id == "E07" && a.Reason.Contains("gas_leak_repair", StringComparison.Ordinal));
        Assert.Contains(warning.Audiences, a => a.Type == PartyType.Enterprise && a.Id == "E01" && a.Reason.Contains("hazmat_rescue", StringComparison.Ordinal));
        Assert.DoesNotContain(warning.Audiences, a => a.Id is "E03" or "E06");

        foreach (var m in envelope.Messages.Where(m => m.Topic.StartsWith("riskstream.cap", StringComparison.Ordinal)))
        {
            var cap = CapAssert.Valid(Encoding.UTF8.GetString(m.Value));
            Assert.Equal("Update", CapAssert.Value(cap, "msgType"));
            Assert.Equal("Severe", CapAssert.Value(cap, "severity"));
            Assert.Equal("Private", CapAssert.Value(cap, "scope"));
            Assert.Matches(@"^31011611310116MB2F31560D\d{14}\d{4}$", CapAssert.Value(cap, "identifier"));
        }

        SchemaAssert.Valid("warning.v3.json", Encoding.UTF8.GetString(envelope.Messages.First(m => m.Topic == Topics.Warnings).Value));
        var state = envelope.Messages.Single(m => m.Topic == Topics.WarningState);
        Assert.Equal(2, state.Partition);
        Assert.Equal($"combustible_gas_leak|{site.Id}", Encoding.UTF8.GetString(state.Key!));
    }

    [Fact]
    public void An_acknowledgement_on_the_party_s_own_topic_is_recorded_and_published()
    {
        var warning = OrangeLeak(out var site);
        var owner = new Party(PartyType.Enterprise, site.Enterprise.Id);
        var ack = new Acknowledgement(warning.Id, owner, "duty manager Chen", Now.AddSeconds(30), "leak isolated", ["valve V-3 closed"]);
        var envelope = Ack(Topics.EnterpriseAcks(owner.Id), site.Id, ack);
        var acknowledged = WarningOf(envelope);
        Assert.Equal((WarningStatus.Acknowledged, warning.Id, warning.Seq + 1), (acknowledged.Status, acknowledged.Id, acknowledged.Seq));
        var record = Assert.Single(acknowledged.Acks);
        Assert.Equal((owner, "leak isolated"), (record.Party, record.Text));
        Assert.Equal(ResponseStatus.Acknowledged, acknowledged.Responses!.Single(r => r.Party == owner).Status);
        Assert.Equal((ResponseKind.Acknowledge, ResponseRole.Owner, "duty manager Chen"), acknowledged.Trail!.Select(t => (t.Action, t.Role, t.By)).Single());
        Assert.Contains(envelope.Messages, m => m.Topic == Topics.WarningState);
        Assert.Contains(envelope.Messages, m => m.Topic == Topics.GovernmentWarnings("310000"));
        Assert.Equal(1, _metrics.Acks.WithLabels("ent", "accepted").Value);

        // The same acknowledgement again (a redelivery) changes nothing and refuses nothing.
        Assert.DoesNotContain(Ack(Topics.EnterpriseAcks(owner.Id), site.Id, ack).Messages, m => m.Topic is Topics.Warnings or Topics.DeadLetter);
    }

    [Fact]
    public void An_answer_the_sender_s_role_does_not_permit_is_dead_lettered_naming_the_role()
    {
        var warning = OrangeLeak(out var site);
        var assisting = warning.Assistance!.First(a => a.Status == AssistanceStatus.Requested).Enterprise;
        var envelope = Ack(Topics.EnterpriseAcks(assisting), site.Id, new Acknowledgement(warning.Id, new Party(PartyType.Enterprise, assisting), "team lead", Now.AddSeconds(5), "on the way", null));
        var letter = DeadLetterOf(envelope);
        Assert.Equal(DeadLetterReason.NotPermitted, letter.Reason);
        Assert.Contains("is assisting", letter.Detail, StringComparison.Ordinal);
        SchemaAssert.Valid("deadletter.v3.json", Encoding.UTF8.GetString(envelope.Messages.Single().Value));
    }

    [Theory]
    [InlineData("\"kind\":\"dispose\"", DeadLetterReason.InvalidResponse, "a dispose needs disposition")]
    [InlineData("\"kind\":\"shelve\",\"sensor\":\"T104-LEL-1\",\"text\":\"noisy\"", DeadLetterReason.InvalidResponse, "a shelve needs sensor, until and text")]
    [InlineData("\"kind\":\"assistance\",\"answer\":\"accept\"", DeadLetterReason.InvalidResponse, "needs capability and answer")]
    [InlineData("\"kind\":\"explode\"", DeadLetterReason.MalformedJson, "")]
    [InlineData("\"kind\":\"dispose\",\"disposition\":99", DeadLetterReason.InvalidResponse, "not numbers")]
    [InlineData("\"kind\":7", DeadLetterReason.InvalidResponse, "not numbers")]
    [InlineData("\"kind\":\"dispose\",\"disposition\":\"not_my_fault\"", DeadLetterReason.MalformedJson, "")]
    [InlineData("\"kind\":\"shelve\",\"sensor\":\"NO-SUCH\",\"until\":\"2026-11-29T07:30:00Z\",\"text\":\"noisy\"", DeadLetterReason.InvalidResponse, "watches no sensor 'NO-SUCH'")]
    [InlineData("\"kind\":\"assistance\",\"capability\":\"hazmat_rescue\",\"answer\":\"accept\"", DeadLetterReason.NotPermitted, "is owner")]
    public void An_answer_that_lacks_what_its_kind_needs_or_does_not_fit_is_dead_lettered(string fields, DeadLetterReason reason, string detail)
    {
        var warning = OrangeLeak(out var site);
        var json = $"{{\"warningId\":\"{warning.Id}\",\"party\":{{\"type\":\"ent\",\"id\":\"{site.Enterprise.Id}\"}},\"by\":\"Chen\",\"time\":\"2026-11-29T07:00:30Z\",{fields}}}";
        var letter = DeadLetterOf(Process(Topics.EnterpriseAcks(site.Enterprise.Id), site.Id, Encoding.UTF8.GetBytes(json)));
        Assert.Equal(reason, letter.Reason);
        Assert.Contains(detail, letter.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ent", "E05", "ent", "E04", DeadLetterReason.UnauthorisedParty, "claims to be ent:E04")]
    [InlineData("ent", "E06", "ent", "E06", DeadLetterReason.UnauthorisedParty, "ent:E06 is not an audience")]
    [InlineData("gov", "310120", "gov", "310120", DeadLetterReason.UnauthorisedParty, "gov:310120 is not an audience")]
    public void A_spoofed_or_misdirected_acknowledgement_is_dead_lettered(string topicType, string topicId, string claimType, string claimId, DeadLetterReason reason, string detail)
    {
        var warning = OrangeLeak(out var site);
        var topic = topicType == "gov" ? Topics.GovernmentAcks(topicId) : Topics.EnterpriseAcks(topicId);
        var claimed = new Party(claimType == "gov" ? PartyType.Government : PartyType.Enterprise, claimId);
        var envelope = Ack(topic, site.Id, new Acknowledgement(warning.Id, claimed, "someone", Now.AddSeconds(5), null, null));
        var letter = DeadLetterOf(envelope);
        Assert.Equal((reason, topic), (letter.Reason, letter.Topic));
        Assert.Contains(detail, letter.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(envelope.Messages, m => m.Topic == Topics.Warnings);
    }

    [Fact]
    public void Acknowledgements_of_unknown_warnings_with_the_wrong_key_or_malformed_are_dead_lettered()
    {
        var warning = OrangeLeak(out var site);
        var e04 = Topics.EnterpriseAcks("E04");
        var owner = new Party(PartyType.Enterprise, "E04");
        Assert.Equal(DeadLetterReason.UnknownWarning, DeadLetterOf(Ack(e04, site.Id, new Acknowledgement($"fire:{site.Id}:1", owner, "x", Now, null, null))).Reason);
        Assert.Equal(DeadLetterReason.KeyMismatch, DeadLetterOf(Ack(e04, "SH-HGQ-E01-S1", new Acknowledgement(warning.Id, owner, "x", Now, null, null))).Reason);
        Assert.Equal(DeadLetterReason.MalformedJson, DeadLetterOf(Process(e04, site.Id, "{\"warningId\":"u8.ToArray())).Reason);
        Assert.Equal(DeadLetterReason.MissingField, DeadLetterOf(Process(e04, site.Id, "{\"warningId\":\"x\"}"u8.ToArray())).Reason);
        SchemaAssert.Valid("deadletter.v3.json", Encoding.UTF8.GetString(Ack(e04, site.Id, new Acknowledgement($"fire:{site.Id}:1", owner, "x", Now, null, null)).Messages.Single().Value));
    }

    [Fact]
    public void A_newly_assigned_partition_restores_its_warning_state_before_processing()
    {
        var record = new WarningStateRecord("combustible_gas_leak", "SH-HGQ-E04-S1", true, "combustible_gas_leak:SH-HGQ-E04-S1:1795000000000", 3, WarningLevel.Orange, 0, 1_795_000_000_000, 1_795_000_000_000, false, true, [], [], null, null, 100, 1_795_000_010_000);
        var store = new FakeStore { [2] = [record] };
        var lane = new SensorLane(new PipelineContext { Registry = Registry, Options = new PipelineOptions(), Scenarios = Scenarios, Time = _time, StateStore = store, AckTopics = Topics.AckTopics(Registry) });
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        var ack = new Acknowledgement(record.Id!, new Party(PartyType.Government, "310116"), "duty officer", Now, null, null);
        var message = new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topics.GovernmentAcks("310116"), 2, 0),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(ack, ContractJson.Default.Acknowledgement), Timestamp = new Timestamp(Now) },
        };
        var progress = new PartitionProgress(new TopicPartition(Topics.GovernmentAcks("310116"), 2));
        var envelope = lane.Process(new LaneWork(new ConsumedBatch(Topics.GovernmentAcks("310116"), 2, [message], progress.Register(0, 0)) { Generation = 7 }, 0, [message]));
        var acknowledged = WarningOf(envelope);
        Assert.Equal((record.Id, 4L, WarningLevel.Orange), (acknowledged.Id, acknowledged.Seq, acknowledged.Level));
        Assert.Equal([2], store.Loaded);
    }

    [Fact]
    public void A_state_record_that_cannot_be_applied_is_skipped_and_counted_and_the_others_are_restored()
    {
        var good = new WarningStateRecord("combustible_gas_leak", "SH-HGQ-E04-S1", true, "combustible_gas_leak:SH-HGQ-E04-S1:1795000000000", 3, WarningLevel.Orange, 0, 1_795_000_000_000, 1_795_000_000_000, false, true, [], [], null, null, 100, 1_795_000_010_000);
        var noSite = good with { Site = null! };
        var noAcks = good with { Scenario = "fire", Id = "fire:SH-HGQ-E04-S1:1", Acks = null!, AddedJurisdictions = null! };
        var store = new FakeStore { [2] = [noSite, noAcks, good] };
        var metrics = PipelineMetrics.Unregistered();
        var lane = new SensorLane(new PipelineContext { Registry = Registry, Options = new PipelineOptions(), Scenarios = Scenarios, Time = _time, StateStore = store, AckTopics = Topics.AckTopics(Registry), Metrics = metrics });
        var site = Registry.Sites["SH-HGQ-E04-S1"];
        var ack = new Acknowledgement(good.Id!, new Party(PartyType.Government, "310116"), "duty officer", Now, null, null);
        var message = new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topics.GovernmentAcks("310116"), 2, 0),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(ack, ContractJson.Default.Acknowledgement), Timestamp = new Timestamp(Now) },
        };
        var progress = new PartitionProgress(new TopicPartition(Topics.GovernmentAcks("310116"), 2));
        var envelope = lane.Process(new LaneWork(new ConsumedBatch(Topics.GovernmentAcks("310116"), 2, [message], progress.Register(0, 0)) { Generation = 1 }, 0, [message]));

        Assert.Equal((good.Id, 4L), (WarningOf(envelope).Id, WarningOf(envelope).Seq));
        Assert.Equal(1, metrics.ProcessingErrors.WithLabels(Topics.WarningState, "restore").Value);
    }

    private sealed class FakeStore : Dictionary<int, WarningStateRecord[]>, IWarningStateStore
    {
        public List<int> Loaded { get; } = [];

        public IReadOnlyList<WarningStateRecord> Load(int partition)
        {
            Loaded.Add(partition);
            return TryGetValue(partition, out var records) ? records : [];
        }
    }
}
