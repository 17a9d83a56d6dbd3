using Confluent.Kafka;
using RiskStream.Kafka;

namespace RiskStream.Pipeline.Lanes;

/// <summary>The messages of one consumed batch that fall to one lane.</summary>
internal sealed class LaneWork(ConsumedBatch batch, int lane, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages)
{
    public ConsumedBatch Batch { get; } = batch;

    public int Lane { get; } = lane;

    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Messages { get; } = messages;
}
