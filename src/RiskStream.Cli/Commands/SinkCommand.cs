using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Cli.Hosting;
using RiskStream.Influx;
using RiskStream.Kafka;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream sink influx --kafka B --influx-url URL ...</c>: the InfluxDB sink alone.</summary>
internal static class SinkCommand
{
    public static async Task<int> RunAsync(ProcessHost host)
    {
        if (host.Cli.Arguments is not ["influx", ..])
        {
            throw new OptionsException("usage: riskstream sink influx --kafka BOOTSTRAP --influx-url URL [--influx-api v1|v2] [--influx-db NAME | --influx-bucket NAME --influx-org NAME]");
        }

        var options = RiskStreamOptions.Read(host.Settings);
        var influx = InfluxSettings.Read(host.Settings);
        if (options.BootstrapServers.Length == 0 || influx.Url.Length == 0)
        {
            throw new OptionsException("riskstream sink influx needs --kafka and --influx-url");
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
        using var writer = influx.CreateWriter(host.Settings);
        var sites = Task.Run(() => WriteSitesAsync(writer, registry, log, stop), CancellationToken.None);
        var system = ProcessHost.CreateActorSystem("influx");
        var backoff = TimeSpan.FromSeconds(1);
        try
        {
            log.LogInformation("InfluxDB sink: group {Group} → {Target}", influx.Sink.GroupId, influx);
            while (!stop.IsCancellationRequested)
            {
                // Not the stop token: a stop lets writes in flight finish; this one only ends retries after the drain time.
                using var giveUp = new CancellationTokenSource();
                var (control, completion) = InfluxSink.Start(consumer with { GroupId = influx.Sink.GroupId }, influx.Sink, writer, metrics, kafkaMetrics, log, Akka.Streams.ActorMaterializer.Create(system), stop: giveUp.Token);
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

                    break;
                }

                log.LogError(completion.Exception?.GetBaseException(), "InfluxDB sink failed; restarting in {Backoff}", backoff);
                await control.ShutdownAsync().ConfigureAwait(false);
                try
                {
                    await Task.Delay(backoff, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
            await sites.ConfigureAwait(false);
        }
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
