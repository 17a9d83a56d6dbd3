using System.Globalization;

namespace RiskStream.Influx;

/// <summary>
/// Whether InfluxDB is taking the sink's writes: since when they fail, and why. Readiness fails while they have
/// failed for longer than <see cref="Grace"/>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InfluxSinkStatus
{
    private readonly object _gate = new();
    private long? _failingSince;
    private string? _reason;

    /// <summary>How long writes may fail (a restart of InfluxDB, a retry) before the sink is not ready.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);

    public void Succeeded()
    {
        lock (_gate)
        {
            _failingSince = null;
            _reason = null;
        }
    }

    public void Failed(string reason, TimeProvider time)
    {
        lock (_gate)
        {
            _failingSince ??= time.GetTimestamp();
            _reason = reason;
        }
    }

    /// <summary>The problem readiness reports, or null.</summary>
    public string? Problem(TimeProvider time)
    {
        lock (_gate)
        {
            if (_failingSince is not { } since || time.GetElapsedTime(since) < Grace)
            {
                return null;
            }

            return string.Create(CultureInfo.InvariantCulture, $"InfluxDB writes have failed for {time.GetElapsedTime(since).TotalSeconds:F0} s: {_reason}");
        }
    }
}
