using Microsoft.Extensions.Time.Testing;
using RiskStream.Core.Resilience;

namespace RiskStream.Core.Tests;

public sealed class RestartBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Healthy = TimeSpan.FromMinutes(1);

    [Fact]
    public void Quick_failures_double_the_wait_up_to_the_cap_with_jitter()
    {
        var time = new FakeTimeProvider();
        var backoff = new RestartBackoff(Min, Max, Healthy, time);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            backoff.Started();
            time.Advance(TimeSpan.FromSeconds(2));
            waits.Add(backoff.NextDelay());
        }

        // 1, 2, 4, 8, 16, then the 30 s cap, each within ±20 %.
        double[] expected = [1, 2, 4, 8, 16, 30, 30, 30];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.InRange(waits[i].TotalSeconds, Math.Min(expected[i] * 0.8, 30), Math.Min(expected[i] * 1.2, 30));
        }
    }

    [Fact]
    public void A_run_that_was_healthy_for_a_while_starts_the_back_off_over()
    {
        var time = new FakeTimeProvider();
        var backoff = new RestartBackoff(Min, Max, Healthy, time);
        for (var i = 0; i < 6; i++)
        {
            backoff.Started();
            backoff.NextDelay();
        }

        Assert.Equal(6, backoff.Failures);
        backoff.Started();
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.InRange(backoff.NextDelay().TotalSeconds, 0.8, 1.2);
        Assert.Equal(1, backoff.Failures);
    }

    [Fact]
    public async Task Retries_forever_on_the_time_provider_until_the_job_succeeds_and_stops_on_a_permanent_failure()
    {
        var time = new FakeTimeProvider();
        var backoff = new RestartBackoff(Min, Max, Healthy, time);
        var attempts = 0;
        var retried = new List<TimeSpan>();
        var pipeline = Retries.Forever(backoff, time, e => e is UnauthorizedAccessException, (_, delay) => retried.Add(delay));
        var run = pipeline.ExecuteAsync(_ => ++attempts < 4 ? throw new IOException("down") : ValueTask.CompletedTask, CancellationToken.None).AsTask();
        for (var step = 0; !run.IsCompleted; step++)
        {
            // The waits run on the fake clock: advance it until the job has had its four attempts.
            Assert.True(step < 10_000, $"still running after {step} simulated seconds ({attempts} attempts)");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        await run;
        Assert.Equal(4, attempts);
        Assert.Equal(3, retried.Count);

        var permanent = pipeline.ExecuteAsync(_ => throw new UnauthorizedAccessException("denied"), CancellationToken.None).AsTask();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => permanent);
    }
}
