using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RiskStream.Kafka;

/// <summary>Sinks that complete consumed batches so their offsets get committed.</summary>
public static class Committer
{
    /// <summary>Releases each batch that reaches it; the source commits released batches on its interval.</summary>
    public static Sink<ConsumedBatch, Task<Akka.Done>> Sink() =>
        Akka.Streams.Dsl.Sink.ForEach<ConsumedBatch>(b => b.Release());
}
