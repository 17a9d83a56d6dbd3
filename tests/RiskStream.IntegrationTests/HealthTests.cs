using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Cli.Hosting;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Influx;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;
using RiskStream.Pipeline;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// /healthz/live and /healthz/ready say what is wrong, each failure injected: a wedged lane, the broker down,
/// lag with nothing consumed, no model serving, InfluxDB refusing writes; and the endpoints of a running process.
/// </summary>
public sealed class HealthTests
{
    private static readonly RiskStreamOptions Options = RiskStreamOptions.Read(new ConfigurationBuilder().Build());

    private static (bool Ok, string[] Problems) Check(Health health, bool readiness)
    {
        var (ok, body) = health.Report(readiness);
        using var doc = JsonDocument.Parse(body);
        return (ok, doc.RootElement.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("name").GetString() + ": " + c.GetProperty("problem").GetString()).ToArray());
    }

    [Fact]
    public void A_lane_that_stops_taking_up_work_fails_liveness_and_lag_without_consumption_fails_readiness()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var metrics = PipelineMetrics.Unregistered();
        var kafka = KafkaMetrics.Unregistered();
        kafka.Statistics(1, time.GetUtcNow());
        var health = HealthChecks.Pipeline(Options, () => true, metrics, kafka, () => "risk/v1", time);
        metrics.LaneProgress.WithLabels("0").Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        metrics.LaneProgress.WithLabels("1").Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        Assert.Equal((true, []), Check(health, readiness: true));

        // Lane 1 stops; lane 0 goes on.
        time.Advance(Options.HealthLiveTimeout + TimeSpan.FromSeconds(5));
        kafka.Statistics(1, time.GetUtcNow());
        metrics.LaneProgress.WithLabels("0").Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        var (live, problems) = Check(health, readiness: false);
        Assert.False(live);
        Assert.StartsWith("lanes: lane 1 has not moved for 65 s", Assert.Single(problems), StringComparison.Ordinal);
        metrics.LaneProgress.WithLabels("1").Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);

        // Lag, and nothing consumed for longer than StallAfter.
        kafka.Lag.WithLabels("riskstream.readings", "0").Set(500);
        kafka.Consumed("riskstream.readings", 10);
        Assert.True(Check(health, readiness: true).Ok);
        time.Advance(Options.HealthStallAfter + TimeSpan.FromSeconds(1));
        kafka.Statistics(1, time.GetUtcNow());
        metrics.LaneProgress.WithLabels("0").Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        metrics.LaneProgress.WithLabels("1").Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        var (ready, stalled) = Check(health, readiness: true);
        Assert.False(ready);
        Assert.Equal("consuming: lag 500 messages and nothing consumed for 121 s", Assert.Single(stalled));
        Assert.True(Check(health, readiness: false).Ok, "a stall is not a reason to restart the process");
        kafka.Consumed("riskstream.readings", 1);
        Assert.True(Check(health, readiness: true).Ok);

        // Lag over the limit.
        kafka.Lag.WithLabels("riskstream.readings", "1").Set(Options.HealthMaxLag + 1);
        Assert.Contains($"consuming: lag {Options.HealthMaxLag + 501} messages, over {Options.HealthMaxLag}", Check(health, readiness: true).Problems);
    }

    [Fact]
    public void A_Kafka_client_whose_statistics_stop_fails_readiness_though_its_last_report_said_connected()
    {
        // librdkafka's statistics come from the consumer's poll: a blocked consumer thread leaves its last report
        // (one broker up) standing while the broker may be gone.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var kafka = KafkaMetrics.Unregistered();
        var health = HealthChecks.Pipeline(Options, () => true, PipelineMetrics.Unregistered(), kafka, () => "risk/v1", time);
        Assert.Equal("kafka: no report from the Kafka client yet", Assert.Single(Check(health, readiness: true).Problems));
        kafka.Statistics(1, time.GetUtcNow());
        Assert.True(Check(health, readiness: true).Ok);
        time.Advance(HealthChecks.StatisticsStaleAfter);
        Assert.True(Check(health, readiness: true).Ok, "three reports missed is still within the bound");
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("kafka: no report from the Kafka client for 20 s: its connection is unknown", Assert.Single(Check(health, readiness: true).Problems));
        Assert.True(Check(health, readiness: false).Ok, "not a reason to restart the process");
        kafka.Statistics(0, time.GetUtcNow());
        Assert.Equal("kafka: no connection to any Kafka broker is up", Assert.Single(Check(health, readiness: true).Problems));
    }

    [Fact]
    public void No_model_serving_and_InfluxDB_refusing_writes_fail_readiness_with_the_reason()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var kafka = KafkaMetrics.Unregistered();
        kafka.Statistics(1, time.GetUtcNow());
        var model = Sensors.Scoring.SetpointBaselineModel.Name;
        var pipeline = HealthChecks.Pipeline(Options, () => true, PipelineMetrics.Unregistered(), kafka, () => model, time);
        Assert.StartsWith("model: no risk model serves", Assert.Single(Check(pipeline, readiness: true).Problems), StringComparison.Ordinal);
        model = "risk/v1";
        Assert.True(Check(pipeline, readiness: true).Ok);

        var status = new InfluxSinkStatus();
        var sink = HealthChecks.Sink(Options, () => true, kafka, status, time);
        status.Failed("HTTP 401: authorization failed", time);
        Assert.True(Check(sink, readiness: true).Ok, "a failure shorter than the grace is a retry, not an outage");
        time.Advance(TimeSpan.FromSeconds(45));
        kafka.Statistics(1, time.GetUtcNow());
        Assert.Equal("influxdb: InfluxDB writes have failed for 45 s: HTTP 401: authorization failed", Assert.Single(Check(sink, readiness: true).Problems));
        status.Succeeded();
        Assert.True(Check(sink, readiness: true).Ok);
    }

    [Fact]
    public async Task The_broker_going_down_fails_readiness_and_its_return_restores_it()
    {
        var park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        using var broker = EmbeddedBroker.Start();
        broker.EnsureTopics([.. Topics.All(park)]);
        await using var pipeline = new PipelineInstance(broker.BootstrapServers, park, "g-health", "health", Topics.AckTopics(park));
        var health = HealthChecks.Pipeline(Options, () => true, pipeline.Metrics, pipeline.KafkaMetrics, () => "risk/v1", TimeProvider.System);
        await Eventually.TrueAsync(() => Check(health, readiness: true).Ok, TimeSpan.FromSeconds(30), () => "ready: " + string.Join("; ", Check(health, readiness: true).Problems));

        broker.Faults.AllBrokers(up: false);
        await Eventually.TrueAsync(() => Check(health, readiness: true).Problems.Any(p => p is "kafka: no connection to any Kafka broker is up" || p.StartsWith("kafka: no report from the Kafka client for", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), () => "not ready while the broker is down: " + string.Join("; ", Check(health, readiness: true).Problems));
        Assert.True(Check(health, readiness: false).Ok, "the broker's outage is not the process's: liveness holds");

        broker.Faults.AllBrokers(up: true);
        await Eventually.TrueAsync(() => Check(health, readiness: true).Ok, TimeSpan.FromSeconds(60), () => "ready again: " + string.Join("; ", Check(health, readiness: true).Problems));
    }

    [Fact]
    public async Task A_running_process_serves_liveness_and_readiness_with_every_check_named()
    {
        var port = FreePorts.BelowEphemeralRange();
        using var process = CliProcess.Start(["run", "--for", "60s", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        HttpResponseMessage? ready = null;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    ready = await http.GetAsync(new Uri("healthz/ready", UriKind.Relative));
                    return ready.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "/healthz/ready to answer 200");
        using var body = JsonDocument.Parse(await ready!.Content.ReadAsStringAsync());
        Assert.Equal(["consuming", "influx-sink", "kafka", "lanes", "model", "pipeline"], body.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray());
        var live = await http.GetAsync(new Uri("healthz/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var liveBody = JsonDocument.Parse(await live.Content.ReadAsStringAsync());
        Assert.Equal("lanes", Assert.Single(liveBody.RootElement.GetProperty("checks").EnumerateArray()).GetProperty("name").GetString());
        process.Kill(entireProcessTree: true);
    }
}
