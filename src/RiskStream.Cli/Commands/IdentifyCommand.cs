using System.CommandLine;
using System.Text.Json;
using RiskStream.Cli.Hosting;
using RiskStream.Raman;
using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream identify FILE [--library DIR] [--json] [--plot OUT.png]</c>: what substance a Raman spectrum file shows.</summary>
internal static class IdentifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a Raman spectrum: JCAMP-DX, the spectrum JSON of the topic, or two columns (wavenumber, intensity)" };
        var json = CommonOptions.Json("print the identification as JSON");
        var plot = new Option<string>("--plot") { Description = "draw the raw spectrum with its baseline, and the preprocessed spectrum under the best references, into this PNG", HelpName = "OUT.png" };
        var command = new Command("identify", "Identify the substance of a Raman spectrum file against the reference library.") { file, json, plot };
        command.Options.Add(ConfigFlag.For("--library").Single());
        command.SetAction(parse => Run(parse, parse.GetValue(file)!, parse.GetValue(json), parse.GetValue(plot)));
        return command;
    }

    private static int Run(ParseResult parse, string file, bool json, string? plot)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        try
        {
            var identifier = LibraryCommand.Open(options);
            var references = identifier.References.ToList();
            var (x, y) = Library.ReadSpectrum(file);
            var prepared = identifier.Prepare(x, y);
            var result = identifier.Identify(prepared);
            if (plot is not null)
            {
                SpectrumPlot.Write(plot, Path.GetFileName(file), x, y, prepared, result, identifier);
            }

            if (json)
            {
                Console.Out.WriteLine(Json(result, references));
            }
            else
            {
                var first = result.Candidates.Count > 0 ? result.Candidates[0] : null;
                string Classes(string name) => references.First(r => r.Name == name).HazardClasses is { Count: > 0 } c ? string.Join(", ", c) : "no hazard class";
                Console.Out.WriteLine(result.Unknown
                    ? $"unknown (best {first?.Name} at {first?.Score:F3}, below {options.Raman.UnknownBelow}; library {result.LibraryVersion})"
                    : result.Mixture.Count > 0
                        ? $"a mixture: {string.Join(" + ", result.Mixture.Select(m => $"{m.Fraction:P0} {m.Name} ({Classes(m.Name)})"))}, score {result.MixtureScore:F3}; library {result.LibraryVersion}"
                        : $"{result.Best!.Name} (CAS {result.Best.Cas ?? "?"}; {Classes(result.Best.Name)}), score {result.Best.Score:F3}, margin {result.Margin:F3}; library {result.LibraryVersion}");
                foreach (var c in result.Candidates)
                {
                    Console.Out.WriteLine($"  {c.Score:F3}  {c.Name}");
                }

            }

            return 0;
        }
        catch (Exception e) when (e is JcampException or IOException)
        {
            throw new Core.Options.OptionsException(e.Message);
        }
    }

    private static string Json(Identification result, IReadOnlyList<Reference> references)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            void Candidate(Candidate c)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                if (c.Cas is { } cas)
                {
                    w.WriteString("cas", cas);
                }
                else
                {
                    w.WriteNull("cas");
                }

                w.WriteNumber("score", Math.Round(c.Score, 4));
                w.WriteStartArray("hazardClasses");
                foreach (var h in references.First(r => r.Name == c.Name).HazardClasses)
                {
                    w.WriteStringValue(h);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteStartObject();
            if (result.Best is { } best)
            {
                w.WritePropertyName("best");
                Candidate(best);
            }
            else
            {
                w.WriteNull("best");
            }

            w.WriteStartArray("candidates");
            foreach (var c in result.Candidates)
            {
                Candidate(c);
            }

            w.WriteEndArray();
            w.WriteBoolean("unknown", result.Unknown);
            w.WriteNumber("margin", Math.Round(result.Margin, 4));
            w.WriteStartArray("mixture");
            foreach (var (name, fraction) in result.Mixture)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteNumber("fraction", Math.Round(fraction, 4));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("library", result.LibraryVersion);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
