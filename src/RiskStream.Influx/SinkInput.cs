using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Codecs;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Influx;

/// <summary>
/// What the sink accepts from its topics, one message at a time: with a registry, readings through the pipeline's
/// decoder (a reading the pipeline dead-letters is not written either) and other points only for registered sites.
/// A refused message is counted (<c>riskstream_influx_messages_skipped_total{reason}</c>) and reported, throttled.
/// </summary>
/// <remarks>Not thread-safe: one per sink stream.</remarks>
internal sealed class SinkInput(ParkRegistry? registry, TimeProvider time, InfluxMetrics metrics, LogThrottle throttle, ILogger log)
{
    private readonly ReadingDecoder? _readings = registry is null ? null : new ReadingDecoder(registry, new InputLimits(), time);
    private readonly Func<string, bool>? _knownSite = registry is null ? null : registry.Sites.ContainsKey;

    public InfluxMetrics Metrics => metrics;

    /// <summary>Appends the message's line; false (nothing appended, the skip counted) when it is not written.</summary>
    public bool TryAppend(StringBuilder lines, string topic, ConsumeResult<byte[]?, byte[]?> m)
    {
        if (m.Message.Value is not { } value)
        {
            metrics.Skipped.WithLabels("empty").Inc();
            return false;
        }

        if (topic == Topics.Readings && _readings is not null)
        {
            var decoded = _readings.Decode(m.Message.Key, value);
            if (!decoded.IsValid)
            {
                // The pipeline dead-letters it with its reason; here it is only counted.
                metrics.Skipped.WithLabels("refused_reading").Inc();
                return false;
            }

            var r = decoded.Reading;
            LineProtocol.AppendReading(lines, r.Sensor.Site.Id, r.Sensor.Id, r.Sensor.Kind, r.Value, r.TsMs);
            return true;
        }

        if (LineProtocol.TryAppend(lines, topic, value, out var refusal, _knownSite))
        {
            return true;
        }

        metrics.Skipped.WithLabels("invalid").Inc();
        if (throttle.ShouldLog("invalid", out var held))
        {
            log.LogWarning("InfluxDB sink skipped {Topic}[{Partition}]@{Offset}: {Reason}{Held}", topic, m.Partition.Value, m.Offset.Value, refusal, LogThrottle.Held(held));
        }

        return false;
    }
}
