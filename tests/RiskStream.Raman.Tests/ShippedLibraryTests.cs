using RiskStream.Raman.Processing;
using Xunit.Abstractions;

namespace RiskStream.Raman.Tests;

/// <summary>The reference library shipped in models/raman/library and the accuracy of identification against it.</summary>
public sealed class ShippedLibraryTests(ITestOutputHelper output)
{
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RiskStream.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("RiskStream.sln not found above the test"), "models", "raman", "library");
        }
    }

    private static readonly Lazy<(IReadOnlyList<Reference> References, string Version)> Shipped = new(() => Library.Load(Folder));

    private static readonly Lazy<Identifier> Search = new(() => Library.Open(Folder));

    private static Verdict Identify(double[] x, double[] y) => Evaluation.Of(Search.Value.Identify(x, y));

    private void Report(Figure figure, List<string> misses)
    {
        output.WriteLine($"{figure.Name}: {figure.Correct}/{figure.Trials} = {figure.Rate:P1} (bar {figure.Bar:P0})");
        foreach (var m in misses.Take(20))
        {
            output.WriteLine("  " + m);
        }

        Assert.True(figure.Met, $"{figure.Name}: {figure.Correct} of {figure.Trials}; misses:\n{string.Join("\n", misses.Take(20))}");
    }

    /// <summary>
    /// The strongest Raman band of each substance as the literature gives it (typed in from the sources independently
    /// of the library files): benzene ring breathing 992, toluene 1004, CCl4 459, chloroform 668, dichloromethane 704,
    /// acetone C–C 787, ethanol C–C–O 882, methanol C–H 2837, acetonitrile C≡N 2254, cyclohexane 802, CS2 656, nitrate
    /// ν1 1043–1068, perchlorate ν1 941, chlorate ν1 936, H2O2 O–O 877, TNT NO2 1362, RDX 885, PETN 1292,
    /// nitromethane C–N 918, naphthalene 764, sulfur 473.
    /// </summary>
    [Theory]
    [InlineData("Benzene", 992)]
    [InlineData("Toluene", 1004)]
    [InlineData("Carbon tetrachloride", 459)]
    [InlineData("Chloroform", 668)]
    [InlineData("Dichloromethane", 704)]
    [InlineData("Acetone", 787)]
    [InlineData("Ethanol", 882)]
    [InlineData("Methanol", 2837)]
    [InlineData("Acetonitrile", 2254)]
    [InlineData("Cyclohexane", 802)]
    [InlineData("Carbon disulfide", 656)]
    [InlineData("Ammonium nitrate", 1043)]
    [InlineData("Sodium nitrate", 1068)]
    [InlineData("Potassium perchlorate", 941)]
    [InlineData("Sodium chlorate", 936)]
    [InlineData("Hydrogen peroxide (30 %)", 877)]
    [InlineData("2,4,6-Trinitrotoluene (TNT)", 1362)]
    [InlineData("RDX (hexogen)", 885)]
    [InlineData("PETN", 1292)]
    [InlineData("Nitromethane", 918)]
    [InlineData("Naphthalene", 764)]
    [InlineData("Sulfur", 473)]
    public void The_strongest_band_of_each_reference_is_where_the_literature_puts_it(string substance, double published)
    {
        var reference = Shipped.Value.References.Single(r => r.Name == substance);
        var top = 0;
        for (var i = 1; i < reference.Y.Length; i++)
        {
            top = reference.Y[i] > reference.Y[top] ? i : top;
        }

        Assert.InRange(reference.X[top], published - 2, published + 2);
    }

    [Fact]
    public void The_library_holds_at_least_30_substances_each_with_a_valid_cas_number_hazard_classes_and_a_source()
    {
        var (references, version) = Shipped.Value;
        Assert.True(references.Count >= 30, $"{references.Count} substances");
        Assert.StartsWith("rs-raman-", version, StringComparison.Ordinal);
        foreach (var r in references)
        {
            Assert.True(r.Cas is not null && CasCheckDigitHolds(r.Cas), $"{r.Name}: CAS '{r.Cas}' fails its check digit");
            Assert.NotEmpty(r.HazardClasses);
            Assert.False(string.IsNullOrWhiteSpace(r.Source), $"{r.Name} names no source");
            Assert.True(r.Bands.Count >= 1 && r.Bands.All(b => b.W > 0), $"{r.Name}: no band table");
        }

        // The kinds of substance the issue names are all there.
        foreach (var needed in new[] { "Toluene", "Dichloromethane", "Ethanol", "Acetone", "Acetonitrile", "Sulfuric acid (96 %)", "Hydrogen peroxide (30 %)", "Sodium chlorate", "Potassium perchlorate", "Ammonium nitrate", "Sodium nitrite", "2,4,6-Trinitrotoluene (TNT)" })
        {
            Assert.Contains(references, r => r.Name == needed);
        }
    }

    /// <summary>CAS numbers end in a check digit: the sum of the other digits, each times its position from the right, mod 10.</summary>
    private static bool CasCheckDigitHolds(string cas)
    {
        var digits = cas.Replace("-", "", StringComparison.Ordinal);
        if (digits.Length < 5 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var body = digits[..^1];
        var sum = body.Reverse().Select((c, i) => (c - '0') * (i + 1)).Sum();
        return sum % 10 == digits[^1] - '0';
    }

    [Fact]
    public void Top1_at_snr_20_is_at_least_98_percent()
    {
        var misses = new List<string>();
        Report(Evaluation.Top1("top-1 at SNR 20", Identify, Shipped.Value.References, new Conditions(20), perSubstance: 6, seed: 20, bar: 0.98, misses), misses);
    }

    [Fact]
    public void A_1000_reference_library_searched_through_its_coarse_shortlist_still_names_the_substances()
    {
        var large = new Identifier(Evaluation.Enlarged(Shipped.Value.References, 1000, seed: 11), "synthetic-1000");
        var misses = new List<string>();
        Report(Evaluation.Top1("top-1 at SNR 20 among 1,000 references", (x, y) => Evaluation.Of(large.Identify(x, y)), Shipped.Value.References, new Conditions(20), perSubstance: 2, seed: 21, bar: 0.98, misses), misses);
    }

    [Fact]
    public void Top1_at_snr_5_is_at_least_90_percent()
    {
        var misses = new List<string>();
        Report(Evaluation.Top1("top-1 at SNR 5", Identify, Shipped.Value.References, new Conditions(5), perSubstance: 6, seed: 5, bar: 0.90, misses), misses);
    }

    [Fact]
    public void Both_parts_of_binary_mixtures_are_in_the_top_3_at_least_90_percent()
    {
        var misses = new List<string>();
        Report(Evaluation.Mixtures(Identify, Shipped.Value.References, new Conditions(20), trials: 150, seed: 2, bar: 0.90, misses), misses);
    }

    [Fact]
    public void Substances_not_in_the_library_are_reported_unknown_at_least_90_percent()
    {
        var misses = new List<string>();
        Report(Evaluation.Strangers(Identify, new Conditions(20), trials: 150, seed: 3, bar: 0.90, misses), misses);
    }
}

/// <summary><c>Library.Add</c>: a user's reference joins the library and changes its version.</summary>
public sealed class LibraryAddTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rs-lib-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, "..", $"{Path.GetFileName(_folder)}-{name}");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Reference(string title, string cas, string classes, string table = "992,100,4; 3062,50,12") =>
        $"##TITLE={title}\n##JCAMP-DX=4.24\n##CAS REGISTRY NO={cas}\n##$HAZARD CLASSES={classes}\n##SOURCE REFERENCE=test\n##XUNITS=1/CM\n##YUNITS=ARBITRARY UNITS\n##PEAK TABLE=(XYW..XYW)\n{table}\n##END=\n";

    [Fact]
    public void A_reference_is_added_under_its_title_and_the_version_changes()
    {
        File.Copy(Path.Combine(ShippedLibraryTests.Folder, "toluene.jdx"), Path.Combine(_folder, "toluene.jdx"));
        var before = Library.Load(_folder).Version;
        var added = Library.Add(_folder, Write("a.jdx", Reference("Benzene", "71-43-2", "flammable, Oxidiser")), replace: false);
        Assert.Equal("benzene.jdx", Path.GetFileName(added));
        var (references, after) = Library.Load(_folder);
        Assert.NotEqual(before, after);
        Assert.Equal(["oxidizer", "flammable"], references.Single(r => r.Name == "Benzene").HazardClasses);
    }

    [Fact]
    public void A_substance_already_there_an_unknown_hazard_class_or_a_bad_table_is_refused()
    {
        Library.Add(_folder, Write("a.jdx", Reference("Benzene", "71-43-2", "flammable")), replace: false);
        var again = Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, Write("b.jdx", Reference("Benzol", "71-43-2", "flammable")), replace: false));
        Assert.Contains("already in the library as benzene.jdx", again.Message, StringComparison.Ordinal);
        Library.Add(_folder, Write("b.jdx", Reference("Benzol", "71-43-2", "flammable")), replace: true);
        Assert.Equal(["Benzol"], Library.Load(_folder).References.Select(r => r.Name));
        var hazard = Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, Write("c.jdx", Reference("X", "50-00-0", "radioactive")), replace: false));
        Assert.Contains("hazard class 'radioactive' is not one of", hazard.Message, StringComparison.Ordinal);
        var table = Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, Write("d.jdx", Reference("Y", "50-00-0", "toxic", "992,100")), replace: false));
        Assert.Contains("d.jdx:9:", table.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("71-43-2", true)]    // benzene
    [InlineData("7727-37-9", true)]  // nitrogen
    [InlineData("7732-18-5", true)]  // water
    [InlineData("71-43-3", false)]   // a wrong check digit
    [InlineData("7143-2", false)]
    [InlineData("71-43-2x", false)]
    [InlineData("1-43-2", false)]    // too few digits before the first hyphen
    public void A_CAS_number_is_checked_to_its_check_digit(string cas, bool valid) => Assert.Equal(valid, Library.CasValid(cas));

    [Fact]
    public void A_reference_needs_a_valid_CAS_and_its_hazard_classes_said_or_none()
    {
        var cas = Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, Write("a.jdx", Reference("Benzene", "71-43-3", "flammable")), replace: false));
        Assert.Contains("CAS registry number '71-43-3' is not valid", cas.Message, StringComparison.Ordinal);
        var unclassified = Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, Write("b.jdx", Reference("Acetonitrile", "75-05-8", "")), replace: false));
        Assert.Contains("##$HAZARD CLASSES= is missing or empty", unclassified.Message, StringComparison.Ordinal);
        Assert.Contains("says none and names classes too", Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, Write("c.jdx", Reference("W", "7732-18-5", "none, toxic")), replace: false)).Message, StringComparison.Ordinal);
        Library.Add(_folder, Write("d.jdx", Reference("Water", "7732-18-5", "none")), replace: false);
        Assert.Empty(Library.Load(_folder).References.Single().HazardClasses);
    }

    [Fact]
    public void A_measured_spectrum_in_CSV_is_kept_as_measured_with_its_instrument_and_laser()
    {
        var x = Enumerable.Range(0, 1500).Select(i => 200 + (i * 1.1)).ToArray();
        var csv = Write("m.csv", string.Join("\n", x.Select(v => FormattableString.Invariant($"{v},{Math.Exp(-Math.Pow((v - 1004) / 6, 2)) - 0.02}"))));
        var bare = Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, csv, false, null, out _));
        Assert.Contains("needs the substance's name (--name)", bare.Message, StringComparison.Ordinal);
        var noLaser = new Library.MeasuredHeader("Site toluene", "108-88-3", "flammable, toxic", "RM-7 handheld", null, null);
        Assert.Contains("--laser", Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, csv, false, noLaser, out _)).Message, StringComparison.Ordinal);
        var written = Library.Add(_folder, csv, false, noLaser with { Laser = "785 nm" }, out var replaced);
        Assert.Null(replaced);
        var text = File.ReadAllText(written);
        Assert.Contains("##$INSTRUMENT=RM-7 handheld", text, StringComparison.Ordinal);
        Assert.Contains("##$LASER WAVELENGTH=785 nm", text, StringComparison.Ordinal);
        var reference = Library.Load(_folder).References.Single();
        Assert.Equal(x.Length, reference.X.Length); // as measured, negative (dark-subtracted) values and all
        Assert.Equal(x[17], reference.X[17]);
        Assert.Empty(reference.Bands);

        // A JCAMP-DX measured spectrum without instrument and laser is refused; replacing says what it changes.
        var jcamp = Write("m.jdx", Formats.JcampWriter.WriteMeasured("Site toluene", "108-88-3", "flammable", "RM-7", "785 nm", null, x, x.Select(v => v / 1000).ToArray()).Replace("##$INSTRUMENT=RM-7\n", "", StringComparison.Ordinal));
        Assert.Contains("names its instrument and laser", Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, jcamp, true, null, out _)).Message, StringComparison.Ordinal);
        Library.Add(_folder, Write("t.jdx", Reference("Site toluene", "108-88-3", "flammable")), true, null, out replaced);
        Assert.Equal("replacing site-toluene.jdx: hazard classes toxic, flammable → flammable; spectrum a measured spectrum (1,500 points) → a band table (2 bands, rendered)", replaced);
    }

    [Fact]
    public void A_name_that_files_like_another_substance_is_refused_and_never_written_over_it()
    {
        Library.Add(_folder, Write("a.jdx", Reference("Xylene (mixed)", "1330-20-7", "flammable")), replace: false);
        var clash = Assert.Throws<Formats.JcampException>(() => Library.Add(_folder, Write("b.jdx", Reference("xylene mixed", "71-43-2", "flammable")), replace: false));
        Assert.Contains("would be filed as xylene-mixed.jdx, which holds another reference", clash.Message, StringComparison.Ordinal);
        Assert.Equal(["Xylene (mixed)"], Library.Load(_folder).References.Select(r => r.Name));
        Assert.Equal("cas-71-43-2.jdx", Path.GetFileName(Library.Add(_folder, Write("c.jdx", Reference("苯", "71-43-2", "flammable, toxic")), replace: false)));
    }

    [Fact]
    public void A_spectrum_message_file_is_read_like_the_topic_carries_it()
    {
        var axis = Synthesis.Axis(50, 400, 1800);
        var message = new Core.Contracts.Spectrum("S1", "RM-7", "INSP-1", Core.Contracts.SpectrumPurpose.Accident, DateTimeOffset.UnixEpoch, 785, null, new Core.Contracts.SpectrumAxis(400, 1, 50), axis.Select(x => x / 10).ToArray());
        var path = Write("s.json", System.Text.Json.JsonSerializer.Serialize(message, Core.Contracts.ContractJson.Default.Spectrum));
        var (x, y) = Library.ReadSpectrum(path);
        Assert.Equal(Enumerable.Range(400, 50).Select(i => (double)i), x);
        Assert.Equal(message.Intensities, y);
        Assert.Contains("needs wavenumbers or axis", Assert.Throws<Formats.JcampException>(() => Library.ReadSpectrum(Write("t.json", "{\"intensities\":[1,2,3]}"))).Message, StringComparison.Ordinal);
    }
}
