using System.CommandLine;
using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Cli.Hosting;
using RiskStream.Influx;
using RiskStream.Kafka;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream sink influx --kafka B --influx-url URL ...</c>: the InfluxDB sink alone.</summary>
internal static class SinkCommand
{
    public static Command Create()
    {
        var influx = new Command("influx", "The InfluxDB sink alone, in its own consumer group: readings, scores, warnings and identifications into InfluxDB.") { CommonOptions.For() };
        foreach (var flag in ConfigFlag.For("--kafka", "--registry", "--metrics-port", "--influx-url", "--influx-api", "--influx-db", "--influx-bucket", "--influx-org"))
        {
            influx.Options.Add(flag);
        }

        influx.SetAction((parse, _) => RunAsync(parse));
        return new Command("sink", "Sinks that store the topics elsewhere.") { influx };
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var influx = options.Influx;
        if (options.BootstrapServers.Length == 0 || influx.Url.Length == 0)
        {
            throw new Core.Options.OptionsException("riskstream sink influx needs --kafka and --influx-url");
        }

        using var server = options.MetricsPort > 0 ? new MetricsServer(options.MetricsPort, Metrics.DefaultRegistry, () => true, host.Log) : null;
        await RunSinkAsync(host, Core.Registry.ParkRegistry.Load(options.RegistryPath), options.Consumer(options.BootstrapServers, influx.Sink.GroupId), influx, host.Stopping).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Runs the sink until <paramref name="stop"/>, restarting it with back-off if it fails; on stop it drains: writes
    /// in flight finish (or give up after 30 s) and everything InfluxDB accepted is committed.
    /// </summary>
    public static async Task RunSinkAsync(ProcessHost host, Core.Registry.ParkRegistry registry, ConsumerSettings consumer, InfluxSettings influx, CancellationToken stop)
    {
        var log = host.LoggerFactory.CreateLogger("riskstream.influx");
        var metrics = new InfluxMetrics(Metrics.WithCustomRegistry(Metrics.DefaultRegistry));
        var kafkaMetrics = KafkaMetrics.ForGroup(Metrics.DefaultRegistry, influx.Sink.GroupId);
        using var writer = influx.CreateWriter();
        var sites = Task.Run(() => WriteSitesAsync(writer, registry, log, stop), CancellationToken.None);
        var system = ProcessHost.CreateActorSystem("influx");
        var supervisor = new Supervisor("InfluxDB sink", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeProvider.System, log);
        try
        {
            log.LogInformation("InfluxDB sink: group {Group} → {Target}", influx.Sink.GroupId, influx);
            var materializer = Akka.Streams.ActorMaterializer.Create(system);
            await supervisor.RunAsync(ct => RunOnceAsync(consumer, influx, registry, writer, metrics, kafkaMetrics, log, materializer, ct), stop).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
            await sites.ConfigureAwait(false);
        }
    }

    private static async Task RunOnceAsync(ConsumerSettings consumer, InfluxSettings influx, Core.Registry.ParkRegistry registry, IInfluxWriter writer, InfluxMetrics metrics, KafkaMetrics kafkaMetrics, ILogger log, Akka.Streams.IMaterializer materializer, CancellationToken stop)
    {
        // Not the stop token: a stop lets writes in flight finish; this one only ends retries after the drain time.
        using var giveUp = new CancellationTokenSource();
        var (control, completion) = InfluxSink.Start(consumer with { GroupId = influx.Sink.GroupId }, influx.Sink, writer, metrics, kafkaMetrics, log, materializer, stop: giveUp.Token, registry: registry);
        await Task.WhenAny(completion, Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        if (stop.IsCancellationRequested)
        {
            giveUp.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await control.DrainAndShutdownAsync(completion, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                log.LogInformation("InfluxDB sink drained; committed {Offsets}", string.Join(", ", control.CommittedOffsets.Select(kv => $"{kv.Key.Topic}[{kv.Key.Partition.Value}]@{kv.Value}")));
            }
            catch (Exception e)
            {
                log.LogWarning("InfluxDB sink stopped without a full drain (uncommitted points are written again next time): {Reason}", e.GetBaseException().Message);
            }

            return;
        }

        await control.ShutdownAsync().ConfigureAwait(false);
        throw completion.Exception?.GetBaseException() ?? new InvalidOperationException("the sink's stream completed by itself");
    }

    /// <summary>The registry's sites and their alarm setpoints as points, now and every ten minutes, for the park map and the site panels.</summary>
    private static async Task WriteSitesAsync(IInfluxWriter writer, Core.Registry.ParkRegistry registry, ILogger log, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var lines = new System.Text.StringBuilder();
            var now = TimeProvider.System.GetUtcNow();
            foreach (var site in registry.SiteList)
            {
                LineProtocol.AppendSite(lines, site, now);
                LineProtocol.AppendSetpoints(lines, site, now);
            }

            var wait = TimeSpan.FromMinutes(10);
            try
            {
                await writer.WriteAsync(lines.ToString(), stop).ConfigureAwait(false);
            }
            catch (InfluxWriteException e)
            {
                log.LogWarning("Site and setpoint points not written, trying again in a minute: {Reason}", e.Message);
                wait = TimeSpan.FromMinutes(1);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
