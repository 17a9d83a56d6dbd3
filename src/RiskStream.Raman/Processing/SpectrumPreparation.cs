using System.Collections.Concurrent;

namespace RiskStream.Raman.Processing;

/// <summary>
/// Prepares a spectrum for the library search (the steps of <see cref="Preprocess"/> in order): despike, put on the
/// common axis, remove the fluorescence baseline, smooth, centre and normalise over the covered range; and estimates
/// the share of the result that is noise, from the spectrum itself.
/// </summary>
/// <remarks>Thread-safe: the only state is a cache of noise gains per input axis.</remarks>
internal sealed class SpectrumPreparation(double[] axis)
{
    private readonly ConcurrentDictionary<(int, double, double), double> _noiseGains = new();

    /// <summary>
    /// The noise energy the compared spectrum carries over what the linear steps pass: the asymmetric baseline fit
    /// follows the noise's lower envelope and adds its wiggles. Measured by adding white noise of known level to
    /// noise-free simulated spectra of every reference (SNR 20, 10, 5 at the strongest band): the noise share the
    /// linear steps predict was 0.90 to 0.96 of the share actually found (1 − HQI of noisy against noise-free).
    /// </summary>
    internal const double BaselineNoise = 1.1;

    /// <summary>Above this an intensity is scaled down before preparation (its square, summed over 16,384 points, stays finite).</summary>
    private const double MaxIntensity = 1e100;

    private static double[] Scaled(ReadOnlySpan<double> y, double factor)
    {
        var result = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            result[i] = y[i] * factor;
        }

        return result;
    }

    /// <summary>Despike, put on the common axis, remove the baseline, smooth, centre and normalise over the covered range.</summary>
    public Prepared Prepare(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length || x.Length < 2)
        {
            throw new ArgumentException($"a spectrum needs as many wavenumbers as intensities, at least two ({x.Length} and {y.Length})");
        }

        // Intensities so large their squares overflow (a hostile or broken instrument) are scaled down first: the
        // compared spectrum is normalised, so only the printed counts of a warning would change.
        double largest = 0;
        foreach (var v in y)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        var despiked = largest > MaxIntensity ? Preprocess.Despike(Scaled(y, MaxIntensity / largest)) : Preprocess.Despike(y);
        var raw = Preprocess.Resample(x, despiked, axis);
        double lo = Math.Min(x[0], x[^1]), hi = Math.Max(x[0], x[^1]);
        var from = 0;
        while (from < axis.Length && axis[from] < lo)
        {
            from++;
        }

        var to = axis.Length;
        while (to > from && axis[to - 1] > hi)
        {
            to--;
        }

        var baseline = new double[axis.Length];
        var spectrum = new float[axis.Length];
        if (to - from < 16)
        {
            return new Prepared(axis, raw, baseline, spectrum, from, to, 1);
        }

        var covered = raw.AsSpan(from, to - from);
        var fitted = Baseline(Preprocess.SavitzkyGolay(covered, 7, 2));
        fitted.CopyTo(baseline, from);
        var corrected = new double[covered.Length];
        for (var i = 0; i < corrected.Length; i++)
        {
            corrected[i] = covered[i] - fitted[i];
        }

        var smooth = Preprocess.SavitzkyGolay(corrected, 7, 2);
        var mean = smooth.Average();
        double energy = 0;
        for (var i = 0; i < smooth.Length; i++)
        {
            smooth[i] -= mean;
            energy += smooth[i] * smooth[i];
        }

        // The noise the compared spectrum carries: the input's noise level, pushed through the same linear steps.
        var noiseShare = energy > 0 ? Math.Min(1, BaselineNoise * NoiseVariance(despiked) * NoiseGain(x, from, to) / energy) : 1;
        var norm = Math.Sqrt(energy);
        for (var i = 0; i < smooth.Length; i++)
        {
            spectrum[from + i] = norm > 0 ? (float)(smooth[i] / norm) : 0;
        }

        return new Prepared(axis, raw, baseline, spectrum, from, to, noiseShare) { Warnings = Saturation(x, despiked) is { } w ? [w] : [] };
    }

    /// <summary>
    /// A saturated detector clips the strongest band to a flat top (looked for after cosmic spikes are removed): the points within 1 % of the maximum (above the
    /// spectrum's median) run over at least three points and a quarter of the band's width at half height, where a
    /// band's rounded top keeps only a few per cent of its width that close. Works on dark-subtracted spectra too.
    /// </summary>
    internal static string? Saturation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (y.Length < 8)
        {
            return null;
        }

        var top = 0;
        for (var i = 1; i < y.Length; i++)
        {
            top = y[i] > y[top] ? i : top;
        }

        // Cheap first: with the lowest point as the level the 1 % band is widest, so a top that is not flat even
        // then is not flat (most spectra stop here, without the median).
        var lowest = y[0];
        foreach (var v in y)
        {
            lowest = Math.Min(lowest, v);
        }

        if (!(y[top] > lowest) || Run(y, top, 0.01 * (y[top] - lowest)) < 3)
        {
            return null;
        }

        var level = Selection.Median(y.ToArray());
        var height = y[top] - level;
        if (!(height > 0))
        {
            return null;
        }

        var flat = Run(y, top, 0.01 * height);
        var width = Run(y, top, 0.5 * height);
        return flat >= 3 && flat * 4 >= width
            ? FormattableString.Invariant($"saturated: the band at {x[top]:F0} cm-1 has a flat top ({flat} points within 1 % of {y[top]:G6}); its height is clipped and band ratios are off: measure again with a shorter integration time or less laser power")
            : null;
    }

    /// <summary>Points around <paramref name="top"/> that stay within <paramref name="below"/> of it.</summary>
    private static int Run(ReadOnlySpan<double> y, int top, double below)
    {
        int lo = top, hi = top;
        while (lo > 0 && y[lo - 1] >= y[top] - below)
        {
            lo--;
        }

        while (hi < y.Length - 1 && y[hi + 1] >= y[top] - below)
        {
            hi++;
        }

        return hi - lo + 1;
    }

    /// <summary>
    /// The fluorescence baseline by asymmetric least squares, fitted on block means of four points (a baseline is
    /// smooth; λ scales with the fourth power of the step) and interpolated back: a quarter of the work.
    /// </summary>
    private static double[] Baseline(double[] smooth)
    {
        const int factor = 4;
        var n = smooth.Length;
        var coarse = new double[(n + factor - 1) / factor];
        var centres = new double[coarse.Length];
        for (var b = 0; b < coarse.Length; b++)
        {
            var start = b * factor;
            var count = Math.Min(factor, n - start);
            double sum = 0;
            for (var i = start; i < start + count; i++)
            {
                sum += smooth[i];
            }

            coarse[b] = sum / count;
            centres[b] = start + ((count - 1) / 2.0);
        }

        var fitted = Preprocess.AlsBaseline(coarse, lambda: 1e5 / Math.Pow(factor, 4), p: 0.001, iterations: 10);

        // Interpolated back between the block centres; beyond the first and last the baseline is held level.
        var result = new double[n];
        var b0 = 0;
        for (var i = 0; i < n; i++)
        {
            if (i <= centres[0])
            {
                result[i] = fitted[0];
                continue;
            }

            if (i >= centres[^1])
            {
                result[i] = fitted[^1];
                continue;
            }

            while (centres[b0 + 1] < i)
            {
                b0++;
            }

            var t = (i - centres[b0]) / (centres[b0 + 1] - centres[b0]);
            result[i] = fitted[b0] + ((fitted[b0 + 1] - fitted[b0]) * t);
        }

        return result;
    }

    /// <summary>
    /// Mean noise variance of a raw spectrum from its second differences (6σ² for white noise), estimated in blocks of
    /// 48 points by the median (shot noise grows with the counts, so the level differs along the spectrum; the median
    /// leaves out band tops and spikes). The median of a χ²₁ variable is 0.455.
    /// </summary>
    internal static double NoiseVariance(double[] y)
    {
        const int block = 48;
        if (y.Length < 8)
        {
            return 0;
        }

        var rented = System.Buffers.ArrayPool<double>.Shared.Rent(y.Length - 2);
        var d = rented.AsSpan(0, y.Length - 2);
        for (var i = 1; i < y.Length - 1; i++)
        {
            var v = y[i - 1] - (2 * y[i]) + y[i + 1];
            d[i - 1] = v * v;
        }

        double total = 0;
        var blocks = 0;
        for (var start = 0; start + (block / 2) <= d.Length; start += block)
        {
            total += Selection.Median(d.Slice(start, Math.Min(block, d.Length - start))) / 0.455 / 6;
            blocks++;
        }

        System.Buffers.ArrayPool<double>.Shared.Return(rented);
        return blocks == 0 ? 0 : total / blocks;
    }

    /// <summary>Energy that unit white noise on the input axis keeps through resampling, smoothing and centring (cached per axis).</summary>
    private double NoiseGain(ReadOnlySpan<double> x, int from, int to)
    {
        var key = (x.Length, x[0], x[^1]);
        if (_noiseGains.TryGetValue(key, out var known))
        {
            return known;
        }

        if (_noiseGains.Count > 256)
        {
            _noiseGains.Clear();
        }

        return _noiseGains[key] = ComputeNoiseGain(x, from, to);
    }

    private double ComputeNoiseGain(ReadOnlySpan<double> x, int from, int to)
    {
        var random = new Random(20261129);
        var noise = new double[x.Length];
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = Synthesis.Gaussian(random);
        }

        var resampled = Preprocess.Resample(x, noise, axis).AsSpan(from, to - from);
        var smooth = Preprocess.SavitzkyGolay(resampled, 7, 2);
        var mean = smooth.Average();
        return smooth.Sum(v => (v - mean) * (v - mean));
    }
}
