using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;
using Xunit.Abstractions;

namespace RiskStream.Raman.Tests;

/// <summary>
/// Identification as real instruments need it: measured spectra of the development set (../shared/reference/raman-measured,
/// beside the clone), no mixture without its own bands, family answers for near neighbours, saturation reported.
/// </summary>
public sealed class RealInstrumentTests(ITestOutputHelper output)
{
    private static readonly Lazy<Identifier> Search = new(() => Library.Open(ShippedLibraryTests.Folder));

    private static Reference Shipped(string name) => Search.Value.References.Single(r => r.Name == name);

    private static string MeasuredFolder
    {
        get
        {
            // models/raman/library → the repository → ../shared beside it (as CI has it).
            var root = Directory.GetParent(ShippedLibraryTests.Folder)!.Parent!.Parent!.FullName;
            var folder = Path.GetFullPath(Path.Combine(root, "..", "shared", "reference", "raman-measured"));
            Assert.True(Directory.Exists(folder), $"the measured development set is expected beside the clone at {folder}");
            return folder;
        }
    }

    [Fact]
    public void On_the_measured_development_set_library_substances_are_named_strangers_are_not_and_no_pure_spectrum_is_a_mixture()
    {
        var outcomes = Evaluation.Measured(Search.Value, MeasuredFolder);
        foreach (var o in outcomes)
        {
            output.WriteLine($"{(o.Correct ? "ok  " : "MISS")} {o.File,-36} {o.Expected ?? "(stranger)",-22} → {o.Answer}");
        }

        Assert.True(outcomes.Count >= 20, $"{outcomes.Count} measured spectra");
        Assert.All(outcomes, o => Assert.True(o.Correct, $"{o.File}: {o.Expected ?? "a stranger"} → {o.Answer}"));
        Assert.DoesNotContain(outcomes, o => o.FalseMixture);

        // The saturated acetonitrile (a flat top over six pixels at 2252 cm⁻¹) says so; no other file does.
        var saturated = outcomes.Where(o => o.Warnings.Any(w => w.StartsWith("saturated", StringComparison.Ordinal))).Select(o => o.File).ToList();
        Assert.Equal(["acetonitrile-ramanalysis-2.csv"], saturated);
    }

    [Fact]
    public void A_pure_spectrum_whose_band_ratios_an_instrument_has_bent_comes_back_pure()
    {
        // An instrument's response: bands weighed by a smooth factor from 1 down to 0.3 across the range (a 785 nm
        // CCD's fall towards 3,000 cm⁻¹), which a rendered reference does not have: the residual of the best match
        // correlates with other references, but their own bands are not there.
        var axis = Synthesis.Axis();
        var random = new Random(41);
        var mixtures = new List<string>();
        foreach (var reference in Search.Value.References)
        {
            var clean = Synthesis.Clean(reference, axis);
            var bent = clean.Select((v, i) => v * (1 - (0.7 * (axis[i] - axis[0]) / (axis[^1] - axis[0])))).ToArray();
            var result = Search.Value.Identify(axis, Synthesis.Record(bent, axis, new Conditions(40), random));
            if (result.Mixture.Count > 0)
            {
                mixtures.Add($"{reference.Name} → {string.Join(" + ", result.Mixture.Select(m => $"{m.Fraction:P0} {m.Name}"))}");
            }
        }

        output.WriteLine(string.Join("\n", mixtures));
        Assert.True(mixtures.Count <= 1, $"{mixtures.Count} pure spectra called mixtures:\n{string.Join("\n", mixtures)}");
    }

    [Fact]
    public void A_mixture_is_reported_with_each_fraction_and_its_uncertainty()
    {
        var axis = Synthesis.Axis();
        var y = Synthesis.MeasureMixture([(Shipped("Toluene"), 0.5), (Shipped("Acetonitrile"), 0.5)], axis, new Conditions(30), new Random(4));
        var result = Search.Value.Identify(axis, y);
        Assert.Equal(["Acetonitrile", "Toluene"], result.Mixture.Select(m => m.Name).Order());
        Assert.Equal(1, result.Mixture.Sum(m => m.Fraction), 6);
        Assert.All(result.Mixture, m => Assert.InRange(m.Uncertainty, 1e-4, 0.15));
    }

    [Fact]
    public void A_nitrate_known_by_its_nitrate_bands_alone_is_answered_as_a_nitrate_with_the_species_most_like_it()
    {
        var axis = Synthesis.Axis();

        // Ammonium nitrate's spectrum is the nitrate ion's (its own bands are too weak to test): "a nitrate".
        var an = Search.Value.Identify(axis, Synthesis.Measure(Shipped("Ammonium nitrate"), axis, new Conditions(30), new Random(1)));
        Assert.Equal("a nitrate", an.Family?.Name);
        Assert.Equal(["oxidizer"], an.Family!.HazardClasses);
        Assert.Equal("Ammonium nitrate", an.Best!.Name);

        // A nitrate the library does not hold (potassium nitrate's ν1 at 1050, ν4 at 715): the family, not a species.
        var niter = Library.Rendered("Potassium nitrate", "7757-79-1", ["oxidizer"], [new Peak(1050, 100, 5), new Peak(715, 8, 5), new Peak(1345, 5, 10)]);
        var kno3 = Search.Value.Identify(axis, Synthesis.Measure(niter, axis, new Conditions(30), new Random(2)));
        Assert.Equal("a nitrate", kno3.Family?.Name);

        // Toluene shows its own bands beside the ring's (521, 786, 1211, 2920): the species.
        var toluene = Search.Value.Identify(axis, Synthesis.Measure(Shipped("Toluene"), axis, new Conditions(30), new Random(3)));
        Assert.Null(toluene.Family);
        Assert.Equal("Toluene", toluene.Best!.Name);
    }

    [Fact]
    public void A_reference_missing_strong_bands_of_the_spectrum_is_marked_down_below_its_correlation()
    {
        // Polystyrene-like: the benzene ring's bands (620, 1001, 1031, 1602, 3054) with strong CH2 bands (1450, 2850,
        // 2904) no aromatic reference has: no species at full score.
        var axis = Synthesis.Axis();
        var polymer = Library.Rendered("polymer", null, [], [new Peak(620, 20, 6), new Peak(1001, 100, 4), new Peak(1031, 35, 5), new Peak(1602, 40, 8), new Peak(3054, 60, 12), new Peak(1450, 25, 12), new Peak(2850, 45, 15), new Peak(2904, 70, 15)]);
        var result = Search.Value.Identify(axis, Synthesis.Measure(polymer, axis, new Conditions(40), new Random(5)));
        var best = result.Candidates[0];
        Assert.True(best.Score < best.Correlation, $"{best.Name}: score {best.Score:F3}, correlation {best.Correlation:F3}");
        Assert.NotEmpty(best.Bands.Unexplained);
        Assert.True(result.Unknown || result.Family is not null, $"named {best.Name} at {best.Score:F3}");
    }

    [Fact]
    public void A_saturated_band_is_reported_and_a_dark_subtracted_spectrum_below_zero_is_identified_the_same()
    {
        var axis = Synthesis.Axis();
        var y = Synthesis.Measure(Shipped("Acetonitrile"), axis, new Conditions(40, Spikes: 0, Fluorescence: 0), new Random(6));
        var level = y.Order().ElementAt(y.Length / 2);
        var clipAt = level + ((y.Max() - level) * 0.5);
        var clipped = y.Select(v => Math.Min(v, clipAt)).ToArray();
        var saturated = Search.Value.Identify(axis, clipped);
        var warning = Assert.Single(saturated.Warnings);
        Assert.StartsWith("saturated: the band at 22", warning);
        Assert.Empty(Search.Value.Identify(axis, y).Warnings);

        // Dark-subtracted: the whole spectrum 40 % of its peak lower, much of it negative.
        var dark = y.Select(v => v - (0.4 * y.Max())).ToArray();
        Assert.Equal("Acetonitrile", Search.Value.Identify(axis, dark).Best?.Name);
    }

    [Fact]
    public void The_noise_share_estimated_from_a_spectrum_is_within_a_tenth_of_the_share_found_against_its_noise_free_self()
    {
        // The calibration of SpectrumPreparation.BaselineNoise, as a test: white noise of known level added to
        // noise-free spectra of every reference; 1 − HQI(noisy, noise-free) is the share of the compared spectrum that is noise.
        var axis = Synthesis.Axis();
        foreach (var snr in new[] { 10.0, 5.0 })
        {
            var random = new Random(7);
            var ratios = new List<double>();
            foreach (var reference in Search.Value.References)
            {
                var clean = Synthesis.Clean(reference, axis);
                var sigma = clean.Max() / snr;
                var noisy = clean.Select(v => v + (sigma * Synthesis.Gaussian(random))).ToArray();
                var (pc, pn) = (Search.Value.Prepare(axis, clean), Search.Value.Prepare(axis, noisy));
                var dot = pc.Spectrum.Zip(pn.Spectrum, (a, b) => (double)a * b).Sum();
                ratios.Add(pn.NoiseShare / (1 - (dot * dot)));
            }

            ratios.Sort();
            var median = ratios[ratios.Count / 2];
            output.WriteLine($"SNR {snr}: estimated / found noise share, median {median:F3}");
            Assert.InRange(median, 0.9, 1.1);
        }
    }

    [Fact]
    public void Spectra_a_careless_or_hostile_instrument_sends_come_back_unknown_or_named_with_finite_numbers_never_an_exception()
    {
        var axis = Synthesis.Axis();
        var random = new Random(9);
        var hostile = new (string What, double[] X, double[] Y)[]
        {
            ("all zeros", axis, new double[axis.Length]),
            ("constant", axis, axis.Select(_ => 1234.5).ToArray()),
            ("every other point ±1e300", axis, axis.Select((_, i) => i % 2 == 0 ? 1e300 : -1e300).ToArray()),
            ("one point of 1e308", axis, axis.Select((_, i) => i == 1000 ? 1e308 : 0).ToArray()),
            ("white noise only", axis, axis.Select(_ => Synthesis.Gaussian(random)).ToArray()),
            ("20 points", axis[..20], axis[..20].Select(_ => random.NextDouble()).ToArray()),
            ("a descending axis", axis.Reverse().ToArray(), Synthesis.Measure(Shipped("Toluene"), axis, new Conditions(20), random).Reverse().ToArray()),
            ("a flat-topped square wave", axis, axis.Select(x => x % 400 < 200 ? 5000.0 : 0).ToArray()),
        };
        foreach (var (what, x, y) in hostile)
        {
            var result = Search.Value.Identify(x, y);
            Assert.True(result.Candidates.All(c => double.IsFinite(c.Score) && double.IsFinite(c.Correlation)), what);
            Assert.True(double.IsFinite(result.Margin) && double.IsFinite(result.MixtureScore), what);
            Assert.All(result.Mixture, m => Assert.True(double.IsFinite(m.Fraction) && double.IsFinite(m.Uncertainty), what));
            output.WriteLine($"{what}: {(result.Unknown ? "unknown" : result.Family?.Name ?? result.Best!.Name)} {string.Join("; ", result.Warnings)}");
        }

        // The reversed toluene is still toluene.
        Assert.Equal("Toluene", Search.Value.Identify(hostile[6].X, hostile[6].Y).Best?.Name);
    }

    [Theory]
    [InlineData("""{"families":[{"name":"a nitrate","hazardClasses":["oxidizer"],"bands":[[1035,1075]],"members":["Potassium nitrate"]}]}""", "member 'Potassium nitrate' is not a substance of the library")]
    [InlineData("""{"families":[{"name":"a nitrate","hazardClasses":["oxidising"],"bands":[[1035,1075]],"members":["Sodium nitrate"]}]}""", "hazard class 'oxidising'")]
    [InlineData("""{"families":[{"name":"a nitrate","hazardClasses":["oxidizer"],"bands":[[1075,1035]],"members":["Sodium nitrate"]}]}""", "a band window is [from, to]")]
    [InlineData("""{"families":[{"name":"a","hazardClasses":["oxidizer"],"bands":[[1,2]],"members":["Sodium nitrate"]},{"name":"b","hazardClasses":["oxidizer"],"bands":[[1,2]],"members":["Sodium nitrate"]}]}""", "already a member of 'a'")]
    [InlineData("""{"families":3}""", "expected an object with a 'families' array")]
    [InlineData("""{"families":""", "families.json: ")]
    public void A_families_file_that_names_what_the_library_does_not_hold_or_is_malformed_is_refused(string json, string expected)
    {
        var e = Assert.Throws<JcampException>(() => Family.Parse(json, "families.json", ["Sodium nitrate", "Ammonium nitrate"]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_shipped_families_load_and_their_members_are_in_the_library()
    {
        Assert.Equal(["a nitrate", "a perchlorate", "a chlorate", "an aromatic compound (benzene ring)"], Search.Value.Families.Select(f => f.Name));
    }
}
