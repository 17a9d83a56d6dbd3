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
                Console.Out.Write(Text(result, references, options.Raman.UnknownBelow));
            }

            return 0;
        }
        catch (Exception e) when (e is JcampException or IOException)
        {
            throw new Core.Options.OptionsException(e.Message);
        }
    }

    /// <summary>The answer as an inspector reads it: the answer, what about the measurement is wrong, the band evidence, the candidates.</summary>
    internal static string Text(Identification result, IReadOnlyList<Reference> references, double unknownBelow)
    {
        var text = new System.Text.StringBuilder();
        string Classes(IReadOnlyList<string> c) => c.Count > 0 ? string.Join(", ", c) : "no hazard class";
        string Of(string name) => Classes(references.First(r => r.Name == name).HazardClasses);
        string Cm(IEnumerable<double> at) => at.Any() ? string.Join(" ", at.Select(v => v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))) + " cm-1" : "none";
        var first = result.Candidates.Count > 0 ? result.Candidates[0] : null;
        var best = result.Best;
        text.AppendLine(result.Unknown
            ? $"unknown (best {first?.Name} at {first?.Score:F3}, below {unknownBelow}; library {result.LibraryVersion})"
            : result.Mixture.Count > 0
                ? $"a mixture: {string.Join(" + ", result.Mixture.Select(m => $"{m.Fraction * 100:F0} ± {Math.Max(1, m.Uncertainty * 100):F0} % {m.Name} ({Of(m.Name)})"))}, score {result.MixtureScore:F3}; library {result.LibraryVersion}"
                : result.Family is { } family
                    ? $"{family.Name} ({Classes(family.HazardClasses)}), score {best!.Score:F3}: the match rests on the family's bands ({Cm(best.Bands.Found.Where(family.Covers))}); no band of its own confirms a species; most like {best.Name} (CAS {best.Cas ?? "?"}; {Of(best.Name)}); library {result.LibraryVersion}"
                    : $"{best!.Name} (CAS {best.Cas ?? "?"}; {Of(best.Name)}), score {best.Score:F3}, margin {result.Margin:F3}; library {result.LibraryVersion}");
        foreach (var warning in result.Warnings)
        {
            text.AppendLine($"  warning: {warning}");
        }

        if (first is not null && result.Mixture.Count == 0)
        {
            text.AppendLine($"  bands of {first.Name}: found {Cm(first.Bands.Found)}; missing {Cm(first.Bands.Missing)}; the spectrum's strong bands it leaves unexplained: {Cm(first.Bands.Unexplained)}");
        }

        foreach (var c in result.Candidates)
        {
            text.AppendLine($"  {c.Score:F3}  {c.Name,-32} correlation {c.Correlation:F3}, bands {c.Bands.FoundShare:P0} found, {c.Bands.ExplainedShare:P0} of the strong explained");
        }

        return text.ToString();
    }

    private static string Json(Identification result, IReadOnlyList<Reference> references)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            void Numbers(string name, IEnumerable<double> values)
            {
                w.WriteStartArray(name);
                foreach (var v in values)
                {
                    w.WriteNumberValue(Math.Round(v, 1));
                }

                w.WriteEndArray();
            }

            void Strings(string name, IEnumerable<string> values)
            {
                w.WriteStartArray(name);
                foreach (var v in values)
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
            }

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
                w.WriteNumber("correlation", Math.Round(c.Correlation, 4));
                w.WriteStartObject("bands");
                Numbers("found", c.Bands.Found);
                Numbers("missing", c.Bands.Missing);
                Numbers("unexplained", c.Bands.Unexplained);
                w.WriteEndObject();
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
            foreach (var part in result.Mixture)
            {
                w.WriteStartObject();
                w.WriteString("name", part.Name);
                w.WriteNumber("fraction", Math.Round(part.Fraction, 4));
                w.WriteNumber("uncertainty", Math.Round(part.Uncertainty, 4));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (result.Family is { } family)
            {
                w.WriteStartObject("family");
                w.WriteString("name", family.Name);
                Strings("hazardClasses", family.HazardClasses);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("family");
            }

            Strings("warnings", result.Warnings);
            w.WriteString("library", result.LibraryVersion);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
