using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline.Lanes;
using RiskStream.Pipeline.State;

namespace RiskStream.Pipeline;

/// <summary>
/// The scoring pipeline: committable source over <c>riskstream.readings</c> → split by site hash into lanes →
/// decode, validate, window, score, warn → produce scores, warnings and dead letters → commit once every output of
/// a batch is acknowledged. Wiring only: the work is in <see cref="SensorLane"/> and the Kafka stages.
/// </summary>
public static class RiskPipeline
{
    public static RunningPipeline Start(PipelineContext context, PipelineKafka kafka, IMaterializer materializer)
    {
        context.Options.Validate();
        var graph = Build(context, kafka, out _);
        var (control, completion) = graph.Run(materializer);
        return new RunningPipeline(control, completion, context.Options.DrainTimeout);
    }

    internal static IRunnableGraph<(IConsumerControl, Task<Done>)> Build(PipelineContext context, PipelineKafka kafka, out IReadOnlyList<SensorLane> lanes)
    {
        var options = context.Options;
        var log = context.LoggerFactory.CreateLogger("RiskStream.Kafka");
        var lanesContext = context.StateStore is null
            ? context with { StateStore = new KafkaWarningStateStore(kafka.Consumer.BootstrapServers, kafka.Consumer.Properties, log, options.StateRestoreTimeout) }
            : context;
        if (lanesContext.PublishedWarnings is null && options.StateAuditWindow > TimeSpan.Zero)
        {
            lanesContext = lanesContext with { PublishedWarnings = new KafkaPublishedWarnings(kafka.Consumer.BootstrapServers, kafka.Consumer.Properties, log, options.StateAuditWindow, options.StateRestoreTimeout, context.Time) };
        }
        var laneList = Enumerable.Range(0, options.Lanes).Select(i => new SensorLane(lanesContext, i, options.Lanes)).ToArray();
        lanes = laneList;
        var latency = kafka.Latency;
        var histogram = context.Metrics.Latency;
        if (context.Identifier is { } identifier)
        {
            context.Metrics.LibraryInfo.WithLabels(identifier.Version, identifier.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(1);
        }

        // The input partitions held now, for the ticks: a lane forgets the sites of partitions moved elsewhere.
        IReadOnlySet<int>? held = null;
        var source = KafkaSource.Committable(kafka.Consumer, SensorLane.TopicsOf(context), kafka.Metrics, log, context.Time, assigned =>
            Volatile.Write(ref held, assigned.Where(tp => tp.Topic == context.InputTopic).Select(tp => tp.Partition.Value).ToHashSet()));
        var produce = KafkaFlow.Produce<ConsumedBatch>(
            kafka.Producer,
            kafka.ProducerSettings.MaxInFlightEnvelopes,
            kafka.Metrics,
            ms =>
            {
                latency?.Record(ms);
                histogram.Observe(ms / 1000.0);
            },
            context.Time);

        return source
            .SelectMany(batch => Split(batch, laneList.Length))
            .Via(Lanes(laneList, options.TickInterval, () => Volatile.Read(ref held)))
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

    private static Flow<LaneWork, ProducerEnvelope<ConsumedBatch>, NotUsed> Lanes(SensorLane[] lanes, TimeSpan tick, Func<IReadOnlySet<int>?> held)
    {
        if (lanes.Length == 1)
        {
            return Lane(lanes[0], 0, tick, held);
        }

        return Flow.FromGraph(GraphDsl.Create(b =>
        {
            var partition = b.Add(new Partition<LaneWork>(lanes.Length, w => w.Lane));
            var merge = b.Add(new Merge<ProducerEnvelope<ConsumedBatch>>(lanes.Length));
            for (var i = 0; i < lanes.Length; i++)
            {
                b.From(partition.Out(i)).Via(Lane(lanes[i], i, tick, held)).To(merge.In(i));
            }

            return new FlowShape<LaneWork, ProducerEnvelope<ConsumedBatch>>(partition.In, merge.Out);
        }));
    }

    /// <summary>
    /// One lane in its own actor, its work interleaved with the clock's ticks (processing time reaches every lane
    /// even when no message does). A tick is dropped when the lane is busy, never queued; the lane completes with
    /// its messages, whatever the ticks do.
    /// </summary>
    private static Flow<LaneWork, ProducerEnvelope<ConsumedBatch>, NotUsed> Lane(SensorLane lane, int index, TimeSpan tick, Func<IReadOnlySet<int>?> held)
    {
        var work = Flow.Create<LaneWork>();
        if (tick > TimeSpan.Zero)
        {
            work = work.Merge<LaneWork, LaneWork, LaneWork, NotUsed>(Source.Tick(tick, tick, NotUsed.Instance).Select(_ => LaneWork.Tick(index, held())).MapMaterializedValue(_ => NotUsed.Instance), eagerComplete: true);
        }

        return work.Select(lane.Process).Async();
    }
}
