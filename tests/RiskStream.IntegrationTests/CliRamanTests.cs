using RiskStream.Core;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Contracts;
using RiskStream.IntegrationTests.Support;
using RiskStream.Testing;


namespace RiskStream.IntegrationTests;

/// <summary>Raman at the command line: identify, library, evaluate-raman.</summary>
public sealed class CliRamanTests
{
    [Fact]
    public async Task Identify_names_the_substance_of_a_spectrum_file_against_a_JCAMP_DX_library()
    {
        var dir = Directory.CreateTempSubdirectory("raman");
        try
        {
            var axis = Enumerable.Range(0, 1501).Select(i => 200.0 + (i * 2.0)).ToArray();
            double Band(double x, double c, double w, double h) => h / (1 + Math.Pow((x - c) / (w / 2), 2));
            (string Name, string Cas, string Hazards, (double C, double W, double H)[] Bands)[] substances =
            [
                ("Toluene", "108-88-3", "flammable, toxic", [(1003, 8, 1), (786, 8, 0.5), (1210, 10, 0.3), (3057, 14, 0.4)]),
                ("Acetone", "67-64-1", "flammable", [(787, 10, 1), (1710, 14, 0.4), (2925, 16, 0.6)]),
                ("Ammonium nitrate", "6484-52-2", "oxidiser, explosive", [(1043, 6, 1), (715, 8, 0.15)]),
            ];
            var library = Path.Combine(dir.FullName, "library");
            Directory.CreateDirectory(library);
            foreach (var (name, cas, hazards, bands) in substances)
            {
                var y = axis.Select(x => bands.Sum(b => Band(x, b.C, b.W, b.H)) * 1000).ToArray();
                var table = string.Join("\n", axis.Select((x, i) => (x, i)).Chunk(10).Select(chunk => chunk[0].x.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(" ", chunk.Select(p => Math.Round(y[p.i]).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
                await File.WriteAllTextAsync(Path.Combine(library, name.Replace(' ', '_') + ".jdx"), $"##TITLE= {name}\n##JCAMP-DX= 4.24\n##CAS REGISTRY NO= {cas}\n##$HAZARD CLASSES= {hazards}\n##XUNITS= 1/CM\n##YUNITS= ARBITRARY UNITS\n##FIRSTX= 200\n##LASTX= 3200\n##NPOINTS= 1501\n##XYDATA= (X++(Y..Y))\n{table}\n##END=\n");
            }

            // A measured acetone spectrum: shifted 3 cm⁻¹, noisy, on a fluorescence background; as CSV.
            var random = new Random(8);
            var measured = axis.Select(x => substances[1].Bands.Sum(b => Band(x, b.C + 3, b.W, b.H)) + (2 * Math.Exp(-Math.Pow((x - 1500) / 1200, 2))) + ((random.NextDouble() - 0.5) * 0.05)).ToArray();
            var query = Path.Combine(dir.FullName, "sample.csv");
            await File.WriteAllTextAsync(query, "wavenumber,intensity\n" + string.Join("\n", axis.Select((x, i) => $"{x.ToString(System.Globalization.CultureInfo.InvariantCulture)},{measured[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}")));

            var (code, stdout, stderr) = await CliProcess.RunAsync(["identify", query, "--library", library, "--json"], TimeSpan.FromMinutes(1));
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var best = doc.RootElement.GetProperty("best");
            Assert.Equal(("Acetone", "67-64-1"), (best.GetProperty("name").GetString(), best.GetProperty("cas").GetString()));
            Assert.True(best.GetProperty("score").GetDouble() > 0.8);
            Assert.False(doc.RootElement.GetProperty("unknown").GetBoolean());
            Assert.Equal(["flammable"], best.GetProperty("hazardClasses").EnumerateArray().Select(h => h.GetString()));
            Assert.Equal(3, doc.RootElement.GetProperty("candidates").GetArrayLength());
            Assert.StartsWith("sha256:", doc.RootElement.GetProperty("library").GetString(), StringComparison.Ordinal);

            var broken = Path.Combine(dir.FullName, "broken.csv");
            await File.WriteAllTextAsync(broken, "200,1\n202,2\n204,x\n");
            var refused = await CliProcess.RunAsync(["identify", broken, "--library", library], TimeSpan.FromMinutes(1));
            Assert.Equal(2, refused.Code);
            Assert.Contains("broken.csv:3:", refused.Err, StringComparison.Ordinal);

            var noLibrary = await CliProcess.RunAsync(["identify", query, "--library", Path.Combine(dir.FullName, "none")], TimeSpan.FromMinutes(1));
            Assert.Equal(2, noLibrary.Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Identify_uses_the_shipped_library_and_plots_what_it_found()
    {
        var dir = Directory.CreateTempSubdirectory("raman-shipped");
        try
        {
            var (references, _) = Raman.Library.Load(RepoPaths.Of("models/raman/library"));
            var axis = Raman.Synthesis.Axis();
            var y = Raman.Synthesis.Measure(references.Single(r => r.Name == "Ammonium nitrate"), axis, new Raman.Conditions(15), new Random(4));
            var file = Path.Combine(dir.FullName, "residue.csv");
            await File.WriteAllLinesAsync(file, axis.Select((x, i) => FormattableString.Invariant($"{x:F2}\t{y[i]:F4}")));
            var plot = Path.Combine(dir.FullName, "out", "residue.png");

            var (code, stdout, stderr) = await CliProcess.RunAsync(["identify", file, "--json", "--plot", plot], TimeSpan.FromMinutes(1));
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var best = doc.RootElement.GetProperty("best");
            Assert.Equal(("Ammonium nitrate", "6484-52-2"), (best.GetProperty("name").GetString(), best.GetProperty("cas").GetString()));
            Assert.Equal(["explosive", "oxidizer"], best.GetProperty("hazardClasses").EnumerateArray().Select(h => h.GetString()));
            Assert.StartsWith("rs-raman-", doc.RootElement.GetProperty("library").GetString(), StringComparison.Ordinal);

            // A PNG of two stacked panels: signature, then IHDR width 1400 and height 1040 (big-endian).
            var png = await File.ReadAllBytesAsync(plot);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Equal((1400, 1040), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
            Assert.True(png.Length > 20_000, $"{png.Length} bytes: too small to hold the spectra");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Library_lists_the_shipped_references_and_adds_a_users_own()
    {
        var dir = Directory.CreateTempSubdirectory("raman-lib");
        try
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync(["library", "list", "--json"], TimeSpan.FromMinutes(1));
            Assert.True(code == 0, stderr);
            using (var doc = JsonDocument.Parse(stdout))
            {
                var substances = doc.RootElement.GetProperty("substances").EnumerateArray().ToList();
                Assert.True(substances.Count >= 30, $"{substances.Count} substances");
                var toluene = substances.Single(s => s.GetProperty("name").GetString() == "Toluene");
                Assert.Equal(1004, toluene.GetProperty("strongestBand").GetDouble(), 0);
                Assert.Contains("ASTM E1840", toluene.GetProperty("source").GetString(), StringComparison.Ordinal);
            }

            var library = Path.Combine(dir.FullName, "library");
            Directory.CreateDirectory(library);
            File.Copy(RepoPaths.Of("models/raman/library/toluene.jdx"), Path.Combine(library, "toluene.jdx"));
            var mine = Path.Combine(dir.FullName, "mine.jdx");
            await File.WriteAllTextAsync(mine, "##TITLE=Site solvent X\n##JCAMP-DX=4.24\n##CAS REGISTRY NO=110-54-3\n##$HAZARD CLASSES=flammable\n##XUNITS=1/CM\n##YUNITS=ARBITRARY UNITS\n##PEAK TABLE=(XYW..XYW)\n895,40,12; 1447,55,12; 2935,100,15\n##END=\n");
            var added = await CliProcess.RunAsync(["library", "add", mine, "--library", library], TimeSpan.FromMinutes(1));
            Assert.True(added.Code == 0, added.Err);
            Assert.Contains("added site-solvent-x.jdx", added.Out, StringComparison.Ordinal);
            var again = await CliProcess.RunAsync(["library", "add", mine, "--library", library], TimeSpan.FromMinutes(1));
            Assert.Equal(2, again.Code);
            Assert.Contains("already in the library", again.Err, StringComparison.Ordinal);
            var listed = await CliProcess.RunAsync(["library", "list", "--library", library], TimeSpan.FromMinutes(1));
            Assert.Contains("2 substances", listed.Out, StringComparison.Ordinal);
            Assert.Contains("Site solvent X", listed.Out, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Evaluate_raman_compares_the_search_with_the_classifier_on_every_figure()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["evaluate-raman", "--trials", "1", "--json"], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim());
        var search = doc.RootElement.GetProperty("search");
        var classifier = doc.RootElement.GetProperty("classifier").GetProperty("figures");
        foreach (var key in new[] { "top1Snr20", "top1Snr5", "mixturesTop3", "strangersUnknown" })
        {
            Assert.InRange(search.GetProperty(key).GetDouble(), 0, 1);
            Assert.InRange(classifier.GetProperty(key).GetDouble(), 0, 1);
        }

        Assert.True(search.GetProperty("top1Snr20").GetDouble() >= 0.9);
        Assert.True(search.GetProperty("spectraPerSec").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("search1000").GetProperty("spectraPerSec").GetDouble() > 0);
    }
}
