using Microsoft.Extensions.Logging;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Codecs;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;
using RiskStream.Pipeline.State;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// One lane of the pipeline. Routes each message by its topic to the handler of that input (readings, spectra,
/// acknowledgements), publishes the warning events it caused, and writes the state records that changed. Holds the
/// window and scenario state of the sites hashed to it; restores a partition's scenario state when the partition is
/// newly assigned.
/// </summary>
/// <remarks>
/// Not thread-safe: Akka.Streams runs each lane in its own actor, one element at a time. Fail-safe: whatever one
/// message makes a handler, the engine or the publisher throw is that message's alone; its outputs are dropped, the
/// engine's state for its site is put back as it was before it, and it becomes a <c>processing_error</c> dead letter.
/// </remarks>
internal sealed class SensorLane
{
    private readonly PipelineContext _context;
    private readonly ScenarioEngine _engine;
    private readonly LaneStep _step;
    private readonly WarningPublisher _publisher;
    private readonly StateRestorer _restorer;
    private readonly DeadLetters _deadLetters;
    private readonly Dictionary<string, IInputHandler> _handlers;
    private readonly ReadingHandler _readings;
    private readonly List<WarningStateRecord> _records = [];
    private readonly List<WarningEvent> _delivered = [];

    public SensorLane(PipelineContext context, int laneIndex = 0, int lanes = 1)
    {
        _context = context;
        _progress = context.Metrics.LaneProgress.WithLabels(laneIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _step = new LaneStep(context.Registry);
        _engine = new ScenarioEngine(context.Registry, context.Scenarios, context.Silences, context.Options.MaxWarningBytes);
        var audit = context.PublishedWarnings is { } published ? new StateAudit(context, published, _engine, context.LoggerFactory.CreateLogger("RiskStream.State")) : null;
        _publisher = new WarningPublisher(context, _step, audit);
        _restorer = new StateRestorer(context, context.StateStore ?? NoWarningState.Instance, _engine, _step, lanes, laneIndex);
        _deadLetters = new DeadLetters(new DeadLetterWriter(context.Options.Input, context.Time), context.Metrics);
        _readings = new ReadingHandler(context, _engine, _step, _deadLetters, _records, audit);
        _handlers = new Dictionary<string, IInputHandler>(StringComparer.Ordinal) { [context.InputTopic] = _readings };
        if (context.Identifier is { } identifier)
        {
            _handlers[context.SpectraTopic] = new SpectrumHandler(context, _engine, _step, _deadLetters, identifier);
        }

        foreach (var (topic, party) in context.AckTopics)
        {
            _handlers[topic] = new AcknowledgementHandler(context, _engine, _step, _deadLetters, party);
        }
    }

    /// <summary>Every topic some handler of a lane built from <paramref name="context"/> takes.</summary>
    public static IReadOnlyList<string> TopicsOf(PipelineContext context) =>
        [context.InputTopic, .. context.Identifier is null ? [] : new[] { context.SpectraTopic }, .. context.AckTopics.Keys.Order(StringComparer.Ordinal)];

    private IReadOnlySet<int>? _lastAssigned;
    private readonly Prometheus.Gauge.Child _progress;

    public int ActiveSensors => _readings.ActiveSensors;

    internal ScenarioEngine Engine => _engine;

    public ProducerEnvelope<ConsumedBatch> Process(LaneWork work)
    {
        _step.NowMs = _context.Time.GetUtcNow().ToUnixTimeMilliseconds();
        _progress.Set(_step.NowMs / 1000.0);
        if (work.Batch is not { } batch)
        {
            return Tick(work);
        }

        var outputs = new List<OutboundMessage>(work.Messages.Count + 4);
        _step.Generation = batch.Generation;
        _restorer.RestoreIfNewlyAssigned(batch);
        var handler = _handlers.GetValueOrDefault(batch.Topic);
        foreach (var m in work.Messages)
        {
            if (handler is null)
            {
                outputs.Add(_deadLetters.Refused(batch.Topic, m, DeadLetterReason.UnknownSite, $"topic '{batch.Topic}' is neither the readings topic, the spectra topic nor an acknowledgement topic of the registry"));
            }
            else if (m.Message.Value is not { } value)
            {
                outputs.Add(_deadLetters.Refused(batch.Topic, m, DeadLetterReason.MissingField, "message has no value (tombstone)"));
            }
            else
            {
                Handle(handler, batch.Topic, m, value, outputs);
            }
        }

        handler?.EndBatch();
        _engine.DrainChanged(_records);
        foreach (var record in _records)
        {
            outputs.Add(StateOf(record, batch.Partition));
        }

        _records.Clear();
        return new ProducerEnvelope<ConsumedBatch>(outputs, batch);
    }

    /// <summary>
    /// Processing time passed: sites of partitions this instance no longer holds are forgotten, then the engine's
    /// clock moves on, so silence, deadlines and escalation fire with no reading. A failure at one site is that
    /// site's alone: undone there and counted (there is no message to dead-letter).
    /// </summary>
    private ProducerEnvelope<ConsumedBatch> Tick(LaneWork work)
    {
        // The held set is replaced on every assignment change: only a new one can leave sites to forget.
        if (work.Assigned is { } assigned && !ReferenceEquals(assigned, _lastAssigned))
        {
            _lastAssigned = assigned;
            foreach (var site in _engine.Sites.ToList())
            {
                if (!assigned.Contains(_step.PartitionOf(site)))
                {
                    _engine.Forget(site);
                }
            }
        }

        var outputs = new List<OutboundMessage>();
        _engine.Tick(_step.NowMs, _step.Events, (site, e) => _context.Metrics.ProcessingErrors.WithLabels("tick", ProcessingStage.Scenario.Wire()).Inc());
        foreach (var published in _step.Events)
        {
            try
            {
                _publisher.Publish([published], outputs, 0);
                _publisher.Announce([published.Event]);
            }
            catch (Exception)
            {
                // Rendering one event failed: it stays in the warning's state and reaches the topics with the next.
                _context.Metrics.ProcessingErrors.WithLabels("tick", ProcessingStage.Render.Wire()).Inc();
            }
        }

        _step.Events.Clear();
        _engine.DrainChanged(_records);
        foreach (var record in _records)
        {
            if (_context.Registry.Sites.TryGetValue(record.Site, out var site) && _step.PartitionOf(site) is var partition and >= 0)
            {
                outputs.Add(StateOf(record, partition));
            }
        }

        _records.Clear();
        // A tick consumed nothing: its outputs pass a batch of no messages, whose release commits nothing.
        return new ProducerEnvelope<ConsumedBatch>(outputs, ConsumedBatch.Detached(_context.InputTopic, 0, []));
    }

    private void Handle(IInputHandler handler, string topic, ConsumeResult<byte[]?, byte[]?> m, byte[] value, List<OutboundMessage> outputs)
    {
        var mark = outputs.Count;
        try
        {
            handler.Handle(topic, m, value, outputs);
            _delivered.Clear();
            foreach (var published in _step.Events)
            {
                _delivered.Add(published.Event);
            }

            _publisher.Publish(_step.Events, outputs, m.Message.Timestamp.UnixTimestampMs);
        }
        catch (Exception e)
        {
            outputs.RemoveRange(mark, outputs.Count - mark);
            _engine.Undo(_step.Events);
            _step.Events.Clear();
            handler.Discard();
            outputs.Add(_deadLetters.Failed(topic, m, _step.Stage, e));
            return;
        }

        _engine.Commit();
        handler.Commit();
        _publisher.Announce(_delivered);
    }

    private static OutboundMessage StateOf(WarningStateRecord record, int partition) =>
        new(Topics.WarningState, Encoding.UTF8.GetBytes(record.Key), JsonSerializer.SerializeToUtf8Bytes(record, StateJson.Default.WarningStateRecord), 0, null, partition);
}
