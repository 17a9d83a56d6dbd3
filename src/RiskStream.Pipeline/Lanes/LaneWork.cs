using Confluent.Kafka;
using RiskStream.Kafka;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// What one lane is given to do: the messages of one consumed batch that fall to it, or the clock's tick (processing
/// time passing with or without messages), with the partitions this instance holds at that moment.
/// </summary>
internal sealed class LaneWork
{
    public LaneWork(ConsumedBatch batch, int lane, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages)
    {
        Batch = batch;
        Lane = lane;
        Messages = messages;
    }

    private LaneWork(int lane, IReadOnlySet<int>? assigned)
    {
        Lane = lane;
        Messages = [];
        Assigned = assigned;
    }

    /// <summary>The batch the messages came in; null for a tick.</summary>
    public ConsumedBatch? Batch { get; }

    public int Lane { get; }

    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Messages { get; }

    /// <summary>For a tick: the input partitions this instance holds now (null when not known); sites of others are forgotten.</summary>
    public IReadOnlySet<int>? Assigned { get; }

    public bool IsTick => Batch is null;

    public static LaneWork Tick(int lane, IReadOnlySet<int>? assigned) => new(lane, assigned);
}
