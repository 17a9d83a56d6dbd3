using Akka.Streams;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Cli.Hosting;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;
using RiskStream.Simulation;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream run</c>: the pipeline, restarted with back-off if it fails; with no <c>--kafka</c>, on the embedded
/// broker with the park simulator feeding it.
/// </summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(ProcessHost host)
    {
        var options = RiskStreamOptions.Read(host.Settings);
        var registry = ParkRegistry.Load(options.RegistryPath);
        var scenarios = ScenarioLoader.LoadFolder(options.ScenariosPath);
        var silences = new SilenceBook(SilenceLoader.Load(options.SilencesPath, registry));
        var log = host.Log;
        log.LogInformation("Registry '{Name}': {Sites} sites, {Sensors} sensors, {Enterprises} enterprises, {Agreements} assistance agreements", registry.Name, registry.Sites.Count, registry.SensorCount, registry.Enterprises.Count, registry.Agreements.Count);
        log.LogInformation("Scenarios: {Scenarios}; {Silences} silences", string.Join(", ", scenarios.Scenarios.Select(x => x.Id)), silences.Current.Count);
        var identifier = LibraryCommand.Open(options);
        log.LogInformation("Raman library {Version}: {Substances} substances from {Folder}", identifier.Version, identifier.Count, options.RamanLibrary);
        using var silenceWatcher = new SilenceWatcher(options.SilencesPath, registry, silences, log);

        // The metrics port is bound first, so a port that is taken fails the start before anything else runs.
        PipelineSupervisor? supervisor = null;
        using var server = options.MetricsPort > 0 ? new MetricsServer(options.MetricsPort, Metrics.DefaultRegistry, () => supervisor?.Healthy == true, log) : null;

        using var broker = options.BootstrapServers.Length == 0 ? EmbeddedBroker.Start(options.EmbeddedBrokers) : null;
        var bootstrap = broker?.BootstrapServers ?? options.BootstrapServers;
        var simulate = broker is not null || host.Cli.Has("--simulate");
        if (broker is not null)
        {
            broker.EnsureTopics([.. Topics.All(registry)]);
            log.LogWarning("No --kafka given: running on the EMBEDDED broker (librdkafka mock cluster, in memory, for development and tests) at {Bootstrap}", bootstrap);
        }
        else
        {
            log.LogInformation("Kafka at {Bootstrap}; client properties set: {Keys}", bootstrap, string.Join(", ", options.KafkaProperties.Keys.Order()));
        }

        var metricsRegistry = Metrics.DefaultRegistry;
        var factory = Metrics.WithCustomRegistry(metricsRegistry);
        var pipelineMetrics = new PipelineMetrics(factory);
        var kafkaMetrics = KafkaMetrics.ForGroup(metricsRegistry, options.Pipeline.GroupId);
        var printer = new WarningPrinter(host.Cli.Has("--json"), Console.Out, !Console.IsOutputRedirected);
        var model = new Sensors.Models.MlRiskModel(new Sensors.Models.ModelRegistry(options.ModelsPath), host.LoggerFactory.CreateLogger("riskstream.models"), new Sensors.Models.ModelMetrics(factory),
            scenarios.RiskConditions.Where(c => c.AtLeast is not null).Select(c => c.AtLeast!.Value).Distinct().ToList());
        log.LogInformation("Risk model {Model} from {Registry}; checking for a new current every {Interval}", model.Version, options.ModelsPath, options.ModelsWatchInterval);
        var watcher = model.WatchAsync(options.ModelsWatchInterval, TimeProvider.System, host.Stopping);
        supervisor = new PipelineSupervisor(options, registry, scenarios, silences, bootstrap, pipelineMetrics, kafkaMetrics, printer.Post, host.LoggerFactory) { Identifier = identifier, Model = model };

        Task simulation = Task.CompletedTask;
        using var simulationStop = new CancellationTokenSource();
        IProducer<byte[]?, byte[]>? simProducer = null;
        if (simulate)
        {
            var simulator = new ParkSimulator(registry, options.Simulation, TimeProvider.System.GetUtcNow());
            simProducer = new ProducerBuilder<byte[]?, byte[]>(options.Producer(bootstrap).ToConfig()).Build();
            var publisher = new SimulatorPublisher(simulator, simProducer, TimeProvider.System, host.LoggerFactory.CreateLogger("riskstream.simulator"))
            {
                Inspections = new InspectionSimulator(registry, identifier.References.ToList(), options.Simulation.Seed),
                InspectionEvery = options.Simulation.InspectionEvery,
            };
            simulation = Task.Run(() => publisher.RunAsync(simulationStop.Token));
        }

        var influx = InfluxSettings.Read(host.Settings);
        var sink = influx.Url.Length > 0
            ? Task.Run(() => SinkCommand.RunSinkAsync(host, registry, options.Consumer(bootstrap, influx.Sink.GroupId), influx, host.Stopping))
            : Task.CompletedTask;
        var running = supervisor.RunAsync(host.Stopping);
        await Task.WhenAny(running, Task.Delay(Timeout.Infinite, host.Stopping)).ConfigureAwait(false);
        simulationStop.Cancel();
        await simulation.ConfigureAwait(false);
        simProducer?.Dispose();
        await running.ConfigureAwait(false);
        await sink.ConfigureAwait(false);
        await printer.CompleteAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
        log.LogInformation("Stopped: {Scored} readings scored, {Warnings} warning events", pipelineMetrics.Scored.Value, printer.Printed);
        return 0;
    }
}

/// <summary>Runs the pipeline until stopped, rematerialising it with exponential back-off when it fails.</summary>
internal sealed class PipelineSupervisor(
    RiskStreamOptions options,
    ParkRegistry registry,
    ScenarioSet scenarios,
    SilenceBook silences,
    string bootstrap,
    PipelineMetrics metrics,
    KafkaMetrics kafkaMetrics,
    Action<Core.Contracts.WarningEvent> onWarning,
    ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("riskstream.pipeline");

    /// <summary>The Raman library search; spectra are identified when set.</summary>
    public Raman.Processing.Identifier? Identifier { get; init; }

    /// <summary>The risk model every lane scores with.</summary>
    public Sensors.Scoring.IRiskModel Model { get; init; } = new Sensors.Scoring.SetpointBaselineModel();

    private volatile bool _healthy;

    public bool Healthy => _healthy;

    public async Task RunAsync(CancellationToken stop)
    {
        var system = ProcessHost.CreateActorSystem("riskstream");
        var backoff = options.RestartMinBackoff;
        var throttle = new LogThrottle(TimeProvider.System, TimeSpan.FromSeconds(30));
        try
        {
            var materializer = system.Materializer();
            while (!stop.IsCancellationRequested)
            {
                using var producer = new ProducerBuilder<byte[]?, byte[]>(options.Producer(bootstrap).ToConfig())
                    .SetErrorHandler((_, e) =>
                    {
                        kafkaMetrics.ClientErrors.WithLabels("producer", e.Code.ToString()).Inc();
                        if (throttle.ShouldLog(e.Code.ToString(), out var held))
                        {
                            _log.LogWarning("Kafka producer error {Code}: {Reason}{Held}", e.Code, e.Reason, held > 0 ? $" ({held} more since the last report)" : "");
                        }
                    })
                    .SetLogHandler((_, m) =>
                    {
                        // Errors reach the error handler above; librdkafka's own log adds only what is worse.
                        if (m.Level <= SyslogLevel.Critical)
                        {
                            _log.LogError("librdkafka {Facility}: {Message}", m.Facility, m.Message);
                        }
                    })
                    .Build();
                var context = new PipelineContext
                {
                    Registry = registry,
                    Scenarios = scenarios,
                    Silences = silences,
                    AckTopics = Topics.AckTopics(registry),
                    Identifier = Identifier,
                    Model = Model,
                    Options = options.Pipeline,
                    Metrics = metrics,
                    LoggerFactory = loggers,
                    OnWarning = onWarning,
                };
                var kafka = new PipelineKafka
                {
                    Consumer = options.Consumer(bootstrap, options.Pipeline.GroupId),
                    Producer = producer,
                    ProducerSettings = options.Producer(bootstrap),
                    Metrics = kafkaMetrics,
                };
                var running = RiskPipeline.Start(context, kafka, materializer);
                _healthy = true;
                _log.LogInformation("Pipeline started: group {Group}, {Lanes} lanes", options.Pipeline.GroupId, options.Pipeline.Lanes);
                await Task.WhenAny(running.Completion, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
                if (stop.IsCancellationRequested)
                {
                    _log.LogInformation("Draining: finishing in-flight readings and committing their offsets");
                    try
                    {
                        await running.DrainAndShutdownAsync().ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        _log.LogError(e, "Pipeline failed while draining");
                    }

                    producer.Flush(TimeSpan.FromSeconds(10));
                    _log.LogInformation("Drained; committed {Offsets}", string.Join(", ", running.Control.CommittedOffsets.Select(kv => $"{kv.Key.Topic}[{kv.Key.Partition.Value}]@{kv.Value}")));
                    break;
                }

                _healthy = false;
                var error = running.Completion.Exception?.GetBaseException();
                _log.LogError(error, "Pipeline stopped unexpectedly; restarting in {Backoff}", backoff);
                await running.Control.ShutdownAsync().ConfigureAwait(false);
                try
                {
                    await Task.Delay(backoff, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.RestartMaxBackoff.Ticks));
            }
        }
        finally
        {
            _healthy = false;
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
