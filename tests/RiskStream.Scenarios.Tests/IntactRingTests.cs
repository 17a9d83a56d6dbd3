using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Tests;

/// <summary>The intact rate as the engine keeps it: hand-worked shares, slow and jittery sensors not taken for faulty.</summary>
public sealed class IntactRingTests
{
    private const long T0 = 1_795_000_200_000; // on a five-minute boundary

    private static double After(TimeSpan period, int readings, Func<int, long> at, Func<int, bool> intact)
    {
        var ring = default(IntactRing);
        for (var i = 0; i < readings; i++)
        {
            ring = ring.Next(at(i), intact(i), period);
        }

        return ring.Rate(period);
    }

    [Fact]
    public void A_sensor_every_second_with_half_its_readings_flagged_is_half_intact()
    {
        Assert.Equal(0.5, After(TimeSpan.FromSeconds(1), 3_700, i => T0 + (i * 1_000L), i => i % 2 == 0), 2);
    }

    [Fact]
    public void A_sensor_every_ten_minutes_that_never_misses_is_intact()
    {
        Assert.Equal(1, After(TimeSpan.FromMinutes(10), 20, i => T0 + (i * 600_000L), _ => true));
    }

    [Fact]
    public void A_sensor_every_five_minutes_with_jitter_is_intact()
    {
        // Each reading up to 40 s late or early: two may share a bucket and leave the next empty.
        var jitter = new[] { 0, 35_000, -30_000, 40_000, -40_000, 10_000 };
        Assert.True(After(TimeSpan.FromMinutes(5), 30, i => T0 + (i * 300_000L) + 60_000 + jitter[i % jitter.Length], _ => true) >= 0.99);
    }

    [Fact]
    public void Before_an_hour_of_whole_buckets_nothing_is_judged_and_a_first_bucket_entered_late_is_not_counted()
    {
        // Readings every minute from 3 minutes into a bucket, all flagged: 1 until twelve whole buckets have closed.
        Assert.Equal(1, After(TimeSpan.FromMinutes(1), 62, i => T0 + 180_000 + (i * 60_000L), _ => false));
        Assert.Equal(0, After(TimeSpan.FromMinutes(1), 64, i => T0 + 180_000 + (i * 60_000L), _ => false));
    }
}
