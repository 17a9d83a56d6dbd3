using System.Diagnostics;
using Akka.Streams;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline;
using RiskStream.Pipeline.Lanes;
using RiskStream.Sensors.Scoring;
using RiskStream.Simulation;

namespace RiskStream.Cli.Bench;

/// <summary>Figures of one bench run (the keys of <c>riskstream bench --json</c>).</summary>
internal sealed record BenchResult(
    double ReadingsPerSec,
    double RawConsumePerSec,
    double Ratio,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double LatencyRatePerSec,
    double LatencyAchievedPerSec,
    int Sensors,
    double ManagedBytesPerSensor,
    double RegistryBytesPerSensor,
    double DurationSec,
    int Lanes,
    int Cores)
{
    /// <summary>The 99.9th percentile of the latency phase: the tail that one stall in a run moves.</summary>
    public double LatencyP999Ms { get; init; } = double.NaN;

    /// <summary>Garbage collection pause during the latency phase's measured part.</summary>
    public double LatencyGcPauseMs { get; init; } = double.NaN;

    /// <summary>
    /// Readings scored per CPU-second of the pipeline's own threads (the process's CPU less the feeder's and the
    /// embedded broker's threads): a rate that survives a noisy machine and a feeder competing for the cores.
    /// </summary>
    public double ReadingsPerCpuSec { get; init; } = double.NaN;

    /// <summary>The raw-consume peer's messages per CPU-second of its own threads (its consumer's and the loop's).</summary>
    public double RawConsumePerCpuSec { get; init; } = double.NaN;

    /// <summary><see cref="ReadingsPerCpuSec"/> over <see cref="RawConsumePerCpuSec"/>: the ratio to raw per unit of CPU.</summary>
    public double CpuRatio { get; init; } = double.NaN;

    /// <summary>The pipeline's rate with scores reported by exception (every reading still scored; <c>ScorePublishing=exception</c>).</summary>
    public double ReadingsPerSecByException { get; init; } = double.NaN;

    /// <summary><see cref="ReadingsPerSecByException"/> over the raw-consume peer's rate.</summary>
    public double RatioByException { get; init; } = double.NaN;

    /// <summary>Readings scored per CPU-second of the pipeline's own threads with scores reported by exception.</summary>
    public double ReadingsPerCpuSecByException { get; init; } = double.NaN;

    /// <summary>The share of scored readings whose score was published, by exception, on the bench's feed (normal operation).</summary>
    public double ScoresPublishedShareByException { get; init; } = double.NaN;

    /// <summary>The Streamiz.Kafka.Net peer's readings per second (bench/RiskStream.StreamizPeer, same broker and feeder); NaN when not built.</summary>
    public double StreamizPerSec { get; init; } = double.NaN;

    /// <summary>The Streamiz peer's readings per CPU-second of its whole process.</summary>
    public double StreamizPerCpuSec { get; init; } = double.NaN;

    /// <summary>Stream threads the Streamiz peer ran.</summary>
    public int StreamizThreads { get; init; }

    /// <summary>The pipeline's readings per second (every score published) over the Streamiz peer's: the margin.</summary>
    public double VsStreamiz { get; init; } = double.NaN;

    /// <summary>The same per CPU-second (the pipeline's own threads against the peer's process).</summary>
    public double VsStreamizPerCpuSec { get; init; } = double.NaN;

    /// <summary>The GC's generation-0 budget cap the run had (bytes; DOTNET_GCgen0size raises it from 6 MB).</summary>
    public long Gen0BudgetBytes { get; init; }

    /// <summary>The model that scored every reading of the throughput and latency phases.</summary>
    public string Model { get; init; } = "";

    /// <summary>2,000-point spectra identified per second on all cores against the shipped library.</summary>
    public double SpectraPerSec { get; init; }

    /// <summary>The same against a 1,000-reference library.</summary>
    public double SpectraPerSec1000 { get; init; }

    public int LibrarySubstances { get; init; }
}
