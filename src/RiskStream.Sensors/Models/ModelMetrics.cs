using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Scoring;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Models;

/// <summary>Prometheus metrics of model serving.</summary>
public sealed class ModelMetrics(IMetricFactory factory)
{
    public Gauge Info { get; } = factory.CreateGauge("riskstream_model_info", "1 for each model version serving, with its feature schema.", ["name", "version", "schema"]);

    public Counter Loads { get; } = factory.CreateCounter("riskstream_model_loads_total", "Model versions loaded (outcome loaded) or refused (corrupt, other feature schema, failed smoke prediction).", ["name", "outcome"]);

    public Counter Shadow { get; } = factory.CreateCounter("riskstream_model_shadow_readings_total", "Readings scored by the shadow risk model beside the served one, by whether their hazard decisions (risk at or above each model's threshold) agree.", ["served", "shadow", "outcome"]);

    public Counter WatchErrors { get; } = factory.CreateCounter("riskstream_model_watch_errors_total", "Checks of the model registry that failed (an unreadable current, an I/O or memory error while loading); the serving model keeps serving and the watcher tries again.", ["name"]);

    public Gauge WatchHealthy { get; } = factory.CreateGauge("riskstream_model_watch_healthy", "1 while the model registry's last check succeeded, 0 while its checks fail.");

    public Gauge FeaturePsi { get; } = factory.CreateGauge("riskstream_model_feature_psi", "Population stability index of each feature of the served risk model over the last drift window, against its training distribution (above 0.2: drift; NaN: too few readings in the window).", ["model", "feature"]);

    public static ModelMetrics Unregistered() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
}
