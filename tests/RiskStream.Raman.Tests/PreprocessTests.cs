using RiskStream.Raman.Processing;

namespace RiskStream.Raman.Tests;

/// <summary>Each preprocessing step against a known answer.</summary>
public sealed class PreprocessTests
{
    private static readonly double[] Axis = Enumerable.Range(0, 1001).Select(i => 200.0 + (i * 2.0)).ToArray();

    private static double Lorentz(double x, double centre, double width, double height) =>
        height / (1 + Math.Pow((x - centre) / (width / 2), 2));

    /// <summary>Three Raman bands.</summary>
    private static double[] Bands() => Axis.Select(x => Lorentz(x, 1000, 10, 100) + Lorentz(x, 1600, 14, 60) + Lorentz(x, 2900, 20, 80)).ToArray();

    /// <summary>A broad fluorescence background, several times taller than the bands.</summary>
    private static double[] Fluorescence() => Axis.Select(x => 300 + (200 * Math.Exp(-Math.Pow((x - 1200) / 900, 2))) + (0.05 * (x - 200))).ToArray();

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(375)]
    [InlineData(1001)]
    public void Asymmetric_least_squares_equals_the_row_by_row_textbook_form_bit_for_bit(int n)
    {
        // The fitted baseline runs its interior rows in a loop of their own (for speed); every row's arithmetic must
        // stay the textbook form's, so the result is the same to the last bit on any input.
        var random = new Random(n);
        for (var trial = 0; trial < 5; trial++)
        {
            var y = Enumerable.Range(0, n).Select(i => (100 * Math.Sin(i / 7.0)) + (random.NextDouble() * 30) - (trial == 4 ? 1e6 : 0)).ToArray();
            foreach (var (lambda, p, iterations) in new[] { (1e5, 0.001, 10), (1e2, 0.05, 3), (1e9, 0.5, 15) })
            {
                Assert.Equal(Textbook(y, lambda, p, iterations), Preprocess.AlsBaseline(y, lambda, p, iterations));
            }
        }
    }

    /// <summary>Asymmetric least squares as first written: one loop over all rows with the end rows' cases inside.</summary>
    private static double[] Textbook(double[] y, double lambda, double p, int iterations)
    {
        var n = y.Length;
        var w = Enumerable.Repeat(1.0, n).ToArray();
        var z = new double[n];
        var l0 = new double[n];
        var l1 = new double[n];
        var l2 = new double[n];
        var rhs = new double[n];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            for (var i = 0; i < n; i++)
            {
                var main = i == 0 || i == n - 1 ? 1.0 : i == 1 || i == n - 2 ? 5.0 : 6.0;
                var a0 = w[i] + (lambda * main);
                var a1 = i >= 1 ? lambda * (i == 1 || i == n - 1 ? -2.0 : -4.0) : 0;
                var a2 = i >= 2 ? lambda : 0;
                var s2 = i >= 2 ? a2 / l0[i - 2] : 0;
                var s1 = i >= 1 ? (a1 - (i >= 2 ? s2 * l1[i - 1] : 0)) / l0[i - 1] : 0;
                var d = a0 - (s1 * s1) - (s2 * s2);
                l2[i] = s2;
                l1[i] = s1;
                l0[i] = Math.Sqrt(Math.Max(d, 1e-300));
                rhs[i] = w[i] * y[i];
            }

            for (var i = 0; i < n; i++)
            {
                var v = rhs[i] - (i >= 1 ? l1[i] * rhs[i - 1] : 0) - (i >= 2 ? l2[i] * rhs[i - 2] : 0);
                rhs[i] = v / l0[i];
            }

            for (var i = n - 1; i >= 0; i--)
            {
                var v = rhs[i] - (i + 1 < n ? l1[i + 1] * z[i + 1] : 0) - (i + 2 < n ? l2[i + 2] * z[i + 2] : 0);
                z[i] = v / l0[i];
            }

            var changed = false;
            for (var i = 0; i < n; i++)
            {
                var weight = y[i] > z[i] ? p : 1 - p;
                changed |= weight != w[i];
                w[i] = weight;
            }

            if (!changed)
            {
                break;
            }
        }

        return z;
    }

    [Fact]
    public void Asymmetric_least_squares_removes_a_fluorescence_baseline_and_keeps_the_bands()
    {
        var bands = Bands();
        var background = Fluorescence();
        var raw = bands.Zip(background, (b, f) => b + f).ToArray();
        var baseline = Preprocess.AlsBaseline(raw, lambda: 1e5, p: 0.001, iterations: 15);
        var corrected = raw.Zip(baseline, (r, b) => r - b).ToArray();

        // The estimated baseline follows the true one within 5 % of the strongest band, away from the bands.
        for (var i = 20; i < Axis.Length - 20; i++)
        {
            if (bands[i] < 5)
            {
                Assert.True(Math.Abs(baseline[i] - background[i]) < 5, $"at {Axis[i]} cm⁻¹ the baseline is off by {baseline[i] - background[i]:F2}");
            }
        }

        // Band heights survive within 5 %, positions exactly.
        Assert.InRange(corrected[Array.IndexOf(Axis, 1000.0)], 95, 105);
        Assert.Equal(1000.0, Axis[Array.IndexOf(corrected, corrected.Max())]);
    }

    [Fact]
    public void The_banded_solver_is_accurate_on_a_long_signal()
    {
        var y = Enumerable.Range(0, 200_000).Select(i => Math.Sin(i / 500.0) * 10).ToArray();
        var baseline = Preprocess.AlsBaseline(y, lambda: 1e4, p: 0.5, iterations: 1);

        // p = 0.5 makes it a plain Whittaker smoother: a smooth input comes back almost unchanged.
        Assert.True(y.Zip(baseline, (a, b) => Math.Abs(a - b)).Max() < 0.05);
    }

    [Fact]
    public void The_banded_solver_keeps_three_bands_not_a_matrix()
    {
        // Memory, not time, is what a unit test can measure without a clock: ten times the points must cost ten times
        // the bytes (the bands and the vectors), where a dense or sparse-matrix solve grows with the square. Its time
        // growth is measured by the PreprocessBenchmarks (bench/, N = 2,000 to 200,000).
        static long Allocated(int n)
        {
            var y = Enumerable.Range(0, n).Select(i => Math.Sin(i / 500.0) * 10).ToArray();
            var before = GC.GetAllocatedBytesForCurrentThread();
            Preprocess.AlsBaseline(y, lambda: 1e4, p: 0.5, iterations: 1);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(1_000);
        var small = Allocated(20_000);
        var large = Allocated(200_000);
        Assert.InRange(large / (double)small, 9, 11);
    }

    [Fact]
    public void Cosmic_spikes_are_removed_and_noisy_bands_are_left_alone()
    {
        var random = new Random(11);
        var noisy = Bands().Select(v => v + ((random.NextDouble() - 0.5) * 4)).ToArray();
        var spiked = (double[])noisy.Clone();
        spiked[150] += 500;                        // on the flat
        spiked[402] += 800;                        // on the flank of the 1000 cm⁻¹ band
        spiked[700] += 300;                        // a spike two points wide
        spiked[701] += 280;
        var despiked = Preprocess.Despike(spiked);
        foreach (var i in new[] { 150, 402, 700, 701 })
        {
            Assert.InRange(despiked[i], noisy[i] - 15, noisy[i] + 15);
        }

        for (var i = 0; i < noisy.Length; i++)
        {
            if (i is not (150 or 402 or 700 or 701) && Math.Abs(i - 150) > 3 && Math.Abs(i - 402) > 3 && Math.Abs(i - 700) > 4)
            {
                Assert.Equal(noisy[i], despiked[i]);
            }
        }

        // The band tops, however sharp, are not taken for spikes.
        Assert.Equal(noisy[400], Preprocess.Despike(noisy)[400]);
    }

    [Fact]
    public void Savitzky_Golay_reduces_noise_and_keeps_band_positions()
    {
        var random = new Random(3);
        var clean = Bands();
        var noisy = clean.Select(v => v + ((random.NextDouble() - 0.5) * 4)).ToArray();
        var smooth = Preprocess.SavitzkyGolay(noisy, window: 9, order: 3);
        double Rms(double[] a) => Math.Sqrt(a.Zip(clean, (x, c) => (x - c) * (x - c)).Average());
        Assert.True(Rms(smooth) < Rms(noisy) * 0.8, $"rms {Rms(smooth):F3} vs {Rms(noisy):F3}");
        Assert.Equal(1000.0, Axis[Array.IndexOf(smooth, smooth.Max())]);

        // A polynomial of the order is reproduced exactly.
        var cubic = Axis.Select(x => 1e-7 * x * x * x - (x / 3)).ToArray();
        var kept = Preprocess.SavitzkyGolay(cubic, window: 9, order: 3);
        for (var i = 4; i < cubic.Length - 4; i++)
        {
            Assert.Equal(cubic[i], kept[i], 6);
        }
    }

    [Fact]
    public void Resampling_is_exact_on_lines_either_way_round_and_normalising_gives_unit_length()
    {
        double[] x = [100, 110, 120, 130];
        double[] y = [1, 2, 3, 4];
        Assert.Equal([0, 1.5, 2, 3.5, 0], Preprocess.Resample(x, y, [90, 105, 110, 125, 140]));
        Assert.Equal([1.5, 3.5], Preprocess.Resample(x.Reverse().ToArray(), y.Reverse().ToArray(), [105, 125]));
        var unit = Preprocess.Normalise([3, 4]);
        Assert.Equal([0.6, 0.8], unit);
        Assert.Equal([0.0, 0.0], Preprocess.Normalise([0, 0]));
    }
}
