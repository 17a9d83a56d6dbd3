using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>A Kafka error that restarting cannot cure (<see cref="KafkaErrors.IsPermanent"/>): the process stops with it.</summary>
public sealed class PermanentKafkaException(Error error, string where) : KafkaException(error)
{
    /// <summary>What the client was doing: producing to a topic, consuming a group's topics.</summary>
    public string Where { get; } = where;

    public override string Message => $"{Where}: {Error.Code} ({Error.Reason}); {KafkaErrors.Advice(Error)}";
}
