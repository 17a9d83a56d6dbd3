using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>Materialised value of a committable source: stops it without losing a commit.</summary>
public interface IConsumerControl
{
    /// <summary>Stops emitting and completes the source; the consumer stays in the group until shut down.</summary>
    void Stop();

    /// <summary>Stops, commits what has completed and leaves the group.</summary>
    Task ShutdownAsync();

    /// <summary>
    /// Stops emitting, waits for <paramref name="streamCompletion"/> (every emitted batch finished downstream), then
    /// commits everything that completed and leaves the group: nothing finished is reprocessed after a restart.
    /// </summary>
    Task DrainAndShutdownAsync(Task streamCompletion, TimeSpan timeout);

    /// <summary>Completes when the consumer has closed.</summary>
    Task Completion { get; }

    /// <summary>Partitions currently assigned to this consumer.</summary>
    IReadOnlyCollection<TopicPartition> Assignment { get; }

    /// <summary>The last offset this consumer committed, per partition (including partitions since revoked).</summary>
    IReadOnlyDictionary<TopicPartition, long> CommittedOffsets { get; }
}
