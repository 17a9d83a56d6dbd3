using Prometheus;
using RiskStream.Core.Contracts;

namespace RiskStream.Pipeline;

/// <summary>Prometheus metrics of the scoring pipeline; no per-sensor or per-site labels.</summary>
public sealed class PipelineMetrics
{
    private readonly Counter _deadLetters;
    private readonly Counter.Child[] _deadLettersByReason;

    public PipelineMetrics(IMetricFactory factory)
    {
        Scored = factory.CreateCounter("riskstream_pipeline_readings_scored_total", "Valid readings scored.");
        Withheld = factory.CreateCounter("riskstream_pipeline_scores_withheld_total", "Scores not published because scores are reported by exception (the reading was scored and reached the scenarios).");
        Late = factory.CreateCounter("riskstream_pipeline_readings_late_total", "Readings later than the allowed lateness: scored alone, not windowed.");
        _deadLetters = factory.CreateCounter("riskstream_pipeline_deadletters_total", "Inputs refused to the dead-letter topic, by reason.", ["reason"]);
        _deadLettersByReason = Enum.GetValues<DeadLetterReason>().Select(r => _deadLetters.WithLabels(WireName(r))).ToArray();
        Warnings = factory.CreateCounter("riskstream_pipeline_warning_events_total", "Warning events, by scenario, level and status.", ["scenario", "level", "status"]);
        Latency = factory.CreateHistogram(
            "riskstream_pipeline_latency_seconds",
            "Input append to output acknowledged by the broker.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        ProcessingErrors = factory.CreateCounter("riskstream_pipeline_processing_errors_total", "Inputs whose processing failed (dead-lettered as processing_error), by input topic and stage.", ["topic", "stage"]);
        Acks = factory.CreateCounter("riskstream_pipeline_acknowledgements_total", "Acknowledgements received, by party type and outcome (accepted, duplicate, refused).", ["party", "outcome"]);
        StateGaps = factory.CreateCounter("riskstream_pipeline_warning_state_gaps_total", "Differences between the restored warning state and what riskstream.warnings told the parties, by kind: store_lacks (a warning left open whose state was lost: closed with a Cancel, reason state_lost), log_resolved (restored as active though its resolve was published; counted and logged), audit_failed (the log could not be read in time: not audited).", ["kind"]);
        StateRestored = factory.CreateCounter("riskstream_pipeline_warning_state_restored_total", "Warning state records restored from riskstream.warning-state after an assignment.");
        ActiveSensors = factory.CreateGauge("riskstream_pipeline_active_sensors", "Sensors with window state in this instance.");
        Spectra = factory.CreateCounter("riskstream_pipeline_spectra_total", "Spectra identified, by outcome (identified, family, mixture, unknown); refused ones are counted as dead letters.", ["outcome"]);
        IdentifySeconds = factory.CreateHistogram(
            "riskstream_raman_identify_seconds",
            "Time to preprocess one spectrum and search the reference library.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 14) });
        LaneProgress = factory.CreateGauge("riskstream_pipeline_lane_progress_seconds", "Unix time at which each lane last took up a batch or a tick (a tick comes every second: a lane whose time stops is wedged).", ["lane"]);
        LibraryInfo = factory.CreateGauge("riskstream_raman_library_info", "1 for the Raman reference library version in use, with its size.", ["version", "substances"]);
    }

    public static PipelineMetrics Unregistered() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));

    public Counter Scored { get; }

    public Counter Late { get; }

    /// <summary>Scores withheld by report by exception.</summary>
    public Counter Withheld { get; }

    public Counter Warnings { get; }

    public Counter Acks { get; }

    public Counter ProcessingErrors { get; }

    public Counter StateRestored { get; }

    public Counter StateGaps { get; }

    public Histogram Latency { get; }

    public Gauge ActiveSensors { get; }

    public Gauge LaneProgress { get; }

    public Counter Spectra { get; }

    public Histogram IdentifySeconds { get; }

    public Gauge LibraryInfo { get; }

    public void DeadLetter(DeadLetterReason reason) => _deadLettersByReason[(int)reason].Inc();

    internal static string WireName(DeadLetterReason reason) =>
        System.Text.Json.JsonSerializer.Serialize(reason, ContractJson.Default.DeadLetterReason).Trim('"');
}
