using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Sensors.Scoring;

namespace RiskStream.Pipeline;

/// <summary>Everything the pipeline graph is wired from.</summary>
public sealed record PipelineContext
{
    public required ParkRegistry Registry { get; init; }

    public required PipelineOptions Options { get; init; }

    public required ConsumerSettings Consumer { get; init; }

    public required IProducer<byte[]?, byte[]> Producer { get; init; }

    public required ProducerSettings ProducerSettings { get; init; }

    /// <summary>Topic the readings come from.</summary>
    public string InputTopic { get; init; } = Topics.Readings;

    /// <summary>The scenario definitions the engine runs.</summary>
    public required Scenarios.Definitions.ScenarioSet Scenarios { get; init; }

    /// <summary>Maintenance windows.</summary>
    public Scenarios.Engine.SilenceBook Silences { get; init; } = new([]);

    /// <summary>
    /// Acknowledgement topics consumed beside the readings, with the party each proves (<see cref="Topics.AckTopics"/>);
    /// none by default.
    /// </summary>
    public IReadOnlyDictionary<string, Party> AckTopics { get; init; } = new Dictionary<string, Party>();

    /// <summary>Where warning state is restored from; by default the state topic on the same cluster.</summary>
    public IWarningStateStore? StateStore { get; init; }

    public IRiskModel Model { get; init; } = new SetpointBaselineModel();

    /// <summary>The Raman library search; when set, <see cref="SpectraTopic"/> is consumed and identified.</summary>
    public Raman.Processing.Identifier? Identifier { get; init; }

    public string SpectraTopic { get; init; } = Topics.Spectra;

    public PipelineMetrics Metrics { get; init; } = PipelineMetrics.Unregistered();

    public KafkaMetrics KafkaMetrics { get; init; } = KafkaMetrics.Unregistered();

    public ILoggerFactory LoggerFactory { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called from a lane with each warning event (before its delivery is acknowledged); must not block.</summary>
    public Action<WarningEvent>? OnWarning { get; init; }

    /// <summary>Receives each output's latency (input append → broker acknowledgement) in ms, if set.</summary>
    public LatencyRecorder? Latency { get; init; }
}

/// <summary>A running pipeline: its consumer control and the completion of its stream.</summary>
public sealed class RunningPipeline(IConsumerControl control, Task completion, TimeSpan drainTimeout)
{
    public IConsumerControl Control { get; } = control;

    /// <summary>Completes when the stream ends; faults if it failed.</summary>
    public Task Completion { get; } = completion;

    /// <summary>Stops consuming, lets everything emitted finish and commits it, then leaves the group.</summary>
    public Task DrainAndShutdownAsync() => Control.DrainAndShutdownAsync(Completion, drainTimeout);
}

/// <summary>
/// The scoring pipeline: committable source over <c>riskstream.readings</c> → split by site hash into lanes →
/// decode, validate, window, score, warn → produce scores, warnings and dead letters → commit once every output of
/// a batch is acknowledged. Wiring only: the work is in <see cref="SensorLane"/> and the Kafka stages.
/// </summary>
public static class RiskPipeline
{
    public static RunningPipeline Start(PipelineContext context, IMaterializer materializer)
    {
        context.Options.Validate();
        var graph = Build(context, out _);
        var (control, completion) = graph.Run(materializer);
        return new RunningPipeline(control, completion, context.Options.DrainTimeout);
    }

    internal static IRunnableGraph<(IConsumerControl, Task<Done>)> Build(PipelineContext context, out IReadOnlyList<SensorLane> lanes)
    {
        var options = context.Options;
        var log = context.LoggerFactory.CreateLogger("RiskStream.Kafka");
        var store = context.StateStore ?? new KafkaWarningStateStore(context.Consumer.BootstrapServers, context.Consumer.Properties, log, options.StateRestoreTimeout);
        var laneList = Enumerable.Range(0, options.Lanes)
            .Select(i => new SensorLane(new LaneContext
            {
                Registry = context.Registry,
                Options = options,
                Scenarios = context.Scenarios,
                Silences = context.Silences,
                Model = context.Model,
                Metrics = context.Metrics,
                Time = context.Time,
                OnWarning = context.OnWarning,
                StateStore = store,
                ReadingsTopic = context.InputTopic,
                AckTopics = context.AckTopics,
                Identifier = context.Identifier,
                SpectraTopic = context.SpectraTopic,
                Lanes = options.Lanes,
                LaneIndex = i,
            }))
            .ToArray();
        lanes = laneList;
        var latency = context.Latency;
        var histogram = context.Metrics.Latency;
        if (context.Identifier is { } identifier)
        {
            context.Metrics.LibraryInfo.WithLabels(identifier.Version, identifier.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(1);
        }

        string[] spectra = context.Identifier is null ? [] : [context.SpectraTopic];
        var source = KafkaSource.Committable(context.Consumer, [context.InputTopic, .. spectra, .. context.AckTopics.Keys.Order(StringComparer.Ordinal)], context.KafkaMetrics, log, context.Time);
        var produce = KafkaFlow.Produce<ConsumedBatch>(
            context.Producer,
            context.ProducerSettings.MaxInFlightEnvelopes,
            context.KafkaMetrics,
            ms =>
            {
                latency?.Record(ms);
                histogram.Observe(ms / 1000.0);
            },
            context.Time);

        return source
            .SelectMany(batch => Split(batch, laneList.Length))
            .Via(Lanes(laneList))
            .Via(produce)
            .ToMaterialized(Committer.Sink(), Keep.Both);
    }

    /// <summary>Cuts a batch into the parts that fall to each lane (by a stable hash of the key, the site id).</summary>
    internal static IEnumerable<LaneWork> Split(ConsumedBatch batch, int lanes)
    {
        if (lanes == 1)
        {
            return [new LaneWork(batch, 0, batch.Messages)];
        }

        var parts = new List<ConsumeResult<byte[]?, byte[]?>>?[lanes];
        foreach (var m in batch.Messages)
        {
            var lane = LaneOf(m.Message.Key, lanes);
            (parts[lane] ??= new List<ConsumeResult<byte[]?, byte[]?>>(batch.Messages.Count)).Add(m);
        }

        var work = new List<LaneWork>(lanes);
        for (var i = 0; i < lanes; i++)
        {
            if (parts[i] is { } list)
            {
                work.Add(new LaneWork(batch, i, list));
            }
        }

        // The batch is created with one holder; each further lane part holds it too.
        batch.Retain(work.Count - 1);
        return work;
    }

    /// <summary>FNV-1a of the key: stable across processes and restarts.</summary>
    internal static int LaneOf(byte[]? key, int lanes)
    {
        if (key is null || lanes == 1)
        {
            return 0;
        }

        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)lanes);
    }

    private static Flow<LaneWork, ProducerEnvelope<ConsumedBatch>, NotUsed> Lanes(SensorLane[] lanes)
    {
        if (lanes.Length == 1)
        {
            return Flow.Create<LaneWork>().Select(lanes[0].Process).Async();
        }

        return Flow.FromGraph(GraphDsl.Create(b =>
        {
            var partition = b.Add(new Partition<LaneWork>(lanes.Length, w => w.Lane));
            var merge = b.Add(new Merge<ProducerEnvelope<ConsumedBatch>>(lanes.Length));
            for (var i = 0; i < lanes.Length; i++)
            {
                var lane = lanes[i];
                b.From(partition.Out(i)).Via(Flow.Create<LaneWork>().Select(lane.Process).Async()).To(merge.In(i));
            }

            return new FlowShape<LaneWork, ProducerEnvelope<ConsumedBatch>>(partition.In, merge.Out);
        }));
    }
}
