using Confluent.Kafka;
using RiskStream.Codecs;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;
using RiskStream.Scenarios.Engine;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Scoring;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Readings: decode and validate, window, score with the served model, publish the score, and feed the scenario
/// engine. Every valid reading is scored; now and then the site's active warning state is written again, so the
/// newest record of every active warning outlives the state topic's retention.
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
internal sealed class ReadingHandler : IInputHandler
{
    private readonly PipelineContext _context;
    private readonly ScenarioEngine _engine;
    private readonly LaneStep _step;
    private readonly DeadLetters _deadLetters;
    private readonly ReadingDecoder _decoder;
    private readonly IRiskScorer _scorer;
    private readonly SensorFeatures _features;
    private readonly float[] _featureBuffer = new float[FeatureSchema.Count];
    private readonly ScoreWriter _scores = new();
    private readonly ScoreReporting? _reporting;
    private readonly List<WarningStateRecord> _republished;
    private readonly long[] _republishedAt;
    private readonly long _republishMs;
    private readonly long _toleranceMs;
    private (Core.Registry.SiteDef Site, long TsMs, bool Late)? _pending;
    private int _scored;
    private int _late;
    private int _withheld;
    private (Core.Registry.SensorDef Sensor, double Value, long TsMs, AlarmLevel Alarm, double Risk, bool Anomalous, long Generation)? _pendingScore;
    private bool _pendingWithheld;

    private readonly StateAudit? _audit;

    public ReadingHandler(PipelineContext context, ScenarioEngine engine, LaneStep step, DeadLetters deadLetters, List<WarningStateRecord> republished, StateAudit? audit = null)
    {
        _audit = audit;
        _context = context;
        _engine = engine;
        _step = step;
        _deadLetters = deadLetters;
        _republished = republished;
        _decoder = new ReadingDecoder(context.Registry, context.Options.Input, context.Time);
        _scorer = context.Model.CreateScorer();
        _reporting = context.ScoreReporting;
        _features = new SensorFeatures(context.Registry, context.Options.Window);
        _republishedAt = new long[context.Registry.SiteList.Count];
        _republishMs = (long)context.Options.StateRepublishInterval.TotalMilliseconds;
        _toleranceMs = (long)context.Options.ClockTolerance.TotalMilliseconds;
    }

    /// <summary>Sensors with window state in this lane.</summary>
    public int ActiveSensors => _features.Active;

    public void Handle(string topic, ConsumeResult<byte[]?, byte[]?> m, byte[] value, List<OutboundMessage> outputs)
    {
        var key = m.Message.Key;
        var sourceTs = m.Message.Timestamp.UnixTimestampMs;
        _pending = null;
        _pendingScore = null;
        _pendingWithheld = false;
        _step.Stage = ProcessingStage.Decode;
        var result = _decoder.Decode(key, value);
        if (!result.IsValid)
        {
            outputs.Add(_deadLetters.Refused(topic, m, result.Reason!.Value, result.Detail!));
            return;
        }

        _step.Stage = ProcessingStage.Score;
        var reading = result.Reading;
        var sensor = reading.Sensor;
        _step.Seen(sensor.Site, m.Partition.Value);

        // A reading stamped ahead of the clock (within the accepted skew) counts as only a little ahead: it must not
        // freeze its sensor's window nor make the site's other sensors look stale.
        var tsMs = Math.Min(reading.TsMs, _step.NowMs + _toleranceMs);

        // The site's first reading since an assignment: warnings left open whose state was lost are closed first.
        _step.Stage = ProcessingStage.Scenario;
        _audit?.Audit(sensor.Site, _step.Generation, tsMs, _step.Events);
        _step.Stage = ProcessingStage.Score;
        var alarm = sensor.Setpoints.LevelOf(reading.Value);
        var active = _features.Active;
        var (stats, inWindow) = _features.Observe(sensor, reading.Value, tsMs, alarm, _featureBuffer);
        if (_features.Active != active)
        {
            _context.Metrics.ActiveSensors.Inc();
        }

        var (risk, anomalous, model) = _scorer.Score(sensor, reading.Value, stats, _featureBuffer);
        if (!double.IsFinite(risk))
        {
            throw new ArithmeticException($"the model {model} scored the reading {risk}");
        }

        _step.Stage = ProcessingStage.Serialise;
        if (_reporting is null || _reporting.ShouldPublish(sensor, reading.Value, reading.TsMs, alarm, risk, anomalous, !inWindow, _step.Generation))
        {
            outputs.Add(new OutboundMessage(Topics.Scores, key, _scores.Write(sensor, reading.Value, reading.TsMs, alarm, risk, model, anomalous, stats, !inWindow), sourceTs));
            _pendingScore = _reporting is null ? null : (sensor, reading.Value, reading.TsMs, alarm, risk, anomalous, _step.Generation);
        }
        else
        {
            _pendingWithheld = true;
        }

        _step.Stage = ProcessingStage.Scenario;
        var flat = stats.Count >= 5 && stats.Max == stats.Min;
        _engine.Observe(new SensorObservation(sensor, reading.Value, alarm, risk, flat, tsMs, model, m.Offset.Value) { Anomalous = anomalous }, _step.Events);
        _pending = (sensor.Site, tsMs, !inWindow);
    }

    public void Commit()
    {
        if (_pending is not var (site, tsMs, late))
        {
            return;
        }

        _pending = null;
        _scored++;
        if (_pendingScore is var (sensor, value, scoreTs, alarm, risk, anomalous, generation))
        {
            _reporting!.Remember(sensor, value, scoreTs, alarm, risk, anomalous, generation);
        }

        _withheld += _pendingWithheld ? 1 : 0;
        _pendingScore = null;
        _pendingWithheld = false;
        if (late)
        {
            _late++;
        }

        if (_republishMs > 0 && tsMs - _republishedAt[site.Index] >= _republishMs)
        {
            _republishedAt[site.Index] = tsMs;
            _republished.AddRange(_engine.OpenRecords(site));
        }
    }

    public void Discard()
    {
        _pending = null;
        _pendingScore = null;
        _pendingWithheld = false;
    }

    public void EndBatch()
    {
        if (_scored > 0)
        {
            _context.Metrics.Scored.Inc(_scored);
        }

        if (_late > 0)
        {
            _context.Metrics.Late.Inc(_late);
        }

        if (_withheld > 0)
        {
            _context.Metrics.Withheld.Inc(_withheld);
        }

        _scored = 0;
        _late = 0;
        _withheld = 0;
    }
}
