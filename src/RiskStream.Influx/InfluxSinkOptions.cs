using System.Text;
using Akka.Streams;
using RiskStream.Core.Resilience;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Core;
using RiskStream.Kafka;

namespace RiskStream.Influx;

/// <summary>Options of the InfluxDB sink (configuration section <c>RiskStream:Influx</c>).</summary>
public sealed record InfluxSinkOptions
{
    /// <summary>Its own consumer group: an InfluxDB outage becomes lag of this group, never lost points.</summary>
    public string GroupId { get; init; } = "riskstream-influx";

    public IReadOnlyList<string> Topics { get; init; } = [Core.Topics.Readings, Core.Topics.Scores, Core.Topics.Warnings, Core.Topics.Identifications, Core.Topics.Kpis, Core.Topics.DataQuality, Core.Topics.Labels];

    /// <summary>Most consumed batches (up to 1024 messages each) in one write.</summary>
    public int MaxBatchesPerWrite { get; init; } = 8;

    /// <summary>Longest a point waits for its write.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most one raw reading per sensor per this interval (zero: every reading).</summary>
    public TimeSpan Downsample { get; init; } = TimeSpan.Zero;
}
