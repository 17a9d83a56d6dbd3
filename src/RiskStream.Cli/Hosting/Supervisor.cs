using Microsoft.Extensions.Logging;
using RiskStream.Core.Resilience;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// Runs a job (the pipeline of <c>run</c>, the InfluxDB sink) until stopped, starting it again after a failure with
/// exponential back-off and jitter that starts over after <see cref="HealthyAfter"/> of healthy running. One job run
/// returns normally only when stopped (having drained); it throws when it failed. A
/// <see cref="Kafka.PermanentKafkaException"/> is not retried: it ends <see cref="RunAsync"/>.
/// </summary>
internal sealed class Supervisor(string job, TimeSpan minBackoff, TimeSpan maxBackoff, TimeProvider time, ILogger log)
{
    /// <summary>A run that lasted this long was healthy: the next back-off starts from the minimum again.</summary>
    public static readonly TimeSpan HealthyAfter = TimeSpan.FromMinutes(1);

    private volatile bool _running;

    /// <summary>The job is running (not waiting to start again).</summary>
    public bool Running => _running;

    /// <summary>Restarts so far.</summary>
    public int Restarts { get; private set; }

    public async Task RunAsync(Func<CancellationToken, Task> runOnce, CancellationToken stop)
    {
        var backoff = new RestartBackoff(minBackoff, maxBackoff, HealthyAfter, time);
        // A permanent Kafka error (refused credentials or permissions, a message the broker will never take) would fail
        // the same way after every restart: it ends the run instead.
        var pipeline = Retries.Forever(backoff, time, e => e is Kafka.PermanentKafkaException, (e, delay) =>
        {
            Restarts++;
            log.LogError(e, "{Job} stopped unexpectedly; restarting in {Delay:F1} s (failure {Failures} in a row)", job, delay.TotalSeconds, backoff.Failures);
        });
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    backoff.Started();
                    _running = true;
                    try
                    {
                        await runOnce(ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        _running = false;
                    }
                },
                stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting to start again.
        }
    }
}
