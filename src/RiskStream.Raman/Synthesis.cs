using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Raman;

/// <summary>
/// Spectra as an instrument would record them, made from references: shifted, broadened, on a fluorescence background,
/// with shot and read noise and cosmic spikes. Used to train and evaluate identification, by the simulator's
/// spectrometers and by the benchmarks; every draw comes from the caller's <see cref="Random"/> so a seed fixes it.
/// </summary>
public static class Synthesis
{
    /// <summary>A spectrometer's axis: <paramref name="points"/> points evenly from <paramref name="from"/> to <paramref name="to"/> cm⁻¹.</summary>
    public static double[] Axis(int points = 2000, double from = 150, double to = 3350) =>
        Enumerable.Range(0, points).Select(i => from + ((to - from) * i / (points - 1))).ToArray();

    /// <summary>Lorentzian bands (position, height, full width at half maximum) on an axis.</summary>
    public static double[] Render(IReadOnlyList<Peak> bands, double[] axis, double shiftCm = 0, double widthFactor = 1)
    {
        var y = new double[axis.Length];
        foreach (var b in bands)
        {
            var half = b.W * widthFactor / 2;
            var centre = b.X + shiftCm;
            for (var i = 0; i < axis.Length; i++)
            {
                var d = (axis[i] - centre) / half;
                y[i] += b.Y / (1 + (d * d));
            }
        }

        return y;
    }

    /// <summary>The reference's clean spectrum on an axis, shifted and broadened (a measured reference is blurred to broaden it).</summary>
    public static double[] Clean(Reference reference, double[] axis, double shiftCm = 0, double widthFactor = 1)
    {
        if (reference.Bands.Count > 0 && reference.Bands.All(b => b.W > 0))
        {
            return Render(reference.Bands, axis, shiftCm, widthFactor);
        }

        var shifted = axis.Select(x => x - shiftCm).ToArray();
        var y = Preprocess.Resample(reference.X, reference.Y, shifted);
        if (widthFactor <= 1)
        {
            return y;
        }

        // Convolving with a Gaussian widens a band of ~8 cm⁻¹ by the factor.
        var sigmaCm = Math.Sqrt((widthFactor * widthFactor) - 1) * 8 / 2.355;
        var step = (axis[^1] - axis[0]) / (axis.Length - 1);
        var sigma = sigmaCm / step;
        var half = (int)Math.Ceiling(3 * sigma);
        var kernel = Enumerable.Range(-half, (2 * half) + 1).Select(k => Math.Exp(-0.5 * k * k / (sigma * sigma))).ToArray();
        var sum = kernel.Sum();
        var blurred = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            for (var k = -half; k <= half; k++)
            {
                blurred[i] += y[Math.Clamp(i + k, 0, y.Length - 1)] * kernel[k + half] / sum;
            }
        }

        return blurred;
    }

    /// <summary>A draw of the reference as measured under the conditions.</summary>
    public static double[] Measure(Reference reference, double[] axis, Conditions conditions, Random random)
    {
        var shift = (random.NextDouble() * 2 - 1) * conditions.MaxShiftCm;
        var width = 1 + ((random.NextDouble() * 2 - 1) * conditions.Broadening);
        return Record(Clean(reference, axis, shift, width), axis, conditions, random);
    }

    /// <summary>A mixture of references with the given fractions, measured under the conditions (one calibration shift for all).</summary>
    public static double[] MeasureMixture(IReadOnlyList<(Reference Reference, double Fraction)> parts, double[] axis, Conditions conditions, Random random)
    {
        var shift = (random.NextDouble() * 2 - 1) * conditions.MaxShiftCm;
        var clean = new double[axis.Length];
        foreach (var (reference, fraction) in parts)
        {
            var width = 1 + ((random.NextDouble() * 2 - 1) * conditions.Broadening);
            var y = Clean(reference, axis, shift, width);
            var peak = y.Max();
            for (var i = 0; i < clean.Length; i++)
            {
                clean[i] += fraction * y[i] / peak;
            }
        }

        return Record(clean, axis, conditions, random);
    }

    /// <summary>Adds fluorescence, shot and read noise and spikes to a clean spectrum.</summary>
    public static double[] Record(double[] clean, double[] axis, Conditions conditions, Random random)
    {
        var top = 0;
        for (var i = 1; i < clean.Length; i++)
        {
            top = clean[i] > clean[top] ? i : top;
        }

        var peak = clean[top];
        var from = axis[0];
        var span = axis[^1] - axis[0];
        // Fluorescence: a broad hump somewhere over the range, an offset and a tilt.
        var amplitude = random.NextDouble() * conditions.Fluorescence * peak;
        var centre = from + (random.NextDouble() * span);
        var breadth = span * (0.3 + (random.NextDouble() * 0.7));
        var offset = random.NextDouble() * 0.5 * peak;
        var tilt = (random.NextDouble() - 0.5) * 0.5 * peak;
        var background = new double[clean.Length];
        for (var i = 0; i < clean.Length; i++)
        {
            var u = (axis[i] - centre) / breadth;
            background[i] = (amplitude * Math.Exp(-u * u)) + offset + (tilt * (axis[i] - from) / span);
            background[i] = Math.Max(0, background[i]);
        }

        // Noise at the strongest band is peak / SNR: 70 % of its variance shot noise (∝ counts), 30 % read noise.
        var sigma = peak / conditions.Snr;
        var shotGain = 0.7 * sigma * sigma / (peak + background[top]);
        var read = Math.Sqrt(0.3) * sigma;
        var measured = new double[clean.Length];
        for (var i = 0; i < clean.Length; i++)
        {
            var counts = clean[i] + background[i];
            var noise = Math.Sqrt((shotGain * Math.Max(0, counts)) + (read * read));
            measured[i] = counts + (noise * Gaussian(random));
        }

        for (var s = 0; s < conditions.Spikes; s++)
        {
            var at = random.Next(measured.Length - 1);
            var height = peak * (5 + (random.NextDouble() * 25));
            measured[at] += height;
            if (random.NextDouble() < 0.5)
            {
                measured[at + 1] += height * 0.6;
            }
        }

        return measured;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
