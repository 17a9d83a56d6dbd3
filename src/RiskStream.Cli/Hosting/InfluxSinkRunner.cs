using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Core.Registry;
using RiskStream.Influx;
using RiskStream.Kafka;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// The InfluxDB sink of <c>sink influx</c> and of <c>run --influx-url</c>: under a <see cref="Supervisor"/>, drained
/// on stop (writes in flight finish, or give up after 30 s, and everything InfluxDB accepted is committed), with
/// the registry's sites and setpoints written beside it every ten minutes. Before the first write the database is
/// created if missing; a sink that cannot work as configured (credentials refused, database missing and not
/// creatable) stops with <see cref="InfluxSetupException"/>, while an unreachable InfluxDB is waited for.
/// A point InfluxDB refuses for its content is dead-lettered.
/// </summary>
internal sealed class InfluxSinkRunner(ProcessHost host, ParkRegistry registry, RiskStreamOptions options, string bootstrap)
{
    private readonly InfluxSettings influx = options.Influx;
    private readonly ConsumerSettings consumer = options.Consumer(bootstrap, options.Influx.Sink.GroupId);

    private readonly ILogger _log = host.LoggerFactory.CreateLogger("riskstream.influx");
    private readonly Supervisor _supervisor = new("InfluxDB sink", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeProvider.System, host.LoggerFactory.CreateLogger("riskstream.influx"));

    public InfluxMetrics Metrics { get; } = new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.DefaultRegistry));

    public KafkaMetrics KafkaMetrics { get; } = KafkaMetrics.ForGroup(Prometheus.Metrics.DefaultRegistry, options.Influx.Sink.GroupId);

    public InfluxSinkStatus Status { get; } = new();

    public bool Running => _supervisor.Running;

    /// <summary>The sink's readiness checks, for its own process or beside the pipeline's.</summary>
    public Health Checks(RiskStreamOptions options) => HealthChecks.Sink(options, () => Running, KafkaMetrics, Status, TimeProvider.System);

    public async Task RunAsync(CancellationToken stop)
    {
        using var writer = influx.CreateWriter();
        if (!await EnsureDatabaseAsync(writer, stop).ConfigureAwait(false))
        {
            return;
        }

        using var producer = new Confluent.Kafka.ProducerBuilder<byte[]?, byte[]>(options.Producer(bootstrap).ToConfig()).Build();
        var letters = new Codecs.DeadLetterWriter(options.Pipeline.Input, TimeProvider.System);
        async Task DeadLetterAsync(RefusedPoint point, CancellationToken cancel)
        {
            var message = point.Message.Message;
            var letter = letters.Write(Core.Contracts.DeadLetterReason.ProcessingError, $"InfluxDB refused the point: {point.Error.Message}", point.Topic, point.Message.Partition.Value, point.Message.Offset.Value, message.Key, message.Value, InfluxSink.WriteStage, point.Error);
            await producer.ProduceAsync(Core.Topics.DeadLetter, new Confluent.Kafka.Message<byte[]?, byte[]> { Key = message.Key, Value = letter }, cancel).ConfigureAwait(false);
        }

        var sites = Task.Run(() => WriteSitesAsync(writer, stop), CancellationToken.None);
        var system = ProcessHost.CreateActorSystem("influx");
        try
        {
            _log.LogInformation("InfluxDB sink: group {Group} → {Target}", influx.Sink.GroupId, influx);
            var materializer = Akka.Streams.ActorMaterializer.Create(system);
            await _supervisor.RunAsync(ct => RunOnceAsync(writer, materializer, DeadLetterAsync, ct), stop).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
            await sites.ConfigureAwait(false);
        }
    }

    /// <summary>False when stopped while InfluxDB was still unreachable.</summary>
    private async Task<bool> EnsureDatabaseAsync(IInfluxWriter writer, CancellationToken stop)
    {
        var backoff = new Core.Resilience.RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.MaxValue, TimeProvider.System);
        var throttle = new LogThrottle(TimeProvider.System, TimeSpan.FromMinutes(1));
        while (true)
        {
            try
            {
                await writer.EnsureDatabaseAsync(stop).ConfigureAwait(false);
                return true;
            }
            catch (InfluxWriteException e)
            {
                Status.Failed(e.Message, TimeProvider.System);
                if (throttle.ShouldLog("setup", out _))
                {
                    _log.LogWarning("InfluxDB sink waiting for InfluxDB: {Reason}", e.Message);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                await Task.Delay(backoff.NextDelay(), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private async Task RunOnceAsync(IInfluxWriter writer, Akka.Streams.IMaterializer materializer, Func<RefusedPoint, CancellationToken, Task> refused, CancellationToken stop)
    {
        // Not the stop token: a stop lets writes in flight finish; this one only ends retries after the drain time.
        using var giveUp = new CancellationTokenSource();
        var (control, completion) = InfluxSink.Start(consumer with { GroupId = influx.Sink.GroupId }, influx.Sink, writer, Metrics, KafkaMetrics, _log, materializer, registry: registry, status: Status, refused: refused, stop: giveUp.Token);
        await Task.WhenAny(completion, Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        if (stop.IsCancellationRequested)
        {
            giveUp.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await control.DrainAndShutdownAsync(completion, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                _log.LogInformation("InfluxDB sink drained; committed {Offsets}", string.Join(", ", control.CommittedOffsets.Select(kv => $"{kv.Key.Topic}[{kv.Key.Partition.Value}]@{kv.Value}")));
            }
            catch (Exception e)
            {
                _log.LogWarning("InfluxDB sink stopped without a full drain (uncommitted points are written again next time): {Reason}", e.GetBaseException().Message);
            }

            return;
        }

        await control.ShutdownAsync().ConfigureAwait(false);
        throw completion.Exception?.GetBaseException() ?? new InvalidOperationException("the sink's stream completed by itself");
    }

    /// <summary>The registry's sites and their alarm setpoints as points, now and every ten minutes, for the park map and the site panels.</summary>
    private async Task WriteSitesAsync(IInfluxWriter writer, CancellationToken stop)
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
                _log.LogWarning("Site and setpoint points not written, trying again in a minute: {Reason}", e.Message);
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
