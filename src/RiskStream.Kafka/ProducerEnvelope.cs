using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// Messages caused by one input, and the pass-through that flows on once the broker acknowledged all of them.
/// </summary>
public sealed class ProducerEnvelope<TPass>(IReadOnlyList<OutboundMessage> messages, TPass passThrough)
{
    internal int Remaining;

    public IReadOnlyList<OutboundMessage> Messages { get; } = messages;

    public TPass PassThrough { get; } = passThrough;
}
