using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Scoring;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Models;

/// <summary>
/// The ML.NET risk model and anomaly detector served from the registry (<c>models/risk/current</c>,
/// <c>models/anomaly/current</c>). Each lane scores with its own prediction engines (no locks on the hot path). When
/// <see cref="Check"/> sees a new <c>current</c>, the version is loaded and checked off the hot path, then swapped in
/// with one reference write: every reading is scored whole by the old or by the new model, never by both, and none is
/// skipped. A model that does not load or check is refused with a log line and a metric, and the old one keeps serving.
/// A reading the anomaly detector takes for a sensor fault gives no model risk (a sensor-health matter, flagged to the
/// scenarios' <c>anomaly</c> signal); the national setpoints stay the floor: at a second-level alarm the risk is never
/// below the setpoint risk.
/// </summary>
public sealed class MlRiskModel : IRiskModel
{
    private readonly ModelRegistry _registry;
    private readonly ILogger _log;
    private readonly ModelMetrics _metrics;
    private Served _served = new(null, null, SetpointBaselineModel.Name);

    /// <summary>What serves now (and the shadow candidate scored beside it): swapped as a whole.</summary>
    private sealed record Served(LoadedModel? Risk, LoadedModel? Anomaly, string Version, LoadedModel? Shadow = null);

    /// <param name="warnsAt">The risk thresholds the scenarios warn at: a risk model operating at another is served, with a warning that its evaluated figures do not describe the warnings.</param>
    /// <param name="drift">Watches the features' drift (null: not watched).</param>
    public MlRiskModel(ModelRegistry registry, ILogger log, ModelMetrics? metrics = null, IReadOnlyCollection<double>? warnsAt = null, DriftMonitor? drift = null)
    {
        _registry = registry;
        _log = log;
        _metrics = metrics ?? ModelMetrics.Unregistered();
        _warnsAt = warnsAt ?? [];
        Drift = drift;
        Check();
    }

    /// <summary>The drift watch, evaluated on each check of the registry (<see cref="WatchAsync"/>).</summary>
    public DriftMonitor? Drift { get; }

    private readonly IReadOnlyCollection<double> _warnsAt;

    /// <summary>The fault detector speaks only once a sensor's window holds this many readings (a cold window is not a fault).</summary>
    public const int WarmReadings = 5;

    /// <summary>
    /// A reading less than this share of its span above the sensor's normal value (towards its setpoint), with no alarm, carries no model risk: a
    /// hazard is evidenced at the sensor itself. Without it the site-context features let a faulty or drifting
    /// neighbour raise a normal sensor to full risk (the false warnings of the first models). The hazard's own sensors
    /// still warn; lead time is per hazard, from its first warning on any of them.
    /// </summary>
    public const float MinExcess = 0.05f;

    /// <summary>The model's probability as hazard evidence for this reading (see <see cref="MinExcess"/>).</summary>
    public static double Evidenced(double probability, ReadOnlySpan<float> features) =>
        features[FeatureSchema.Index.Alarm] > 0 || features[FeatureSchema.Index.Excess] >= MinExcess ? probability : 0;

    public string Version => Volatile.Read(ref _served).Version;

    public string? RiskVersion => Volatile.Read(ref _served).Risk?.Card.Version;

    public string? AnomalyVersion => Volatile.Read(ref _served).Anomaly?.Card.Version;

    public IRiskScorer CreateScorer() => new LaneScorer(this);

    /// <summary>Loads what <c>current</c> names if it changed; returns true when something new serves.</summary>
    public bool Check()
    {
        var served = Volatile.Read(ref _served);
        var risk = Next("risk", served.Risk);
        var anomaly = Next("anomaly", served.Anomaly);
        var shadow = NextShadow(served.Shadow);
        if (ReferenceEquals(risk, served.Risk) && ReferenceEquals(anomaly, served.Anomaly) && ReferenceEquals(shadow, served.Shadow))
        {
            return false;
        }

        var version = risk is null ? SetpointBaselineModel.Name : anomaly is null ? risk.Card.Tag : $"{risk.Card.Tag}+{anomaly.Card.Tag}";
        foreach (var old in new[] { served.Risk, served.Anomaly })
        {
            if (old is not null)
            {
                _metrics.Info.WithLabels(old.Card.Name, old.Card.Version, old.Card.FeatureSchemaHash).Unpublish();
            }
        }

        foreach (var now in new[] { risk, anomaly })
        {
            if (now is not null)
            {
                _metrics.Info.WithLabels(now.Card.Name, now.Card.Version, now.Card.FeatureSchemaHash).Set(1);
            }
        }

        if (risk is not null && !ReferenceEquals(risk, served.Risk) && _warnsAt.Count > 0 && !_warnsAt.Contains(risk.Card.Threshold))
        {
            _log.LogWarning(
                "{Model} operates at risk {Threshold} but the scenarios warn at risk {WarnsAt}: its card's figures (false warnings, lead time) do not describe the warnings; change the scenarios' risk conditions with the model",
                risk.Card.Tag, risk.Card.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", _warnsAt.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        Volatile.Write(ref _served, new Served(risk, anomaly, version, shadow));
        _log.LogInformation("Serving {Version} (was {Old}){Shadow}", version, served.Version, shadow is null ? "" : $"; shadow {shadow.Card.Tag} scores beside it");
        return true;
    }

    /// <summary>Watches the registry until cancelled, checking every <paramref name="interval"/>.</summary>
    public async Task WatchAsync(TimeSpan interval, TimeProvider time, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(interval, time);
        var failing = false;
        _metrics.WatchHealthy.Set(1);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                try
                {
                    Check();
                    try
                    {
                        Drift?.Evaluate();
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The drift watch is a report: whatever it meets, serving goes on and the registry is not blamed.
                        _log.LogError("Feature drift could not be evaluated: {Type}: {Reason}", e.GetType().Name, e.Message);
                    }

                    if (failing)
                    {
                        _log.LogInformation("The model registry reads again; {Version} serves", Version);
                        failing = false;
                    }

                    _metrics.WatchHealthy.Set(_unpointed.Count == 0 ? 1 : 0);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever a check meets (a disk error, memory), the model that serves keeps serving and the
                    // watcher looks again at the next tick; said once until it reads again.
                    _metrics.WatchErrors.WithLabels("registry").Inc();
                    _metrics.WatchHealthy.Set(0);
                    if (!failing)
                    {
                        _log.LogError("Checking the model registry failed: {Type}: {Reason}; {Version} keeps serving, checking again every {Interval}", e.GetType().Name, e.Message, Version, interval);
                        failing = true;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>Refused versions with the stamp of their files when refused: the same files are not tried again.</summary>
    private readonly Dictionary<string, (string Version, string Stamp)> _refused = [];

    /// <summary>The shadow candidate <c>risk/shadow</c> names: loaded and checked like a served model; refused ones are logged and skipped.</summary>
    private LoadedModel? NextShadow(LoadedModel? scoring)
    {
        string? version;
        try
        {
            version = _registry.Shadow("risk");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _metrics.WatchErrors.WithLabels("risk-shadow").Inc();
            return scoring;
        }

        if (version is null || !ModelRegistry.IsVersionName(version))
        {
            return null;
        }

        var stamp = ModelRegistry.Stamp(_registry.Folder("risk", version));
        if (version == scoring?.Card.Version || _refused.GetValueOrDefault("risk-shadow") == (version, stamp))
        {
            return scoring;
        }

        try
        {
            var loaded = LoadedModel.Load(_registry.Folder("risk", version), "risk");
            _refused.Remove("risk-shadow");
            return loaded;
        }
        catch (Exception e) when (e is ModelRefusedException or IOException or UnauthorizedAccessException or OutOfMemoryException or InvalidOperationException or ArgumentException or FormatException)
        {
            _refused["risk-shadow"] = (version, stamp);
            _metrics.Loads.WithLabels("risk-shadow", "refused").Inc();
            _log.LogError("Refused shadow risk model {Version}: {Reason}", version, e.Message);
            return scoring;
        }
    }

    private LoadedModel? Next(string name, LoadedModel? serving)
    {
        string? version;
        try
        {
            version = _registry.Current(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _metrics.WatchErrors.WithLabels(name).Inc();
            Unpointed(name, serving, $"is unreadable ({e.Message})");
            return serving;
        }

        if (version is null)
        {
            if (serving is not null)
            {
                // Emptied or removed while a model serves (a half-done deploy, a slip): not a reason to fall back.
                Unpointed(name, serving, "is empty or missing");
            }
            else
            {
                _unpointed.Remove(name);
            }

            return serving;
        }

        if (!ModelRegistry.IsVersionName(version))
        {
            Unpointed(name, serving, $"names '{new string([.. version.Take(100).Where(c => !char.IsControl(c))])}', which is not a version name");
            return serving;
        }

        _unpointed.Remove(name);
        var stamp = ModelRegistry.Stamp(_registry.Folder(name, version));
        if (version == serving?.Card.Version || _refused.GetValueOrDefault(name) == (version, stamp))
        {
            return serving;
        }

        try
        {
            var loaded = LoadedModel.Load(_registry.Folder(name, version), name);
            _metrics.Loads.WithLabels(name, "loaded").Inc();
            _refused.Remove(name);
            return loaded;
        }
        catch (Exception e) when (e is ModelRefusedException or IOException or UnauthorizedAccessException or OutOfMemoryException or InvalidOperationException or ArgumentException or FormatException)
        {
            _metrics.Loads.WithLabels(name, "refused").Inc();
            _refused[name] = (version, stamp);
            var reason = e is ModelRefusedException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            _log.LogError("Refused {Name} model {Version}: {Reason}; {Serving} keeps serving (tried again when its files change)", name, version, reason, serving?.Card.Tag ?? "the setpoint baseline");
            return serving;
        }
    }

    private readonly HashSet<string> _unpointed = [];

    private void Unpointed(string name, LoadedModel? serving, string what)
    {
        if (_unpointed.Add(name))
        {
            _log.LogWarning("models/{Name}/current {What}: {Serving} keeps serving; write a version into it to change the model", name, what, serving?.Card.Tag ?? "the setpoint baseline");
        }
    }

    private sealed class LaneScorer(MlRiskModel owner) : IRiskScorer
    {
        private Served? _cached;
        private LoadedModel.Engine? _risk;
        private LoadedModel.Engine? _anomaly;
        private LoadedModel.Engine? _shadow;
        private Counter.Child? _agree;
        private Counter.Child? _disagree;
        private DriftMonitor.LaneCounts? _drift;
        private double _anomalyThreshold;

        public RiskResult Score(SensorDef sensor, double value, in WindowStats window, ReadOnlySpan<float> features)
        {
            var served = Volatile.Read(ref owner._served);
            if (!ReferenceEquals(served, _cached))
            {
                // A new model serves: this lane's engines are made once, here, before its next reading.
                _cached = served;
                _risk = served.Risk?.RiskEngine();
                _anomaly = served.Anomaly?.AnomalyEngine();
                _anomalyThreshold = served.Anomaly?.Card.Threshold ?? double.PositiveInfinity;
                _shadow = served.Risk is null ? null : served.Shadow?.RiskEngine();
                _drift = served.Risk is null ? null : owner.Drift?.Attach(served.Risk);
                if (_shadow is not null)
                {
                    var (from, to) = (served.Risk!.Card.Version, served.Shadow!.Card.Version);
                    _agree = owner._metrics.Shadow.WithLabels(from, to, "agree");
                    _disagree = owner._metrics.Shadow.WithLabels(from, to, "disagree");
                }
            }

            if (_risk is null)
            {
                return new RiskResult(SetpointBaselineModel.Risk(sensor, value, window), false, served.Version);
            }

            _drift?.Observe(features);
            var anomalous = _anomaly is not null && window.Count >= WarmReadings && _anomaly.Predict(features) > _anomalyThreshold;
            var p = anomalous ? 0 : Evidenced(_risk.Predict(features), features);
            if (_shadow is not null)
            {
                // The candidate decides beside the served model; only the agreement is kept (in /metrics).
                var candidate = anomalous ? 0 : Evidenced(_shadow.Predict(features), features);
                var agree = (p >= served.Risk!.Card.Threshold) == (candidate >= served.Shadow!.Card.Threshold);
                (agree ? _agree : _disagree)!.Inc();
            }

            var risk = double.IsFinite(p) ? Math.Clamp(p, 0, 1) : 0;
            if (sensor.Setpoints.LevelOf(value) == AlarmLevel.Second)
            {
                // The floor: a second-level alarm is never hidden, not even by the fault detector.
                risk = Math.Max(risk, sensor.Setpoints.BaselineRisk(value));
            }

            return new RiskResult(risk, anomalous, served.Version);
        }
    }
}
