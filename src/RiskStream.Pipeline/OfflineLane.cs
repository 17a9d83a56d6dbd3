using System.Text;
using Confluent.Kafka;
using RiskStream.Kafka;
using RiskStream.Pipeline.Lanes;

namespace RiskStream.Pipeline;

/// <summary>
/// One lane of the pipeline without Kafka: messages go in as they would arrive on a topic, the outputs come back as
/// the lane would produce them; time is the context's (a test's or a fast-forward's clock). For simulating history
/// faster than real time and for tests; the running pipeline never uses it.
/// </summary>
/// <remarks>Not thread-safe, as a lane.</remarks>
public sealed class OfflineLane(PipelineContext context)
{
    private readonly SensorLane _lane = new(context);
    private long _offset;

    /// <summary>Processes messages of one topic (in one batch, partition 0) and returns every output message.</summary>
    public IReadOnlyList<OutboundMessage> Process(string topic, IReadOnlyList<(string Key, byte[] Value)> messages)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var now = new Timestamp(context.Time.GetUtcNow());
        var results = new ConsumeResult<byte[]?, byte[]?>[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            results[i] = new ConsumeResult<byte[]?, byte[]?>
            {
                TopicPartitionOffset = new TopicPartitionOffset(topic, 0, _offset++),
                Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(messages[i].Key), Value = messages[i].Value, Timestamp = now },
            };
        }

        return _lane.Process(new LaneWork(ConsumedBatch.Detached(topic, 0, results), 0, results)).Messages;
    }

    /// <summary>Processing time passes with no message (the lane's tick: silent sites, deadlines).</summary>
    public IReadOnlyList<OutboundMessage> Tick() => _lane.Process(LaneWork.Tick(0, null)).Messages;
}
