using Confluent.Kafka;
using RiskStream.Codecs;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;

namespace RiskStream.Pipeline.Lanes;

/// <summary>A lane's dead letters: refused inputs and inputs whose processing failed, each written bounded and counted.</summary>
internal sealed class DeadLetters(DeadLetterWriter writer, PipelineMetrics metrics)
{
    /// <summary>An input refused for its content (a reason of the dead-letter contract).</summary>
    public OutboundMessage Refused(string topic, ConsumeResult<byte[]?, byte[]?> m, DeadLetterReason reason, string detail)
    {
        metrics.DeadLetter(reason);
        return Of(m, writer.Write(reason, detail, topic, m.Partition.Value, m.Offset.Value, m.Message.Key, m.Message.Value));
    }

    /// <summary>An input whose processing threw: that input's failure alone.</summary>
    public OutboundMessage Failed(string topic, ConsumeResult<byte[]?, byte[]?> m, ProcessingStage stage, Exception error)
    {
        var stageName = stage.Wire();
        metrics.DeadLetter(DeadLetterReason.ProcessingError);
        metrics.ProcessingErrors.WithLabels(topic, stageName).Inc();
        var bytes = writer.Write(DeadLetterReason.ProcessingError, DeadLetterWriter.ProcessingDetail(stageName, error), topic, m.Partition.Value, m.Offset.Value, m.Message.Key, m.Message.Value, stageName, error);
        return Of(m, bytes);
    }

    private static OutboundMessage Of(ConsumeResult<byte[]?, byte[]?> m, byte[] letter) =>
        new(Topics.DeadLetter, m.Message.Key, letter, m.Message.Timestamp.UnixTimestampMs);
}
