using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Raman;

/// <summary>
/// The accuracy figures of issue 4 on spectra simulated from a library (<see cref="Synthesis"/>): top-1 at SNR 20 and
/// at SNR 5, both parts of binary mixtures in the top 3, strangers (substances not in the library) reported unknown.
/// A fixed seed gives the same spectra to every method compared.
/// </summary>
public static class Evaluation
{
    public static Verdict Of(Identification i) =>
        new(i.Unknown ? null : i.Best!.Name, i.Candidates.Select(c => c.Name).ToArray(), i.Mixture.Select(m => m.Name).ToArray());

    public static Figure Top1(string name, Func<double[], double[], Verdict> method, IReadOnlyList<Reference> library, Conditions conditions, int perSubstance, int seed, double bar, List<string>? misses = null)
    {
        var axis = Synthesis.Axis();
        var random = new Random(seed);
        var correct = 0;
        var trials = 0;
        for (var round = 0; round < perSubstance; round++)
        {
            foreach (var reference in library)
            {
                var verdict = method(axis, Synthesis.Measure(reference, axis, conditions, random));
                trials++;
                if (verdict.Best == reference.Name)
                {
                    correct++;
                }
                else
                {
                    misses?.Add($"{reference.Name} → {verdict.Best ?? "unknown"} ({string.Join(", ", verdict.Top.Take(3))})");
                }
            }
        }

        return new Figure(name, correct, trials, bar);
    }

    /// <summary>Binary mixtures of random pairs in proportions from 30:70 to 70:30; both parts must be in the top 3.</summary>
    public static Figure Mixtures(Func<double[], double[], Verdict> method, IReadOnlyList<Reference> library, Conditions conditions, int trials, int seed, double bar, List<string>? misses = null)
    {
        var axis = Synthesis.Axis();
        var random = new Random(seed);
        var correct = 0;
        for (var t = 0; t < trials; t++)
        {
            var a = random.Next(library.Count);
            var b = (a + 1 + random.Next(library.Count - 1)) % library.Count;
            var fa = 0.3 + (random.NextDouble() * 0.4);
            var verdict = method(axis, Synthesis.MeasureMixture([(library[a], fa), (library[b], 1 - fa)], axis, conditions, random));
            // Named: the reported mixture's components, or without one the top 3 candidates (ordered by score).
            var named = (verdict.Mixture.Count > 0 ? verdict.Mixture : verdict.Top.Take(3)).ToHashSet();
            if (named.Contains(library[a].Name) && named.Contains(library[b].Name))
            {
                correct++;
            }
            else
            {
                misses?.Add($"{library[a].Name} {fa:P0} + {library[b].Name} → {(verdict.Mixture.Count > 0 ? "mixture " + string.Join(" + ", verdict.Mixture) : string.Join(", ", verdict.Top.Take(3)))}");
            }
        }

        return new Figure("binary mixtures, both parts named", correct, trials, bar);
    }

    /// <summary>Substances not in the library (random band patterns of 2 to 8 bands like real ones) must be reported unknown.</summary>
    public static Figure Strangers(Func<double[], double[], Verdict> method, Conditions conditions, int trials, int seed, double bar, List<string>? misses = null)
    {
        var axis = Synthesis.Axis();
        var random = new Random(seed);
        var correct = 0;
        for (var t = 0; t < trials; t++)
        {
            var stranger = Stranger(random);
            var verdict = method(axis, Synthesis.Measure(stranger, axis, conditions, random));
            if (verdict.Best is null)
            {
                correct++;
            }
            else
            {
                misses?.Add($"stranger {t} → {verdict.Best}");
            }
        }

        return new Figure("substances not in the library reported unknown", correct, trials, bar);
    }

    /// <summary>A made-up substance: 2 to 8 bands over the fingerprint and C–H regions.</summary>
    public static Reference Stranger(Random random)
    {
        var bands = Enumerable.Range(0, random.Next(2, 9))
            .Select(k => new Peak(
                random.NextDouble() < 0.2 ? 2800 + (random.NextDouble() * 300) : 250 + (random.NextDouble() * 1500),
                k == 0 ? 100 : 5 + (random.NextDouble() * 80),
                4 + (random.NextDouble() * 16)))
            .ToArray();
        return Library.Rendered("stranger", null, [], bands);
    }

    /// <summary>Spectra per second of a method over the given spectra, on <paramref name="threads"/> threads (after half a second of warm-up).</summary>
    public static double Throughput(Action<double[], double[]> method, double[] axis, IReadOnlyList<double[]> spectra, int threads)
    {
        // Warm up on all threads until the code is at its steady tier (tiered JIT recompiles hot methods after 30
        // calls and a short delay): measured from the 20th spectrum, the first library's figure was the cold one's.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromMilliseconds(500))
        {
            Parallel.For(0, Math.Min(spectra.Count, 100), new ParallelOptions { MaxDegreeOfParallelism = threads }, i => method(axis, spectra[i]));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, spectra.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => method(axis, spectra[i]));
        return spectra.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Simulated measurements of random library references at SNR 20, for speed measurements.</summary>
    public static List<double[]> Sample(IReadOnlyList<Reference> library, double[] axis, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Synthesis.Measure(library[random.Next(library.Count)], axis, new Conditions(20), random)).ToList();
    }

    /// <summary>A library of <paramref name="size"/> references made from the given ones and strangers (for speed against a large library).</summary>
    public static List<Reference> Enlarged(IReadOnlyList<Reference> library, int size, int seed)
    {
        var random = new Random(seed);
        var result = library.ToList();
        while (result.Count < size)
        {
            result.Add(Stranger(random) with { Name = $"synthetic-{result.Count}" });
        }

        return result;
    }

    /// <summary>
    /// Spectra per second on <paramref name="threads"/> threads: the library search on its own library and against
    /// 1,000 references (the library and made-up substances), on <paramref name="count"/> simulated 2,000-point spectra.
    /// </summary>
    public static (double Library, double Thousand) Speeds(Identifier search, IdentifyOptions options, int count, int threads)
    {
        var library = search.References.ToList();
        var axis = Synthesis.Axis();
        var spectra = Sample(library, axis, count, seed: 9);
        var large = new Identifier(Enlarged(library, 1000, seed: 11), "synthetic-1000", options);
        return (
            Throughput((x, y) => search.Identify(x, y), axis, spectra, threads),
            Throughput((x, y) => large.Identify(x, y), axis, spectra.Take(count / 4).ToList(), threads));
    }

    /// <summary>One measured spectrum of a development set and what the search answered.</summary>
    /// <param name="Expected">The library substance it is, or null for a substance not in the library.</param>
    /// <param name="Answer">The answer as one line: the species, "family: …", "mixture: …" or "unknown".</param>
    /// <param name="Correct">A library substance named first (alone, or as its family's most likely member); a stranger unknown or named only by a family.</param>
    public sealed record MeasuredOutcome(string File, string? Expected, string Answer, bool Correct, bool FalseMixture, bool ByFamily, IReadOnlyList<string> Warnings);

    /// <summary>
    /// The search on measured spectra described by a <c>manifest.json</c> (file, substance, in_library, kind,
    /// library_title: the development set's format): every file identified as it is, nothing fitted to them.
    /// </summary>
    public static List<MeasuredOutcome> Measured(Identifier search, string folder)
    {
        var manifest = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifest))
        {
            throw new JcampException($"{folder}: no manifest.json describing the measured spectra");
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        var outcomes = new List<MeasuredOutcome>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!;
            var inLibrary = entry.TryGetProperty("in_library", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.True;
            var expected = inLibrary ? entry.GetProperty("library_title").GetString() : null;
            var pure = !entry.TryGetProperty("kind", out var k) || k.GetString() != "mixture";
            var (x, y) = Library.ReadSpectrum(Path.Combine(folder, file));
            var result = search.Identify(x, y);
            var answer = result.Unknown ? "unknown"
                : result.Mixture.Count > 0 ? "mixture: " + string.Join(" + ", result.Mixture.Select(m => $"{m.Fraction:P0} {m.Name}"))
                : result.Family is { } f ? $"{f.Name} (most like {result.Best!.Name})"
                : result.Best!.Name;
            var named = result.Unknown || result.Mixture.Count > 0 ? null : result.Best!.Name;
            var correct = expected is null
                ? result.Unknown || (result.Family is not null && result.Mixture.Count == 0)
                : named == expected;
            outcomes.Add(new MeasuredOutcome(file, expected, answer, correct, pure && result.Mixture.Count > 0, result.Family is not null, result.Warnings));
        }

        return outcomes;
    }
}
