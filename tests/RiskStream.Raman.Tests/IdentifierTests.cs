using RiskStream.Raman.Processing;

namespace RiskStream.Raman.Tests;

/// <summary>The library search on synthetic references (the shipped library is part of issue 4 still to come).</summary>
public sealed class IdentifierTests
{
    private static readonly double[] X = Enumerable.Range(0, 1501).Select(i => 200.0 + (i * 2.0)).ToArray();

    private static double Lorentz(double x, double centre, double width, double height) => height / (1 + Math.Pow((x - centre) / (width / 2), 2));

    /// <summary>Bands (centre, width, height) of synthetic substances, fixed by seed.</summary>
    private static List<(double C, double W, double H)[]> Substances(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, random.Next(3, 7)).Select(_ => (C: 300 + (random.NextDouble() * 2800), W: 6 + (random.NextDouble() * 14), H: 0.2 + random.NextDouble())).ToArray())
            .ToList();
    }

    private static double[] Render((double C, double W, double H)[] bands, double shift = 0, double broaden = 1) =>
        X.Select(x => bands.Sum(b => Lorentz(x, b.C + shift, b.W * broaden, b.H))).ToArray();

    /// <summary>A measured spectrum: shifted, broadened, on a fluorescence background, with noise at the SNR and a cosmic spike.</summary>
    private static double[] Measure(double[] clean, Random random, double snr)
    {
        var peak = clean.Max();
        var offset = random.NextDouble() * 1000;
        var measured = new double[clean.Length];
        for (var i = 0; i < clean.Length; i++)
        {
            var fluorescence = (3 * peak * Math.Exp(-Math.Pow((X[i] - 1000 - offset) / 1500, 2))) + (peak * 0.5);
            measured[i] = clean[i] + fluorescence + (Gaussian(random) * peak / snr);
        }

        measured[random.Next(measured.Length)] += 20 * peak;
        return measured;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static Identifier Library(List<(double C, double W, double H)[]> substances) =>
        new(substances.Select((b, i) => new Reference($"S{i:00}", null, ["toxic"], X, Render(b))), "test/1");

    [Fact]
    public void Shifted_broadened_noisy_spectra_on_a_fluorescence_background_are_identified()
    {
        var substances = Substances(30, seed: 1);
        var identifier = Library(substances);
        var random = new Random(2);
        var correct = 0;
        const int trials = 120;
        for (var t = 0; t < trials; t++)
        {
            var k = t % substances.Count;
            var clean = Render(substances[k], shift: (random.NextDouble() - 0.5) * 10, broaden: 0.8 + (random.NextDouble() * 0.4));
            var result = identifier.Identify(X, Measure(clean, random, snr: 20));
            if (!result.Unknown && result.Best!.Name == $"S{k:00}")
            {
                correct++;
            }
        }

        Assert.True(correct >= trials * 0.95, $"{correct} of {trials} correct at SNR 20");
    }

    [Fact]
    public void A_substance_not_in_the_library_is_reported_unknown()
    {
        var identifier = Library(Substances(30, seed: 1));
        var strangers = Substances(40, seed: 99);
        var random = new Random(4);
        var unknown = strangers.Count(s => identifier.Identify(X, Measure(Render(s), random, snr: 20)).Unknown);
        Assert.True(unknown >= strangers.Count * 0.9, $"{unknown} of {strangers.Count} strangers reported unknown");
    }

    [Fact]
    public void Both_parts_of_a_binary_mixture_are_among_the_top_three_and_the_mixture_is_reported()
    {
        var substances = Substances(30, seed: 1);
        var identifier = Library(substances);
        var random = new Random(5);
        var found = 0;
        var misses = new List<string>();
        const int trials = 30;
        for (var t = 0; t < trials; t++)
        {
            var a = t % substances.Count;
            var b = (t * 7 + 3) % substances.Count;
            if (a == b)
            {
                b = (b + 1) % substances.Count;
            }

            var mix = Render(substances[a]).Zip(Render(substances[b]), (p, q) => (0.5 * p) + (0.5 * q)).ToArray();
            var result = identifier.Identify(X, Measure(mix, random, snr: 30));
            var top3 = result.Candidates.Take(3).Select(c => c.Name).ToHashSet();
            if (top3.Contains($"S{a:00}") && top3.Contains($"S{b:00}") && result.Mixture.Select(m => m.Name).ToHashSet().IsSupersetOf([$"S{a:00}", $"S{b:00}"]))
            {
                found++;
            }
            else
            {
                misses.Add($"S{a:00}+S{b:00}: top {string.Join(",", result.Candidates.Take(3).Select(c => $"{c.Name}={c.Score:F2}"))} mix {string.Join(",", result.Mixture.Select(m => $"{m.Name}={m.Fraction:F2}"))} unknown={result.Unknown}");
            }
        }

        Assert.True(found >= trials * 0.9, $"{found} of {trials} mixtures resolved; misses:\n{string.Join("\n", misses)}");
    }

    [Fact]
    public void Non_negative_least_squares_recovers_a_known_combination_and_never_goes_negative()
    {
        double[][] columns = [[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]];
        var x = Raman.Numerics.NonNegativeLeastSquares.Solve(columns, [2, 3, 0, 5]);
        Assert.Equal(2, x[0], 6);
        Assert.Equal(3, x[1], 6);
        Assert.Equal(0, x[2], 6);
        var y = Raman.Numerics.NonNegativeLeastSquares.Solve(columns, [-1, 2, 1, 3]);
        Assert.All(y, v => Assert.True(v >= 0));
    }
}
