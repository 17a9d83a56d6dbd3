using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Scoring;
using RiskStream.Sensors.Windows;

namespace RiskStream.Pipeline;

/// <summary>The messages of one consumed batch that fall to one lane.</summary>
internal sealed class LaneWork(ConsumedBatch batch, int lane, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages)
{
    public ConsumedBatch Batch { get; } = batch;

    public int Lane { get; } = lane;

    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Messages { get; } = messages;
}

/// <summary>What a lane is built from.</summary>
internal sealed record LaneContext
{
    public required ParkRegistry Registry { get; init; }

    public required PipelineOptions Options { get; init; }

    public required ScenarioSet Scenarios { get; init; }

    public SilenceBook Silences { get; init; } = new([]);

    public IRiskModel Model { get; init; } = new SetpointBaselineModel();

    public PipelineMetrics Metrics { get; init; } = PipelineMetrics.Unregistered();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<WarningEvent>? OnWarning { get; init; }

    public IWarningStateStore StateStore { get; init; } = NoWarningState.Instance;

    /// <summary>Topic of the readings; any other topic must be an acknowledgement topic.</summary>
    public string ReadingsTopic { get; init; } = Topics.Readings;

    /// <summary>Topic of the Raman spectra (identified when <see cref="Identifier"/> is set).</summary>
    public string SpectraTopic { get; init; } = Topics.Spectra;

    /// <summary>The reference library search; null when the pipeline identifies no spectra.</summary>
    public RiskStream.Raman.Processing.Identifier? Identifier { get; init; }

    /// <summary>Acknowledgement topics and the party each proves.</summary>
    public IReadOnlyDictionary<string, Party> AckTopics { get; init; } = new Dictionary<string, Party>();

    public int Lanes { get; init; } = 1;

    public int LaneIndex { get; init; }
}

/// <summary>
/// One lane of the pipeline: decode and validate, window, score, run the common-scenario engine, apply
/// acknowledgements, and turn all of it into output messages (scores, warning events in JSON and CAP to every
/// audience, warning state, dead letters). Holds the window and scenario state of the sites hashed to it; restores
/// the scenario state of a partition from <c>riskstream.warning-state</c> when the partition is newly assigned.
/// </summary>
/// <remarks>Not thread-safe: Akka.Streams runs each lane in its own actor, one element at a time.</remarks>
internal sealed class SensorLane
{
    private readonly LaneContext _context;
    private readonly ReadingDecoder _decoder;
    private readonly SpectrumDecoder _spectra;
    private readonly Dictionary<string, RiskStream.Raman.Processing.Reference> _references;
    private readonly PipelineOptions _options;
    private readonly IRiskScorer _scorer;
    private readonly SensorFeatures _features;
    private readonly float[] _featureBuffer = new float[FeatureSchema.Count];
    private readonly PipelineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ScenarioEngine _engine;
    private readonly ScoreWriter _scores = new();
    private readonly List<PublishedWarning> _events = [];
    private readonly List<WarningStateRecord> _records = [];
    private readonly Dictionary<int, long> _restored = [];
    private readonly long[] _republishedAt;
    private readonly long _republishMs;

    public SensorLane(LaneContext context)
    {
        _context = context;
        _options = context.Options;
        _decoder = new ReadingDecoder(context.Registry, _options, context.Time);
        _spectra = new SpectrumDecoder(context.Registry, _options, context.Time);
        _references = context.Identifier?.References.ToDictionary(r => r.Name, StringComparer.Ordinal) ?? [];
        _scorer = context.Model.CreateScorer();
        _features = new SensorFeatures(context.Registry, _options.Window);
        _metrics = context.Metrics;
        _time = context.Time;
        _engine = new ScenarioEngine(context.Registry, context.Scenarios, context.Silences);
        _republishedAt = new long[context.Registry.SiteList.Count];
        _republishMs = (long)_options.StateRepublishInterval.TotalMilliseconds;
    }

    public int ActiveSensors => _features.Active;

    internal ScenarioEngine Engine => _engine;

    public ProducerEnvelope<ConsumedBatch> Process(LaneWork work)
    {
        var outputs = new List<OutboundMessage>(work.Messages.Count + 4);
        var batch = work.Batch;
        RestoreIfNewlyAssigned(batch);
        if (string.Equals(batch.Topic, _context.ReadingsTopic, StringComparison.Ordinal))
        {
            ProcessReadings(work, outputs);
        }
        else if (_context.AckTopics.TryGetValue(batch.Topic, out var sender))
        {
            ProcessAcks(work, sender, outputs);
        }
        else if (_context.Identifier is not null && string.Equals(batch.Topic, _context.SpectraTopic, StringComparison.Ordinal))
        {
            ProcessSpectra(work, _context.Identifier, outputs);
        }
        else
        {
            foreach (var m in work.Messages)
            {
                outputs.Add(DeadLetterOf(batch.Topic, m, DeadLetterReason.UnknownSite, $"topic '{batch.Topic}' is neither the readings topic, the spectra topic nor an acknowledgement topic of the registry", m.Message.Timestamp.UnixTimestampMs));
            }
        }

        _engine.DrainChanged(_records);
        foreach (var record in _records)
        {
            outputs.Add(StateOf(record, batch.Partition));
        }

        _records.Clear();
        return new ProducerEnvelope<ConsumedBatch>(outputs, batch);
    }

    private void ProcessReadings(LaneWork work, List<OutboundMessage> outputs)
    {
        var scored = 0;
        var late = 0;
        foreach (var m in work.Messages)
        {
            var value = m.Message.Value;
            var key = m.Message.Key;
            var sourceTs = m.Message.Timestamp.UnixTimestampMs;
            if (value is null)
            {
                outputs.Add(DeadLetterOf(work.Batch.Topic, m, DeadLetterReason.MissingField, "message has no value (tombstone)", sourceTs));
                continue;
            }

            var result = _decoder.Decode(key, value);
            if (!result.IsValid)
            {
                outputs.Add(DeadLetterOf(work.Batch.Topic, m, result.Reason!.Value, result.Detail!, sourceTs));
                continue;
            }

            var reading = result.Reading;
            var sensor = reading.Sensor;
            var alarm = sensor.Setpoints.LevelOf(reading.Value);
            var active = _features.Active;
            var (stats, inWindow) = _features.Observe(sensor, reading.Value, reading.TsMs, alarm, _featureBuffer);
            if (_features.Active != active)
            {
                _metrics.ActiveSensors.Inc();
            }

            if (!inWindow)
            {
                late++;
            }

            var (risk, anomalous, model) = _scorer.Score(sensor, reading.Value, stats, _featureBuffer);
            outputs.Add(new OutboundMessage(Topics.Scores, key, _scores.Write(sensor, reading.Value, reading.TsMs, alarm, risk, model, anomalous, stats, !inWindow), sourceTs));
            scored++;
            var flat = stats.Count >= 5 && stats.Max == stats.Min;
            _engine.Observe(new SensorObservation(sensor, reading.Value, alarm, risk, flat, reading.TsMs, model, m.Offset.Value) { Anomalous = anomalous }, _events);
            Publish(outputs, sourceTs);
            if (_republishMs > 0 && reading.TsMs - _republishedAt[sensor.Site.Index] >= _republishMs)
            {
                // Active state again now and then, so the newest record of every active warning outlives retention.
                _republishedAt[sensor.Site.Index] = reading.TsMs;
                _records.AddRange(_engine.ActiveRecords(sensor.Site));
            }
        }

        _metrics.Scored.Inc(scored);
        if (late > 0)
        {
            _metrics.Late.Inc(late);
        }
    }

    private void ProcessAcks(LaneWork work, Party sender, List<OutboundMessage> outputs)
    {
        foreach (var m in work.Messages)
        {
            var sourceTs = m.Message.Timestamp.UnixTimestampMs;
            if (m.Message.Value is not { } value)
            {
                outputs.Add(DeadLetterOf(work.Batch.Topic, m, DeadLetterReason.MissingField, "message has no value (tombstone)", sourceTs));
                continue;
            }

            var (ack, reason, detail) = AckDecoder.Decode(m.Message.Key, value, sender);
            if (ack is null)
            {
                _metrics.Acks.WithLabels(Party(sender), "refused").Inc();
                outputs.Add(DeadLetterOf(work.Batch.Topic, m, reason, detail, sourceTs));
                continue;
            }

            var refusal = _engine.Acknowledge(ack, _events);
            switch (refusal)
            {
                case AckRefusal.UnknownWarning:
                    _metrics.Acks.WithLabels(Party(sender), "refused").Inc();
                    outputs.Add(DeadLetterOf(work.Batch.Topic, m, DeadLetterReason.UnknownWarning, $"warning '{ack.WarningId}' is not active", sourceTs));
                    break;
                case AckRefusal.NotAnAudience:
                    _metrics.Acks.WithLabels(Party(sender), "refused").Inc();
                    outputs.Add(DeadLetterOf(work.Batch.Topic, m, DeadLetterReason.UnauthorisedParty, $"{AckDecoder.Name(sender)} is not an audience of warning '{ack.WarningId}'", sourceTs));
                    break;
                case AckRefusal.Duplicate:
                    _metrics.Acks.WithLabels(Party(sender), "duplicate").Inc();
                    break;
                default:
                    _metrics.Acks.WithLabels(Party(sender), "accepted").Inc();
                    break;
            }

            Publish(outputs, sourceTs);
        }
    }

    /// <summary>
    /// Identifies each spectrum against the library, publishes the identification (key = site) and feeds every
    /// substance found (the best match, or each component of a mixture) to the scenario engine.
    /// </summary>
    private void ProcessSpectra(LaneWork work, RiskStream.Raman.Processing.Identifier identifier, List<OutboundMessage> outputs)
    {
        foreach (var m in work.Messages)
        {
            var sourceTs = m.Message.Timestamp.UnixTimestampMs;
            if (m.Message.Value is not { } value)
            {
                outputs.Add(DeadLetterOf(work.Batch.Topic, m, DeadLetterReason.MissingField, "message has no value (tombstone)", sourceTs));
                continue;
            }

            var (spectrum, reason, detail) = _spectra.Decode(m.Message.Key ?? [], value);
            if (spectrum is null)
            {
                outputs.Add(DeadLetterOf(work.Batch.Topic, m, reason, detail, sourceTs));
                continue;
            }

            var started = _time.GetTimestamp();
            var result = identifier.Identify(spectrum.Wavenumbers, spectrum.Intensities);
            _metrics.IdentifySeconds.Observe(_time.GetElapsedTime(started).TotalSeconds);
            _metrics.Spectra.WithLabels(result.Unknown ? "unknown" : result.Mixture.Count > 0 ? "mixture" : "identified").Inc();
            var identification = IdentificationOf(spectrum, result);
            outputs.Add(new OutboundMessage(Topics.Identifications, m.Message.Key, JsonSerializer.SerializeToUtf8Bytes(identification, ContractJson.Default.IdentificationEvent), sourceTs));

            var tsMs = spectrum.Message.Ts.ToUnixTimeMilliseconds();
            var purpose = PurposeName(spectrum.Message.Purpose);
            var model = $"raman-library/{result.LibraryVersion}";
            if (result.Mixture.Count > 0)
            {
                foreach (var component in identification.Mixture)
                {
                    _engine.Identify(new IdentificationObservation(spectrum.Site, component.Name, component.HazardClasses, purpose, identification.Score, spectrum.Message.Sample, tsMs, model), _events);
                }
            }
            else if (!result.Unknown)
            {
                _engine.Identify(new IdentificationObservation(spectrum.Site, identification.Substance!, identification.HazardClasses, purpose, identification.Score, spectrum.Message.Sample, tsMs, model), _events);
            }

            Publish(outputs, sourceTs);
        }
    }

    private IdentificationEvent IdentificationOf(ValidSpectrum spectrum, RiskStream.Raman.Processing.Identification result)
    {
        IReadOnlyList<string> Classes(string name) => _references.TryGetValue(name, out var r) ? r.HazardClasses : [];
        var s = spectrum.Message;
        var mixture = result.Mixture.Select(p => new MixtureComponent(p.Name, _references.GetValueOrDefault(p.Name)?.Cas, Math.Round(p.Fraction, 4), Classes(p.Name))).ToArray();
        var best = result.Best;
        var classes = (best is null ? [] : Classes(best.Name)).Concat(mixture.SelectMany(c => c.HazardClasses))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(c => RiskStream.Raman.Library.HazardClasses.ToList().IndexOf(c))
            .ToArray();
        var score = result.Mixture.Count > 0 ? result.MixtureScore : best?.Score ?? (result.Candidates.Count > 0 ? result.Candidates[0].Score : 0);
        return new IdentificationEvent(
            $"{spectrum.Site.Id}/{s.Device}/{s.Sample}/{s.Ts.ToUnixTimeMilliseconds()}",
            spectrum.Site.Id,
            spectrum.Site.Enterprise.Id,
            spectrum.Site.Jurisdiction.Id,
            s.Device,
            s.Sample,
            s.Purpose,
            s.Ts,
            best?.Name,
            best?.Cas,
            classes,
            Math.Round(Math.Clamp(score, 0, 1), 4),
            Math.Round(result.Margin, 4),
            result.Unknown,
            result.Candidates.Select(c => new IdentifiedCandidate(c.Name, c.Cas, Math.Round(Math.Clamp(c.Score, 0, 1), 4))).ToArray(),
            mixture,
            result.LibraryVersion,
            spectrum.Intensities.Length);
    }

    private static string PurposeName(SpectrumPurpose purpose) => purpose switch
    {
        SpectrumPurpose.HiddenDanger => "hidden_danger",
        SpectrumPurpose.Accident => "accident",
        _ => "monitoring",
    };

    private static string Party(Party p) => p.Type == PartyType.Government ? "gov" : "ent";

    private void RestoreIfNewlyAssigned(ConsumedBatch batch)
    {
        if (_restored.TryGetValue(batch.Partition, out var generation) && generation == batch.Generation)
        {
            return;
        }

        _restored[batch.Partition] = batch.Generation;
        var records = _context.StateStore.Load(batch.Partition)
            .Where(r => _context.Registry.Sites.ContainsKey(r.Site) && RiskPipeline.LaneOf(System.Text.Encoding.UTF8.GetBytes(r.Site), _context.Lanes) == _context.LaneIndex)
            .ToArray();
        foreach (var site in records.Select(r => r.Site).Distinct(StringComparer.Ordinal))
        {
            _engine.Forget(_context.Registry.Sites[site]);
        }

        foreach (var record in records)
        {
            _engine.Restore(record);
        }

        if (records.Length > 0)
        {
            _metrics.StateRestored.Inc(records.Length);
        }
    }

    private static OutboundMessage StateOf(WarningStateRecord record, int partition) =>
        new(Topics.WarningState, System.Text.Encoding.UTF8.GetBytes(record.Key), JsonSerializer.SerializeToUtf8Bytes(record, StateJson.Default.WarningStateRecord), 0, null, partition);

    private void Publish(List<OutboundMessage> outputs, long sourceTs)
    {
        foreach (var published in _events)
        {
            AddWarning(outputs, published, sourceTs);
        }

        _events.Clear();
    }

    private void AddWarning(List<OutboundMessage> outputs, PublishedWarning published, long sourceTs)
    {
        var warning = published.Event;
        _metrics.Warnings.WithLabels(warning.Scenario, Name(warning.Level), Name(warning.Status)).Inc();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(warning, ContractJson.Default.WarningEvent);
        var cap = System.Text.Encoding.UTF8.GetBytes(published.Cap);
        var key = System.Text.Encoding.UTF8.GetBytes(warning.Id);
        outputs.Add(new OutboundMessage(Topics.Warnings, key, bytes, sourceTs));
        outputs.Add(new OutboundMessage(Topics.Cap, key, cap));
        foreach (var audience in warning.Audiences)
        {
            var gov = audience.Type == PartyType.Government;
            outputs.Add(new OutboundMessage(gov ? Topics.GovernmentWarnings(audience.Id) : Topics.EnterpriseWarnings(audience.Id), key, bytes));
            outputs.Add(new OutboundMessage(gov ? Topics.GovernmentCap(audience.Id) : Topics.EnterpriseCap(audience.Id), key, cap));
        }

        _context.OnWarning?.Invoke(warning);
    }

    private OutboundMessage DeadLetterOf(string topic, ConsumeResult<byte[]?, byte[]?> m, DeadLetterReason reason, string detail, long sourceTs)
    {
        _metrics.DeadLetter(reason);
        var letter = new DeadLetter(reason, detail, topic, m.Partition.Value, m.Offset.Value, _time.GetUtcNow(), m.Message.Key, m.Message.Value ?? []);
        return new OutboundMessage(Topics.DeadLetter, m.Message.Key, JsonSerializer.SerializeToUtf8Bytes(letter, ContractJson.Default.DeadLetter), sourceTs);
    }

    private static string Name(WarningLevel level) => level switch
    {
        WarningLevel.Blue => "blue",
        WarningLevel.Yellow => "yellow",
        WarningLevel.Orange => "orange",
        _ => "red",
    };

    private static string Name(WarningStatus status) => status.ToString().ToLowerInvariant();
}
