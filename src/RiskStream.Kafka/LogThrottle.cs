using System.Collections.Concurrent;

namespace RiskStream.Kafka;

/// <summary>
/// Lets a repeating message through once per interval per key, and says how many were held back: a broker that is
/// down must not turn the log into a flood, and the metric still counts every occurrence.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, (long LastTimestamp, int Suppressed)> _seen = new();

    /// <summary>What a logged line adds for the <paramref name="suppressed"/> held back since the last one ("" for none).</summary>
    public static string Held(int suppressed) => suppressed > 0 ? $" ({suppressed} more since the last report)" : "";

    /// <summary>True when the message should be logged now; <paramref name="suppressed"/> is how many were held since.</summary>
    public bool ShouldLog(string key, out int suppressed)
    {
        var now = time.GetTimestamp();
        var logged = false;
        var held = 0;
        _seen.AddOrUpdate(
            key,
            _ =>
            {
                logged = true;
                return (now, 0);
            },
            (_, entry) =>
            {
                if (time.GetElapsedTime(entry.LastTimestamp, now) >= interval)
                {
                    logged = true;
                    held = entry.Suppressed;
                    return (now, 0);
                }

                logged = false;
                return (entry.LastTimestamp, entry.Suppressed + 1);
            });
        suppressed = held;
        return logged;
    }
}
