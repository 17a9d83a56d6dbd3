using Confluent.Kafka;
using RiskStream.Kafka;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Handles the messages of one kind of input topic in a lane: decodes each, refuses it with a dead letter or turns
/// it into outputs and into input for the scenario engine.
/// </summary>
/// <remarks>
/// A handler may throw for a message it cannot process: the lane then drops that message's outputs, puts the
/// engine back as it was before it, and dead-letters it as a processing error. It sets <see cref="LaneStep.Stage"/>
/// as it goes so the failure names its stage.
/// </remarks>
internal interface IInputHandler
{
    /// <summary>Handles one message of <paramref name="topic"/> (never a tombstone) whose value is <paramref name="value"/>; appends its outputs.</summary>
    void Handle(string topic, ConsumeResult<byte[]?, byte[]?> message, byte[] value, List<OutboundMessage> outputs);

    /// <summary>The message last handled was delivered whole: count it.</summary>
    void Commit();

    /// <summary>The message last handled failed after all and was dead-lettered: forget it.</summary>
    void Discard();

    /// <summary>Called after the messages of one batch (per-batch counters).</summary>
    void EndBatch();
}
