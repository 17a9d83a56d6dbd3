using System.Text;
using Akka.Streams;
using RiskStream.Core.Resilience;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Core;
using RiskStream.Kafka;

namespace RiskStream.Influx;

/// <summary>Prometheus metrics of the sink.</summary>
public sealed class InfluxMetrics(IMetricFactory factory)
{
    public Counter Points { get; } = factory.CreateCounter("riskstream_influx_points_written_total", "Points InfluxDB accepted.");

    public Counter Batches { get; } = factory.CreateCounter("riskstream_influx_writes_total", "Writes InfluxDB accepted.");

    public Counter Errors { get; } = factory.CreateCounter("riskstream_influx_write_errors_total", "Failed writes, by kind: retried (unreachable, 5xx), retried_refusal (401, 403, 404: an operator must act), split_too_large (413), split_refused (400: looking for the point at fault), refused (one point InfluxDB refuses; dead-lettered).", ["kind"]);

    public Counter Skipped { get; } = factory.CreateCounter("riskstream_influx_messages_skipped_total", "Messages not written, by reason: empty, refused_reading (the pipeline dead-letters it), invalid (incomplete, malformed or of an unregistered site), downsampled, refused_by_influxdb (dead-lettered with InfluxDB's answer).", ["reason"]);

    public Histogram WriteSeconds { get; } = factory.CreateHistogram("riskstream_influx_write_seconds", "Time of one accepted write, retries included.");

    public static InfluxMetrics Unregistered() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
}
