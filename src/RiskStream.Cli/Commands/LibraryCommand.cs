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
            var (references, version) = Library.Load(options.RamanLibrary);
            return new Identifier(references, version, options.Raman);
        }
        catch (Exception e) when (e is JcampException or IOException)
        {
            throw new OptionsException($"RiskStream:Raman:Library = '{options.RamanLibrary}': {e.Message}");
        }
    }

    public static int Run(ProcessHost host)
    {
        var options = RiskStreamOptions.Read(host.Settings);
        var folder = options.RamanLibrary;
        try
        {
            switch (host.Cli.Arguments)
            {
                case ["list"]:
                    var (references, version) = Library.Load(folder);
                    if (host.Cli.Has("--json"))
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
                case ["add", var file]:
                    var written = Library.Add(folder, file, host.Cli.Has("--replace"));
                    var (after, newVersion) = Library.Load(folder);
                    Console.Out.WriteLine($"added {Path.GetFileName(written)} to {folder}: {after.Count} substances, library {newVersion}");
                    return 0;
                default:
                    throw new OptionsException("usage: riskstream library list [--json] | riskstream library add FILE [--replace]   (both take --library DIR)");
            }
        }
        catch (Exception e) when (e is JcampException or IOException)
        {
            throw new OptionsException(e.Message);
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
