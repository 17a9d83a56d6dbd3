namespace RiskStream.Core.Resilience;

/// <summary>
/// Exponential back-off with ±20 % jitter between restarts of something that runs until stopped (a pipeline, a
/// consumer, a sink), that starts over from <c>min</c> once it has run healthily for <c>healthyAfter</c>: an
/// instance that failed an hour ago and again now waits one second, not the cap.
/// </summary>
/// <remarks>Not thread-safe: one per supervised thing.</remarks>
public sealed class RestartBackoff(TimeSpan min, TimeSpan max, TimeSpan healthyAfter, TimeProvider time)
{
    private long _startedAt = time.GetTimestamp();

    /// <summary>Failures since the last healthy run.</summary>
    public int Failures { get; private set; }

    /// <summary>The supervised thing (re)started now.</summary>
    public void Started() => _startedAt = time.GetTimestamp();

    /// <summary>It failed: how long to wait before the next start.</summary>
    public TimeSpan NextDelay()
    {
        if (time.GetElapsedTime(_startedAt) >= healthyAfter)
        {
            Failures = 0;
        }

        Failures++;
        var ms = Math.Min(min.TotalMilliseconds * Math.Pow(2, Math.Min(Failures - 1, 40)), max.TotalMilliseconds);
        ms *= 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Clamp(ms, 0, max.TotalMilliseconds));
    }
}
