using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;

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
        foreach (var r in Readings.Leak(_site, Base, fromSecond, toSecond, _noise))
        {
            _producer.Produce(Topics.Readings, new Message<byte[]?, byte[]> { Key = r.Key, Value = r.Value });
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

    [Fact]
    public async Task Failover_mid_workflow_loses_no_response_reminder_or_deadline()
    {
        // The shipped scenarios with the leak's deadlines shortened so that event time (as fast as the readings go)
        // reaches them within the test: acknowledgement 40 s (a reminder at 20 s), assistance answers 20 s.
        var shipped = Scenarios.Definitions.ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
        var scenarios = new Scenarios.Definitions.ScenarioSet(shipped.Scenarios.Select(d => d.Id != "combustible_gas_leak" ? d : d with
        {
            Response = d.Response with { Acknowledge = [TimeSpan.Zero, .. Enumerable.Repeat(TimeSpan.FromSeconds(40), 4)], AssistanceAnswer = TimeSpan.FromSeconds(20) },
        }).ToList());
        using var warnings = new TopicRecorder(_broker.BootstrapServers, Topics.Warnings, v => JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!.Id);
        using var deadLetters = new TopicRecorder(_broker.BootstrapServers, Topics.DeadLetter, _ => "");
        var acks = Topics.AckTopics(_park);
        List<WarningEvent> Leak() => warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!)
            .Where(e => e.Scenario == "combustible_gas_leak" && e.Site == _site.Id).DistinctBy(e => (e.Id, e.Seq)).OrderBy(e => e.Seq).ToList();
        var regulator = new Party(PartyType.Government, _site.Jurisdiction.Id);
        var owner = new Party(PartyType.Enterprise, _site.Enterprise.Id);
        void Answer(Acknowledgement a)
        {
            var topic = Topics.AcksOf(a.Party.Type, a.Party.Id);
            _producer.Produce(topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(_site.Id), Value = JsonSerializer.SerializeToUtf8Bytes(a, ContractJson.Default.Acknowledgement) });
            _producer.Flush(TimeSpan.FromSeconds(30));
        }

        // Instance A raises the leak; the regulator confirms receipt there.
        var a = new PipelineInstance(_broker.BootstrapServers, _park, "g-workflow", "wfA", acks, scenarios: scenarios);
        Produce(0, 14);
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Raised), Deadline, "instance A to raise the leak warning");
        await Eventually.TrueAsync(() => Leak().Any(e => e.Assistance is not null), Deadline, "the leak at orange, assistance requested");
        var raised = Leak().First(e => e.Status == WarningStatus.Raised);
        var requested = Leak().First(e => e.Assistance is not null).Assistance!;
        Answer(new Acknowledgement(raised.Id, regulator, "duty officer Li", Base.AddSeconds(14), "seen", null) { Kind = ResponseKind.Receipt });
        await Eventually.TrueAsync(() => Leak().Any(e => e.Reason?.StartsWith("receipt confirmed", StringComparison.Ordinal) == true), Deadline, "the receipt under A");

        // A leaves before any deadline; B takes every partition over and carries the workflow on.
        var b = new PipelineInstance(_broker.BootstrapServers, _park, "g-workflow", "wfB", acks, scenarios: scenarios);
        await Eventually.TrueAsync(() => a.Running.Control.Assignment.Count > 0 && b.Running.Control.Assignment.Count > 0, Deadline, "both instances to own partitions");
        await a.DrainAsync();
        await a.DisposeAsync();
        await Eventually.TrueAsync(() => b.Running.Control.Assignment.Count(tp => tp.Topic == Topics.Readings) == EmbeddedBroker.PartitionsPerTopic, Deadline, "B to own every readings partition");
        var beforeB = Leak().Max(e => e.Seq);

        // Nobody acknowledges: under B the deadline passes and the level rises, and stays up (a floor) until the owner does.
        Produce(15, 70);
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Escalated && e.Reason!.Contains("no acknowledgement", StringComparison.Ordinal)), Deadline, () => "the escalation under B; leak events: " + string.Join("; ", Leak().Select(e => $"{e.Seq} {e.Status} {e.Reason}")));
        Answer(new Acknowledgement(raised.Id, owner, "safety manager Chen", Base.AddSeconds(71), "isolating", null));
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Acknowledged), Deadline, "the owner's acknowledgement under B");
        Produce(71, 160);
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Resolved), Deadline, () => "the resolve under B; leak events: " + string.Join("; ", Leak().Select(e => $"{e.Seq} {e.Status} {e.Reason}")));
        var resolved = Leak().Single(e => e.Status == WarningStatus.Resolved);
        Answer(new Acknowledgement(raised.Id, owner, "safety manager Chen", Base.AddSeconds(161), "flange gasket failed; replaced", null) { Kind = ResponseKind.Dispose, Disposition = DispositionReason.ConfirmedHazard });

        // The regulator confirms the disposition it has seen: the two answers travel on different topics, whose order
        // of arrival nothing fixes, so the confirmation is sent once the owner's disposition is out.
        await Eventually.TrueAsync(() => Leak().Any(e => e.Disposition?.Party == owner), Deadline, () => "the owner's disposition under B; leak events: " + string.Join("; ", Leak().Select(e => $"{e.Seq} {e.Status} {e.Reason}")));
        Answer(new Acknowledgement(raised.Id, regulator, "duty officer Li", Base.AddSeconds(162), "confirmed on site", null) { Kind = ResponseKind.Dispose, Disposition = DispositionReason.ConfirmedHazard });
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Closed), Deadline, () => "the close under B; leak events: " + string.Join("; ", Leak().Select(e => $"{e.Seq} {e.Status} {e.Reason}")));
        await b.DrainAsync();
        await b.DisposeAsync();

        var events = Leak();
        var underB = events.Where(e => e.Seq > beforeB).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.All(events, e => Assert.Equal(raised.Id, e.Id));
        Assert.Single(events, e => e.Status == WarningStatus.Raised);

        // The receipt given under A is still there under B; each reminder went out once; the owner's deadline passed
        // under B and escalated; the assistance requests made under A went unanswered under B and moved on.
        Assert.Equal(ResponseStatus.Received, resolved.Responses!.Single(r => r.Party == regulator).Status);
        var reminders = events.Where(e => e.Reason?.Contains("reminder:", StringComparison.Ordinal) == true).Select(e => e.Reason).ToList();
        Assert.NotEmpty(reminders);
        Assert.Equal(reminders.Count, reminders.Distinct().Count());
        Assert.Contains(underB, e => e.Status == WarningStatus.Escalated && e.Reason!.Contains($"owner ent:{owner.Id}", StringComparison.Ordinal));
        Assert.Contains(underB, e => e.Reason?.Contains("did not answer within 00:00:20", StringComparison.Ordinal) == true);
        Assert.All(requested, first => Assert.Contains(resolved.Assistance!, r => r.Enterprise == first.Enterprise && r.Capability == first.Capability && r.Status == AssistanceStatus.Unanswered));

        // The close carries the disposition, confirmed, and the whole trail across both instances.
        var closed = events[^1];
        Assert.Equal(WarningStatus.Closed, closed.Status);
        Assert.Equal((DispositionReason.ConfirmedHazard, owner, regulator), (closed.Disposition!.Reason, closed.Disposition.Party, closed.Disposition.ConfirmedBy));
        Assert.Equal(["regulator receipt", "owner acknowledge", "owner dispose", "regulator dispose"], closed.Trail!.Select(t => $"{t.Role.Wire()} {t.Action.Wire()}"));
        Assert.Empty(deadLetters.Records);
    }

    /// <summary>Deletes every record of riskstream.warning-state (a tombstone per key, on its partition); returns how many.</summary>
    private int DeleteState()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = "state-wiper", EnablePartitionEof = true, EnableAutoCommit = false }).Build();
        var keys = new HashSet<(int Partition, string Key)>();
        for (var p = 0; p < EmbeddedBroker.PartitionsPerTopic; p++)
        {
            var tp = new TopicPartition(Topics.WarningState, new Partition(p));
            var marks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
            if (marks.High.Value <= marks.Low.Value)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(tp, marks.Low));
            while (consumer.Consume(TimeSpan.FromSeconds(10)) is { } r && !r.IsPartitionEOF)
            {
                keys.Add((p, Encoding.UTF8.GetString(r.Message.Key!)));
                if (r.Offset.Value >= marks.High.Value - 1)
                {
                    break;
                }
            }
        }

        using var wiper = new ProducerBuilder<byte[]?, byte[]?>(new ProducerSettings { BootstrapServers = _broker.BootstrapServers }.ToConfig()).Build();
        foreach (var (partition, key) in keys)
        {
            wiper.Produce(new TopicPartition(Topics.WarningState, new Partition(partition)), new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = null });
        }

        wiper.Flush(TimeSpan.FromSeconds(30));
        return keys.Count;
    }

    [Fact]
    public async Task Lost_warning_state_is_found_against_what_the_parties_were_told_and_the_orphan_cancelled_before_a_new_warning()
    {
        using var warnings = new TopicRecorder(_broker.BootstrapServers, Topics.Warnings, v => JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!.Id);
        using var cap = new TopicRecorder(_broker.BootstrapServers, Topics.Cap, Encoding.UTF8.GetString);
        List<WarningEvent> Leak() => warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!)
            .Where(e => e.Scenario == "combustible_gas_leak" && e.Site == _site.Id).DistinctBy(e => (e.Id, e.Seq)).ToList();

        var a = new PipelineInstance(_broker.BootstrapServers, _park, "g-lost", "lostA");
        Produce(0, 25);
        await Eventually.TrueAsync(() => Leak().Any(e => e is { Status: WarningStatus.Raised }), Deadline, "instance A to raise the leak warning");
        await Eventually.TrueAsync(() => a.Scored >= 26 * _site.Sensors.Count, Deadline, "A to score the first 26 s");
        await Eventually.TrueAsync(() => a.Running.Control.CommittedOffsets.Where(kv => kv.Key.Topic == Topics.Readings).Sum(kv => kv.Value) >= 26 * _site.Sensors.Count, Deadline, "A to commit them");
        var orphan = Leak().Single(e => e.Status == WarningStatus.Raised);

        // A dies without a drain, and the state records of its warnings are deleted while it is down.
        await a.DisposeAsync();
        Assert.True(DeleteState() > 0, "there was warning state to lose");

        // B takes over while the hazard continues (the leak lasts to 40 s).
        var b = new PipelineInstance(_broker.BootstrapServers, _park, "g-lost", "lostB");
        Produce(26, 35);
        await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Raised && e.Id != orphan.Id), Deadline, () => "a new warning for the continuing hazard; events: " + string.Join("; ", Leak().Select(e => $"{e.Id} {e.Seq} {e.Status}")));
        await Eventually.TrueAsync(() => Leak().Any(e => e.Id == orphan.Id && e.Status == WarningStatus.Resolved), Deadline, () => $"the orphan's Cancel (audit failed {b.Metrics.StateGaps.WithLabels("audit_failed").Value}, store lacks {b.Metrics.StateGaps.WithLabels("store_lacks").Value}, log resolved {b.Metrics.StateGaps.WithLabels("log_resolved").Value}, restored {b.Metrics.StateRestored.Value})");
        var cancel = Assert.Single(Leak(), e => e.Id == orphan.Id && e.Status == WarningStatus.Resolved);
        var fresh = Leak().Single(e => e.Status == WarningStatus.Raised && e.Id != orphan.Id);
        Assert.StartsWith("state_lost:", cancel.Reason, StringComparison.Ordinal);
        Assert.Equal(Leak().Where(e => e.Id == orphan.Id).Max(e => e.Seq), cancel.Seq);
        Assert.True(cancel.Time <= fresh.Time, $"the Cancel ({cancel.Time:O}) comes before the new warning ({fresh.Time:O})");
        var lastTold = Leak().Where(e => e.Id == orphan.Id && e.Seq == cancel.Seq - 1).Single();
        Assert.Equal(lastTold.Audiences.Select(x => (x.Type, x.Id)), cancel.Audiences.Select(x => (x.Type, x.Id)));
        Assert.Equal(1, b.Metrics.StateGaps.WithLabels("store_lacks").Value);
        await Eventually.TrueAsync(() => cap.Records.Any(r => r.Id.Contains("<msgType>Cancel</msgType>", StringComparison.Ordinal) && r.Id.Contains("state_lost", StringComparison.Ordinal)), Deadline, "the CAP Cancel of the orphan");

        // The new warning lives its life; the orphan is never heard of again.
        Produce(36, 130);
        await Eventually.TrueAsync(() => Leak().Any(e => e.Id == fresh.Id && e.Status == WarningStatus.Resolved), Deadline, "the new warning resolved when the hazard ended");
        await b.DrainAsync();
        await b.DisposeAsync();
        Assert.Single(Leak(), e => e.Id == orphan.Id && e.Status == WarningStatus.Resolved);
        Assert.Equal(1, b.Metrics.StateGaps.WithLabels("store_lacks").Value);
    }

    [Fact]
    public async Task A_lost_warning_whose_readings_are_replayed_is_raised_again_by_the_replay_not_cancelled()
    {
        using var warnings = new TopicRecorder(_broker.BootstrapServers, Topics.Warnings, v => JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!.Id);
        List<WarningEvent> Leak() => warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!)
            .Where(e => e.Scenario == "combustible_gas_leak" && e.Site == _site.Id).DistinctBy(e => (e.Id, e.Seq, e.Status)).ToList();

        // A, a real process, commits nothing (its interval is longer than the test), raises, and is killed with
        // SIGKILL (no commit on the way out); its state records are deleted.
        using (var a = RiskStreamProcess.Run(_broker.BootstrapServers, RepoPaths.Of("config", "park.json"), new Dictionary<string, string> { ["RiskStream__Kafka__CommitInterval"] = "5m" }))
        {
            Produce(0, 25);
            await Eventually.TrueAsync(() => Leak().Any(e => e is { Status: WarningStatus.Escalated }), Deadline, () => "instance A to raise and escalate the leak warning; its log:\n" + string.Join("\n", RiskStreamProcess.Log.TakeLast(15)));
            await Task.Delay(TimeSpan.FromSeconds(2));
            a.Kill(entireProcessTree: true);
            await a.WaitForExitAsync();
        }

        var raised = Leak().Single(e => e.Status == WarningStatus.Raised);
        Assert.True(DeleteState() > 0, "there was warning state to lose");

        // B replays every reading from the start: the same warning comes back from the readings themselves.
        var b = new PipelineInstance(_broker.BootstrapServers, _park, "riskstream", "replayB");
        Produce(26, 130);
        await Eventually.TrueAsync(() => Leak().Any(e => e.Id == raised.Id && e.Status == WarningStatus.Resolved), Deadline, () => "the leak resolved; events: " + string.Join("; ", Leak().Select(e => $"{e.Id} {e.Seq} {e.Status} {e.Reason}")));
        await b.DrainAsync();
        await b.DisposeAsync();
        // The leak came back from its own readings: never cancelled, one resolve. (A's sensor-health warning is not
        // raised again by B, whose model has no fault detector: that one is closed as lost, and counted.)
        var all = warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!).ToList();
        var leak = all.Where(e => e.Id == raised.Id).ToList();
        Assert.DoesNotContain(leak, e => e.Reason?.StartsWith("state_lost", StringComparison.Ordinal) == true);
        Assert.Single(leak, e => e.Status == WarningStatus.Resolved);
        Assert.Single(Leak().Select(e => e.Id).Distinct());
        Assert.Equal(all.Count(e => e.Reason?.StartsWith("state_lost", StringComparison.Ordinal) == true), b.Metrics.StateGaps.WithLabels("store_lacks").Value);
    }

    public void Dispose()
    {
        _producer.Dispose();
        _broker.Dispose();
    }
}
