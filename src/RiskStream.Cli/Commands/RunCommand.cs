using System.CommandLine;
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
    public static Command Create()
    {
        var simulate = new Option<bool>("--simulate") { Description = "with --kafka: publish the simulated park to that cluster too" };
        var json = CommonOptions.Json("one JSON warning event per line on stdout (logs go to stderr)");
        var stopAfter = CommonOptions.For();
        var command = new Command("run", "Score readings and raise warnings. Without --kafka: the embedded broker and the park simulator.") { simulate, json, stopAfter };
        foreach (var flag in ConfigFlag.For("--kafka", "--brokers", "--metrics-port", "--registry", "--scenarios", "--silences", "--models", "--library", "--group", "--lanes", "--score-publishing", "--rate", "--sites", "--seed", "--influx-url", "--influx-api", "--influx-db", "--influx-bucket", "--influx-org", "--influx-ca", "--console-port", "--console-host"))
        {
            command.Options.Add(flag);
        }

        command.SetAction((parse, _) => RunAsync(parse, parse.GetValue(simulate), parse.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, bool simulateFlag, bool json)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
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
        Sensors.Models.MlRiskModel? model = null;
        var metricsRegistry = Metrics.DefaultRegistry;
        var factory = Metrics.WithCustomRegistry(metricsRegistry);
        var pipelineMetrics = new PipelineMetrics(factory);
        var kafkaMetrics = KafkaMetrics.ForGroup(metricsRegistry, options.Pipeline.GroupId);
        Health? sinkHealth = null;
        var health = HealthChecks.Pipeline(options, () => supervisor?.Healthy == true, pipelineMetrics, kafkaMetrics, () => model?.Version ?? Sensors.Scoring.SetpointBaselineModel.Name, TimeProvider.System)
            .Ready("influx-sink", () => sinkHealth?.Report(readiness: true) is { Ok: false } report ? "the InfluxDB sink is not ready: " + report.Body.Trim() : null);
        using var server = options.MetricsPort > 0 ? new MetricsServer(options.MetricsPort, metricsRegistry, health, log) : null;

        using var broker = options.BootstrapServers.Length == 0 ? EmbeddedBroker.Start(options.EmbeddedBrokers) : null;
        var bootstrap = broker?.BootstrapServers ?? options.BootstrapServers;
        var simulate = broker is not null || simulateFlag;
        if (broker is not null)
        {
            broker.EnsureTopics([.. Topics.All(registry)]);
            log.LogWarning("No --kafka given: running on the EMBEDDED broker (librdkafka mock cluster, in memory, for development and tests) at {Bootstrap}", bootstrap);
        }
        else
        {
            log.LogInformation("Kafka at {Bootstrap}; client properties set: {Keys}", bootstrap, string.Join(", ", options.KafkaProperties.Keys.Order()));
        }

        if (GcBudget.Warning() is { } gcWarning)
        {
            log.LogWarning("{Warning}", gcWarning);
        }

        var printer = new WarningPrinter(json, Console.Out, !Console.IsOutputRedirected);
        var modelMetrics = new Sensors.Models.ModelMetrics(factory);
        var modelLog = host.LoggerFactory.CreateLogger("riskstream.models");
        model = new Sensors.Models.MlRiskModel(new Sensors.Models.ModelRegistry(options.ModelsPath), modelLog, modelMetrics,
            scenarios.RiskConditions.Where(c => c.AtLeast is not null).Select(c => c.AtLeast!.Value).Distinct().ToList(),
            new Sensors.Models.DriftMonitor(modelMetrics, modelLog, options.DriftWindow, options.DriftWarnAbove, TimeProvider.System));
        log.LogInformation("Risk model {Model} from {Registry}; checking for a new current every {Interval}", model.Version, options.ModelsPath, options.ModelsWatchInterval);
        var watcher = model.WatchAsync(options.ModelsWatchInterval, TimeProvider.System, host.Stopping);
        SimulatedResponders? people = null;
        supervisor = new PipelineSupervisor(options, registry, scenarios, silences, bootstrap, pipelineMetrics, kafkaMetrics, w => { printer.Post(w); people?.Saw(w); }, host.LoggerFactory) { Identifier = identifier, Model = model };

        using var simulationStop = new CancellationTokenSource();
        var (simulation, simProducer, responders) = simulate ? StartSimulation(host, registry, identifier, bootstrap, simulationStop.Token) : (Task.CompletedTask, null, null);
        people = responders;

        var influx = options.Influx;
        var sink = influx.Url.Length > 0 ? new InfluxSinkRunner(host, registry, options, bootstrap) : null;
        if (sink is not null)
        {
            sinkHealth = sink.Checks(options);
        }

        var sinkRun = sink is null ? Task.CompletedTask : Task.Run(() => sink.RunAsync(host.Stopping));
        // The embedded demo computes its alarm KPIs too (on a cluster: one riskstream kpis for all pipeline instances).
        var kpis = broker is null ? Task.CompletedTask : new Kpis.KpiJob(bootstrap, options.KafkaProperties, registry, host.LoggerFactory.CreateLogger("riskstream.kpis"),
            outOfService: (site, sensor, t) => KpisCommand.OutOfService(silences.Current)(site, sensor, t)).RunAsync(host.Stopping);
        await using var console = await StartConsoleAsync(host, registry, bootstrap, demo: broker is not null).ConfigureAwait(false);
        var running = supervisor.RunAsync(host.Stopping);
        await Task.WhenAny(running, Task.Delay(Timeout.Infinite, host.Stopping)).ConfigureAwait(false);
        simulationStop.Cancel();
        await simulation.ConfigureAwait(false);
        simProducer?.Dispose();
        await running.ConfigureAwait(false);
        await sinkRun.ConfigureAwait(false);
        await kpis.ConfigureAwait(false);
        await printer.CompleteAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
        log.LogInformation("Stopped: {Scored} readings scored, {Warnings} warning events", pipelineMetrics.Scored.Value, printer.Printed);
        ThrowIfNeverAssigned(kafkaMetrics, bootstrap, options.Pipeline.GroupId);
        return 0;
    }

    /// <summary>The simulated park (its inspections, and its people answering warnings) publishing to <paramref name="bootstrap"/> until stopped.</summary>
    private static (Task Running, IProducer<byte[]?, byte[]> Producer, SimulatedResponders People) StartSimulation(ProcessHost host, ParkRegistry registry, Raman.Processing.Identifier identifier, string bootstrap, CancellationToken stop)
    {
        var options = host.Options;
        var simulator = new ParkSimulator(registry, options.Simulation, TimeProvider.System.GetUtcNow());
        var producer = new ProducerBuilder<byte[]?, byte[]>(options.Producer(bootstrap).ToConfig()).Build();
        var publisher = new SimulatorPublisher(simulator, producer, TimeProvider.System, host.LoggerFactory.CreateLogger("riskstream.simulator"))
        {
            Inspections = new InspectionSimulator(registry, identifier.References.ToList(), options.Simulation.Seed),
            InspectionEvery = options.Simulation.InspectionEvery,
        };
        var people = new SimulatedResponders(simulator, producer, TimeProvider.System, options.Simulation.ResponseDelay, options.Simulation.Seed, host.LoggerFactory.CreateLogger("riskstream.simulator.people"));
        var running = Task.WhenAll(Task.Run(() => publisher.RunAsync(stop), CancellationToken.None), Task.Run(() => people.RunAsync(stop), CancellationToken.None));
        return (running, producer, people);
    }

    /// <summary>
    /// The duty console beside the pipeline: with the users file if one is given, else (the embedded demo) with an
    /// operator account for every party and one password for the run, printed with the address. Null when off.
    /// </summary>
    private static async Task<ConsoleHandle?> StartConsoleAsync(ProcessHost host, ParkRegistry registry, string bootstrap, bool demo)
    {
        var options = host.Options;
        if (options.ConsolePort == 0 || (options.ConsoleUsers.Length == 0 && !demo))
        {
            return null;
        }

        var (users, password) = options.ConsoleUsers.Length > 0 ? (DutyConsole.UserStore.Load(options.ConsoleUsers), null) : ConsoleCommand.DemoUsers(registry);
        var server = ConsoleCommand.Start(host, registry, users, bootstrap, demo: password is not null, out var feeds);
        var handle = new ConsoleHandle(server, feeds);
        try
        {
            await server.StartAsync(host.Stopping).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The pipeline does not depend on it: a taken port costs the console, not the early warning.
            host.Log.LogWarning("Duty console not started on port {Port}: {Reason}", options.ConsolePort, e.Message);
            await handle.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        if (password is not null)
        {
            // Printed, not logged: demo accounts of this run only, on the embedded broker.
            await Console.Error.WriteLineAsync($"Duty console: {server.Address}  demo sign-in: ent-e04 (an enterprise), gov-310116 (its district), or any gov-<jurisdiction>/ent-<enterprise> of the registry; password {password}").ConfigureAwait(false);
        }
        else
        {
            host.Log.LogInformation("Duty console at {Address}", server.Address);
        }

        return handle;
    }

    private sealed class ConsoleHandle(DutyConsole.ConsoleServer server, ConsoleFeeds feeds) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync().ConfigureAwait(false);
            feeds.Dispose();
        }
    }

    /// <summary>A run whose group was never assigned a partition never reached its cluster: say so, and exit 4.</summary>
    private static void ThrowIfNeverAssigned(KafkaMetrics kafkaMetrics, string bootstrap, string group)
    {
        if (kafkaMetrics.Rebalances.WithLabels("assigned").Value == 0)
        {
            var errors = kafkaMetrics.ClientErrors.GetAllLabelValues().Select(l => $"{l[0]} {l[1]}").Distinct().ToList();
            throw new KafkaUnreachableException($"never reached the Kafka cluster at {bootstrap}: group {group} was never assigned a partition{(errors.Count > 0 ? "; client errors: " + string.Join(", ", errors) : "")}");
        }
    }
}
