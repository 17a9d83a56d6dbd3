using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Scenarios;
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

/// <summary>
/// One lane of the pipeline: decode and validate, window, score, derive setpoint warnings, and turn all of it into
/// output messages. Holds the window and warning state of the sites hashed to it.
/// </summary>
/// <remarks>Not thread-safe: Akka.Streams runs each lane in its own actor, one element at a time.</remarks>
internal sealed class SensorLane
{
    private readonly ReadingDecoder _decoder;
    private readonly PipelineOptions _options;
    private readonly IRiskModel _model;
    private readonly PipelineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Action<WarningEvent>? _onWarning;
    private readonly SensorWindow?[] _windows;
    private readonly SetpointWarnings _warnings;
    private readonly ScoreWriter _scores = new();
    private int _activeSensors;

    public SensorLane(ParkRegistry registry, PipelineOptions options, IRiskModel model, PipelineMetrics metrics, TimeProvider time, Action<WarningEvent>? onWarning)
    {
        _decoder = new ReadingDecoder(registry, options, time);
        _options = options;
        _model = model;
        _metrics = metrics;
        _time = time;
        _onWarning = onWarning;
        _windows = new SensorWindow?[registry.SensorCount];
        _warnings = new SetpointWarnings(registry, options.Warnings);
    }

    public int ActiveSensors => _activeSensors;

    public ProducerEnvelope<ConsumedBatch> Process(LaneWork work)
    {
        var outputs = new List<OutboundMessage>(work.Messages.Count + 4);
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
            var window = _windows[sensor.Index];
            if (window is null)
            {
                _windows[sensor.Index] = window = new SensorWindow(_options.Window);
                _activeSensors++;
                _metrics.ActiveSensors.Inc();
            }

            var inWindow = window.Add(reading.TsMs, reading.Value, alarm >= AlarmLevel.First);
            if (!inWindow)
            {
                late++;
            }

            var stats = window.Stats();
            var risk = _model.Score(sensor, reading.Value, stats);
            outputs.Add(new OutboundMessage(Topics.Scores, key, _scores.Write(sensor, reading.Value, reading.TsMs, alarm, risk, _model.Version, stats, !inWindow), sourceTs));
            scored++;
            if (_warnings.Observe(sensor, reading.Value, alarm, risk, reading.TsMs, _model.Version) is { } warning)
            {
                AddWarning(outputs, warning, sourceTs);
            }
        }

        _metrics.Scored.Inc(scored);
        if (late > 0)
        {
            _metrics.Late.Inc(late);
        }

        return new ProducerEnvelope<ConsumedBatch>(outputs, work.Batch);
    }

    private void AddWarning(List<OutboundMessage> outputs, WarningEvent warning, long sourceTs)
    {
        _metrics.Warnings.WithLabels(warning.Scenario, Name(warning.Level), Name(warning.Status)).Inc();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(warning, ContractJson.Default.WarningEvent);
        var key = System.Text.Encoding.UTF8.GetBytes(warning.Id);
        outputs.Add(new OutboundMessage(Topics.Warnings, key, bytes, sourceTs));
        foreach (var audience in warning.Audiences)
        {
            var topic = audience.Type == PartyType.Government ? Topics.GovernmentWarnings(audience.Id) : Topics.EnterpriseWarnings(audience.Id);
            outputs.Add(new OutboundMessage(topic, key, bytes));
        }

        _onWarning?.Invoke(warning);
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
