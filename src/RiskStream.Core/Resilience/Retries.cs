using Polly;
using Polly.Retry;

namespace RiskStream.Core.Resilience;

/// <summary>The project's one way to retry: Polly resilience pipelines on the caller's <see cref="TimeProvider"/>.</summary>
public static class Retries
{
    /// <summary>
    /// Runs a callback until it returns or its token is cancelled: each failure that <paramref name="isPermanent"/>
    /// does not call permanent is followed by <paramref name="onRetry"/> and a wait of <see cref="RestartBackoff.NextDelay"/>,
    /// then the callback runs again. A permanent failure, or cancellation, ends it with that exception.
    /// </summary>
    public static ResiliencePipeline Forever(RestartBackoff backoff, TimeProvider time, Func<Exception, bool> isPermanent, Action<Exception, TimeSpan> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && e is not OperationCanceledException && !isPermanent(e)),
                DelayGenerator = _ => ValueTask.FromResult<TimeSpan?>(backoff.NextDelay()),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.RetryDelay);
                    return default;
                },
            })
            .Build();
}
