using CsCheck;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Tests;

public sealed class SensorWindowTests
{
    private static readonly WindowOptions Options = new() { Length = TimeSpan.FromSeconds(60), Panes = 6, AllowedLateness = TimeSpan.FromSeconds(30) };
    private const long T0 = 1_795_000_000_000; // a multiple of the 10 s pane

    [Fact]
    public void Statistics_match_a_hand_computed_window()
    {
        var w = new SensorWindow(Options);
        // 0 s: 10, 5 s: 12, 15 s: 14, 30 s: 20  → mean 14, min 10, max 20
        w.Add(T0, 10, false);
        w.Add(T0 + 5_000, 12, false);
        w.Add(T0 + 15_000, 14, false);
        w.Add(T0 + 30_000, 20, true);
        var s = w.Stats();
        Assert.Equal(4, s.Count);
        Assert.Equal(14, s.Mean, 9);
        Assert.Equal(10, s.Min);
        Assert.Equal(20, s.Max);
        Assert.Equal(0.25, s.FractionAboveFirst, 9);

        // Least squares over (0,10) (5,12) (15,14) (30,20): Sxy = 170, Sxx = 525, slope = 170/525 per s.
        Assert.Equal(170.0 / 525.0 * 60, s.SlopePerMin, 6);
        var variance = ((16 + 4 + 0 + 36) / 4.0);
        Assert.Equal(Math.Sqrt(variance), s.StdDev, 9);
    }

    [Fact]
    public void Readings_older_than_the_window_slide_out()
    {
        var w = new SensorWindow(Options);
        w.Add(T0, 100, false);
        w.Add(T0 + 65_000, 1, false);
        var s = w.Stats();
        Assert.Equal(1, s.Count);
        Assert.Equal(1, s.Max);
    }

    [Fact]
    public void A_reading_within_allowed_lateness_enters_its_pane_and_a_later_one_does_not()
    {
        var w = new SensorWindow(Options);
        w.Add(T0 + 40_000, 5, false);
        Assert.True(w.Add(T0 + 20_000, 7, false));
        Assert.False(w.Add(T0 + 5_000, 9, false));
        var s = w.Stats();
        Assert.Equal(2, s.Count);
        Assert.Equal(6, s.Mean, 9);
        Assert.Equal(T0 + 40_000, w.NewestMs);
        Assert.Equal(5, w.LastValue);
    }

    [Fact]
    public void Window_statistics_equal_a_direct_computation_over_the_live_readings()
    {
        // Property: whatever the (in-order) timestamps, the pane sums give the same mean/min/max as a direct pass.
        Gen.Select(Gen.Int[0, 15_000].Array[1, 60], Gen.Double[-50, 50].Array[60]).Sample((gaps, values) =>
        {
            var w = new SensorWindow(Options);
            var readings = new List<(long Ts, double V)>();
            var ts = T0;
            for (var i = 0; i < gaps.Length; i++)
            {
                ts += gaps[i];
                Assert.True(w.Add(ts, values[i], false));
                readings.Add((ts, values[i]));
            }

            var newestPaneStart = ts - (ts % 10_000);
            var live = readings.Where(r => r.Ts - (r.Ts % 10_000) > ts - 60_000).ToList();
            var s = w.Stats();
            Assert.Equal(live.Count, s.Count);
            Assert.Equal(live.Average(r => r.V), s.Mean, 6);
            Assert.Equal(live.Min(r => r.V), s.Min);
            Assert.Equal(live.Max(r => r.V), s.Max);
            Assert.True(newestPaneStart <= ts);
        });
    }

    [Fact]
    public void Out_of_order_readings_and_long_gaps_give_the_statistics_of_the_live_readings()
    {
        // Property: readings up to 40 s back or 130 s ahead (late ones refused, whole windows skipped): the window's
        // count, mean, min, max, share above and slope equal a direct pass over the accepted readings still in it.
        Gen.Select(Gen.Int[-40_000, 130_000].Array[1, 80], Gen.Double[-50, 50].Array[80], Gen.Bool.Array[80]).Sample((steps, values, above) =>
        {
            var w = new SensorWindow(Options);
            var accepted = new List<(long Ts, double V, bool Above)>();
            var ts = T0 + 3_333;
            for (var i = 0; i < steps.Length; i++)
            {
                ts = Math.Max(T0, ts + steps[i]);
                if (w.Add(ts, values[i], above[i]))
                {
                    accepted.Add((ts, values[i], above[i]));
                }
            }

            var newest = w.NewestMs;
            var live = accepted.Where(r => r.Ts - (r.Ts % 10_000) > newest - 60_000).ToList();
            var s = w.Stats();
            Assert.Equal(live.Count, s.Count);
            if (live.Count == 0)
            {
                return;
            }

            Assert.Equal(live.Average(r => r.V), s.Mean, 6);
            Assert.Equal(live.Min(r => r.V), s.Min);
            Assert.Equal(live.Max(r => r.V), s.Max);
            Assert.Equal(live.Count(r => r.Above) / (double)live.Count, s.FractionAboveFirst, 9);
            var meanT = live.Average(r => r.Ts / 1000.0);
            var sxx = live.Sum(r => Math.Pow((r.Ts / 1000.0) - meanT, 2));
            var slope = live.Count >= 2 && sxx * live.Count > 1e-9 ? live.Sum(r => ((r.Ts / 1000.0) - meanT) * (r.V - s.Mean)) / sxx : 0;
            Assert.True(Math.Abs((slope * 60) - s.SlopePerMin) <= 1e-6 * Math.Max(1, Math.Abs(slope * 60)), $"slope {s.SlopePerMin}/min, directly {slope * 60}/min");
        });
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_option_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowOptions { Panes = 0 }.Validate());
        Assert.Equal("Panes", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowOptions { AllowedLateness = TimeSpan.FromMinutes(5) }.Validate());
    }
}
