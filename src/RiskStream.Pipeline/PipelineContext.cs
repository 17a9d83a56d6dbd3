using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Pipeline.State;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;
using RiskStream.Sensors.Scoring;

namespace RiskStream.Pipeline;

/// <summary>What the lanes of the pipeline are built from: the registry, the scenarios, the models and the input topics.</summary>
public sealed record PipelineContext
{
    public required ParkRegistry Registry { get; init; }

    public required PipelineOptions Options { get; init; }

    /// <summary>The scenario definitions the engine runs.</summary>
    public required ScenarioSet Scenarios { get; init; }

    /// <summary>Topic the readings come from.</summary>
    public string InputTopic { get; init; } = Topics.Readings;

    /// <summary>Maintenance windows.</summary>
    public SilenceBook Silences { get; init; } = new([]);

    /// <summary>
    /// Acknowledgement topics consumed beside the readings, with the party each proves (<see cref="Topics.AckTopics"/>);
    /// none by default.
    /// </summary>
    public IReadOnlyDictionary<string, Party> AckTopics { get; init; } = new Dictionary<string, Party>();

    /// <summary>Where warning state is restored from; by default the state topic on the same cluster (none in a lane built alone).</summary>
    public IWarningStateStore? StateStore { get; init; }

    /// <summary>What the parties were told (riskstream.warnings), for the state audit; by default the same cluster's (none in a lane built alone: no audit).</summary>
    public IPublishedWarnings? PublishedWarnings { get; init; }

    public IRiskModel Model { get; init; } = new SetpointBaselineModel();

    /// <summary>The Raman library search; when set, <see cref="SpectraTopic"/> is consumed and identified.</summary>
    public Raman.Processing.Identifier? Identifier { get; init; }

    public string SpectraTopic { get; init; } = Topics.Spectra;

    public PipelineMetrics Metrics { get; init; } = PipelineMetrics.Unregistered();

    public ILoggerFactory LoggerFactory { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    private ScoreReporting? _scoreReporting;

    /// <summary>
    /// When scores are reported by exception: the memory of each sensor's last published score, shared by the lanes
    /// (a sensor is in one lane only); null when every score is published.
    /// </summary>
    internal ScoreReporting? ScoreReporting => Options.Scores.Mode == ScorePublishing.Every
        ? null
        : LazyInitializer.EnsureInitialized(ref _scoreReporting, () => new ScoreReporting(Registry, Options.Scores));

    /// <summary>Called from a lane with each warning event (before its delivery is acknowledged); must not block.</summary>
    public Action<WarningEvent>? OnWarning { get; init; }
}
