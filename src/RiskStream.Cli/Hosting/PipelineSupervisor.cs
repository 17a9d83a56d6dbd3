using Akka.Streams;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Cli.Hosting;

/// <summary>The pipeline of <c>riskstream run</c> under a <see cref="Supervisor"/>: drained on stop, started again after a failure.</summary>
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
    private readonly Supervisor _supervisor = new("Pipeline", options.Pipeline.RestartMinBackoff, options.Pipeline.RestartMaxBackoff, TimeProvider.System, loggers.CreateLogger("riskstream.pipeline"));

    /// <summary>The Raman library search; spectra are identified when set.</summary>
    public Raman.Processing.Identifier? Identifier { get; init; }

    /// <summary>The risk model every lane scores with.</summary>
    public Sensors.Scoring.IRiskModel Model { get; init; } = new Sensors.Scoring.SetpointBaselineModel();

    public bool Healthy => _supervisor.Running;

    public async Task RunAsync(CancellationToken stop)
    {
        var system = ProcessHost.CreateActorSystem("riskstream");
        try
        {
            var materializer = system.Materializer();
            await _supervisor.RunAsync(ct => RunOnceAsync(materializer, ct), stop).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private async Task RunOnceAsync(IMaterializer materializer, CancellationToken stop)
    {
        var throttle = new LogThrottle(TimeProvider.System, TimeSpan.FromSeconds(30));
        using var producer = new ProducerBuilder<byte[]?, byte[]>(options.Producer(bootstrap).ToConfig())
            .SetErrorHandler((_, e) =>
            {
                kafkaMetrics.ClientErrors.WithLabels("producer", e.Code.ToString()).Inc();
                if (throttle.ShouldLog(e.Code.ToString(), out var held))
                {
                    _log.LogWarning("Kafka producer error {Code}: {Reason}{Held}", e.Code, e.Reason, LogThrottle.Held(held));
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
        _log.LogInformation("Pipeline started: group {Group}, {Lanes} lanes", options.Pipeline.GroupId, options.Pipeline.Lanes);
        await running.UntilStoppedAsync(stop).ConfigureAwait(false);
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
    }
}
