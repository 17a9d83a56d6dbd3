using RiskStream.Kafka;

namespace RiskStream.Pipeline;

/// <summary>A running pipeline: its consumer control and the completion of its stream.</summary>
public sealed class RunningPipeline(IConsumerControl control, Task completion, TimeSpan drainTimeout)
{
    public IConsumerControl Control { get; } = control;

    /// <summary>Completes when the stream ends; faults if it failed.</summary>
    public Task Completion { get; } = completion;

    /// <summary>Stops consuming, lets everything emitted finish and commits it, then leaves the group.</summary>
    public Task DrainAndShutdownAsync() => Control.DrainAndShutdownAsync(Completion, drainTimeout);
}
