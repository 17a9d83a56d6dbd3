using Confluent.Kafka;
using RiskStream.Kafka;
using RiskStream.Pipeline.Lanes;

namespace RiskStream.Pipeline;

/// <summary>
/// Feeds messages straight into the lanes of a pipeline, without Kafka, and discards what they produce: for
/// measurements of the lanes alone (the memory per sensor of <c>riskstream bench</c>) and for replays.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
public sealed class LaneDriver
{
    private readonly SensorLane[] _lanes;
    private readonly string _topic;
    private long _offset;

    public LaneDriver(PipelineContext context)
    {
        _topic = context.InputTopic;
        _lanes = Enumerable.Range(0, context.Options.Lanes).Select(i => new SensorLane(context, i, context.Options.Lanes)).ToArray();
    }

    /// <summary>Sensors with window state in all lanes.</summary>
    public int ActiveSensors => _lanes.Sum(l => l.ActiveSensors);

    /// <summary>Feeds the messages, each to the lane of its key, in batches as the consumer would cut them.</summary>
    public void Feed(IEnumerable<(byte[] Key, byte[] Value)> messages, DateTimeOffset appended, int batchSize = 1024)
    {
        var perLane = _lanes.Select(_ => new List<ConsumeResult<byte[]?, byte[]?>>()).ToArray();
        foreach (var (key, value) in messages)
        {
            perLane[RiskPipeline.LaneOf(key, _lanes.Length)].Add(new ConsumeResult<byte[]?, byte[]?>
            {
                TopicPartitionOffset = new TopicPartitionOffset(_topic, 0, _offset++),
                Message = new Message<byte[]?, byte[]?> { Key = key, Value = value, Timestamp = new Timestamp(appended) },
            });
        }

        for (var l = 0; l < _lanes.Length; l++)
        {
            foreach (var chunk in perLane[l].Chunk(batchSize))
            {
                _ = _lanes[l].Process(new LaneWork(ConsumedBatch.Detached(_topic, 0, chunk), l, chunk));
            }
        }
    }
}
