using System.CommandLine;
using System.Text.Json;
using RiskStream.Cli.Hosting;
using RiskStream.Raman;
using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream library list [--json] | add FILE [--replace]</c>, on <c>--library DIR</c> or the configured library.</summary>
internal static class LibraryCommand
{
    /// <summary>Loads the configured library into a search; a missing or malformed library is a clear start error.</summary>
    public static Identifier Open(RiskStreamOptions options)
    {
        try
        {
            return Library.Open(options.RamanLibrary, options.Raman);
        }
        catch (Exception e) when (e is JcampException or IOException)
        {
            throw new Core.Options.OptionsException($"RiskStream:Raman:Library = '{options.RamanLibrary}': {e.Message}");
        }
    }

    public static Command Create()
    {
        var json = CommonOptions.Json("print the library as JSON");
        var list = new Command("list", "The library's version, substances, CAS numbers, hazard classes, strongest bands and sources.") { json };
        list.Options.Add(ConfigFlag.For("--library").Single());
        list.SetAction(parse => List(parse, parse.GetValue(json)));

        var file = new Argument<string>("FILE") { Description = "a reference: JCAMP-DX (a band table, or a measured spectrum: XYDATA or XYPOINTS), or a measured spectrum as two columns (CSV)" };
        var replace = new Option<bool>("--replace") { Description = "replace the substance if the library has it (says what changes)" };
        var name = new Option<string>("--name") { Description = "the substance (a CSV says nothing of it; overrides a JCAMP-DX TITLE)", HelpName = "NAME" };
        var cas = new Option<string>("--cas") { Description = "its CAS registry number (check digit verified)", HelpName = "CAS" };
        var classes = new Option<string>("--hazard-classes") { Description = $"its hazard classes, comma-separated ({string.Join(", ", Library.HazardClasses)}), or none", HelpName = "LIST" };
        var instrument = new Option<string>("--instrument") { Description = "the instrument a measured reference was measured on", HelpName = "TEXT" };
        var laser = new Option<string>("--laser") { Description = "its laser wavelength, e.g. 785 nm", HelpName = "NM" };
        var source = new Option<string>("--source") { Description = "where the reference comes from (default: measured on the instrument)", HelpName = "TEXT" };
        var add = new Command("add", "Add a reference, checked and named after its substance; a substance already there is refused unless --replace. A measured spectrum is kept as measured, with its instrument and laser.") { file, replace, name, cas, classes, instrument, laser, source };
        add.Options.Add(ConfigFlag.For("--library").Single());
        add.SetAction(parse => Add(parse, parse.GetValue(file)!, parse.GetValue(replace), new Library.MeasuredHeader(parse.GetValue(name), parse.GetValue(cas), parse.GetValue(classes), parse.GetValue(instrument), parse.GetValue(laser), parse.GetValue(source))));
        return new Command("library", "The Raman reference library.") { list, add };
    }

    private static int List(ParseResult parse, bool json)
    {
        using var host = ProcessHost.For(parse);
        var folder = host.Options.RamanLibrary;
        var (references, version) = Load(folder);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                library = version,
                folder,
                substances = references.Select(r => new
                {
                    name = r.Name,
                    cas = r.Cas,
                    hazardClasses = r.HazardClasses,
                    strongestBand = Math.Round(Strongest(r), 1),
                    bands = r.Bands.Count,
                    file = Path.GetFileName(r.File),
                    source = r.Source,
                }),
            }));
        }
        else
        {
            Console.Out.WriteLine($"library {version} ({folder}): {references.Count} substances");
            Console.Out.WriteLine($"  {"substance",-30} {"CAS",-11} {"strongest",9}  hazard classes");
            foreach (var r in references.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase))
            {
                Console.Out.WriteLine($"  {r.Name,-30} {r.Cas ?? "-",-11} {Strongest(r),6:F0} cm⁻¹  {string.Join(", ", r.HazardClasses)}");
            }
        }

        return 0;
    }

    private static int Add(ParseResult parse, string file, bool replace, Library.MeasuredHeader header)
    {
        using var host = ProcessHost.For(parse);
        var folder = host.Options.RamanLibrary;
        try
        {
            var written = Library.Add(folder, file, replace, header, out var replaced);
            if (replaced is not null)
            {
                Console.Out.WriteLine(replaced);
            }

            var (after, newVersion) = Library.Load(folder);
            Console.Out.WriteLine($"added {Path.GetFileName(written)} to {folder}: {after.Count} substances, library {newVersion}");
            return 0;
        }
        catch (Exception e) when (e is JcampException or IOException)
        {
            throw new Core.Options.OptionsException(e.Message);
        }
    }

    private static (IReadOnlyList<Reference> References, string Version) Load(string folder)
    {
        try
        {
            return Library.Load(folder);
        }
        catch (Exception e) when (e is JcampException or IOException)
        {
            throw new Core.Options.OptionsException(e.Message);
        }
    }

    /// <summary>Position of the reference's strongest point (cm⁻¹).</summary>
    public static double Strongest(Reference r)
    {
        var top = 0;
        for (var i = 1; i < r.Y.Length; i++)
        {
            top = r.Y[i] > r.Y[top] ? i : top;
        }

        return r.X.Length > 0 ? r.X[top] : double.NaN;
    }
}
