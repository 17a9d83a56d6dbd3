using RiskStream.Kafka;

namespace RiskStream.Pipeline;

/// <summary>A running pipeline: its consumer control and the completion of its stream.</summary>
public sealed class RunningPipeline(IConsumerControl control, Task completion, TimeSpan drainTimeout)
{
    public IConsumerControl Control { get; } = control;

    /// <summary>Completes when the stream ends; faults if it failed.</summary>
    public Task Completion { get; } = completion;

    /// <summary>
    /// Returns once <paramref name="stop"/> is cancelled (the stream still running, for the caller to drain). If the
    /// stream ends first, its consumer is shut down and its failure thrown, for a supervisor to start it again.
    /// </summary>
    public async Task UntilStoppedAsync(CancellationToken stop)
    {
        await Task.WhenAny(Completion, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
        if (stop.IsCancellationRequested)
        {
            return;
        }

        await Control.ShutdownAsync().ConfigureAwait(false);
        throw Completion.Exception?.GetBaseException() ?? new InvalidOperationException("the pipeline's stream completed by itself");
    }

    /// <summary>Stops consuming, lets everything emitted finish and commits it, then leaves the group.</summary>
    public Task DrainAndShutdownAsync() => Control.DrainAndShutdownAsync(Completion, drainTimeout);
}
