using System.Globalization;
using RiskStream.Kafka;
using RiskStream.Pipeline;

namespace RiskStream.Cli.Hosting;

/// <summary>The checks behind <c>/healthz/live</c> and <c>/healthz/ready</c> of <c>run</c> and <c>sink influx</c>.</summary>
internal static class HealthChecks
{
    /// <summary>The pipeline's: lanes moving (live); running, connected, consuming, a model serving (ready).</summary>
    public static Health Pipeline(RiskStreamOptions options, Func<bool> running, PipelineMetrics metrics, KafkaMetrics kafka, Func<string> model, TimeProvider time) =>
        new Health()
            .Live("lanes", () => Wedged(metrics, options.HealthLiveTimeout, running, time))
            .Ready("pipeline", () => running() ? null : "the pipeline is restarting after a failure")
            .Ready("kafka", () => Connection(kafka, time))
            .Ready("consuming", Consuming(kafka, options.HealthMaxLag, options.HealthStallAfter, time))
            .Ready("model", () => model() == Sensors.Scoring.SetpointBaselineModel.Name ? "no risk model serves: scoring on the national setpoints alone (see riskstream models list)" : null);

    /// <summary>The InfluxDB sink's: running, connected, consuming, InfluxDB taking writes (all readiness).</summary>
    public static Health Sink(RiskStreamOptions options, Func<bool> running, KafkaMetrics kafka, Influx.InfluxSinkStatus influx, TimeProvider time) =>
        new Health()
            .Ready("sink", () => running() ? null : "the sink is restarting after a failure")
            .Ready("kafka", () => Connection(kafka, time))
            .Ready("consuming", Consuming(kafka, options.HealthMaxLag, options.HealthStallAfter, time))
            .Ready("influxdb", () => influx.Problem(time));

    private static string? Wedged(PipelineMetrics metrics, TimeSpan timeout, Func<bool> running, TimeProvider time)
    {
        if (!running())
        {
            return null;
        }

        var now = UnixSeconds(time);
        var stale = metrics.LaneProgress.GetAllLabelValues()
            .Select(l => (Lane: l[0], Seconds: now - metrics.LaneProgress.WithLabels(l).Value))
            .Where(l => l.Seconds > timeout.TotalSeconds)
            .ToList();
        return stale.Count == 0 ? null : string.Join("; ", stale.Select(l => string.Create(CultureInfo.InvariantCulture, $"lane {l.Lane} has not moved for {l.Seconds:F0} s")));
    }

    /// <summary>librdkafka reports every 5 s (statistics.interval.ms); three reports missed and its last word is stale.</summary>
    internal static readonly TimeSpan StatisticsStaleAfter = TimeSpan.FromSeconds(15);

    private static string? Connection(KafkaMetrics kafka, TimeProvider time)
    {
        if (kafka.BrokersUp.Value < 0)
        {
            return "no report from the Kafka client yet";
        }

        // The statistics come from the consumer's poll: a thread blocked (in a commit that waits for a coordinator that
        // is gone, say) would leave the last report saying connected while the broker is away.
        var age = UnixSeconds(time) - kafka.StatisticsAt.Value;
        if (age > StatisticsStaleAfter.TotalSeconds)
        {
            return string.Create(CultureInfo.InvariantCulture, $"no report from the Kafka client for {age:F0} s: its connection is unknown");
        }

        return kafka.BrokersUp.Value == 0 ? "no connection to any Kafka broker is up" : null;
    }

    /// <summary>Now in Unix seconds, as the progress and statistics gauges keep time.</summary>
    private static double UnixSeconds(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Lag over its limit, or lag with nothing consumed for <paramref name="stallAfter"/>.</summary>
    private static Func<string?> Consuming(KafkaMetrics kafka, int maxLag, TimeSpan stallAfter, TimeProvider time)
    {
        var consumed = -1.0;
        var movedAt = time.GetTimestamp();
        var gate = new object();
        return () =>
        {
            var lag = kafka.TotalLag;
            var now = kafka.ConsumedTotal;
            lock (gate)
            {
                if (now != consumed)
                {
                    consumed = now;
                    movedAt = time.GetTimestamp();
                }

                var still = time.GetElapsedTime(movedAt);
                return lag > maxLag ? string.Create(CultureInfo.InvariantCulture, $"lag {lag:F0} messages, over {maxLag}")
                    : lag > 0 && still > stallAfter ? string.Create(CultureInfo.InvariantCulture, $"lag {lag:F0} messages and nothing consumed for {still.TotalSeconds:F0} s")
                    : null;
            }
        };
    }
}
