using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using RiskStream.Cli.Hosting;
using RiskStream.Raman;
using RiskStream.Raman.Processing;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream evaluate-raman [--library DIR] [--trials N] [--json]</c>: the library search and the ML.NET classifier
/// on the same simulated spectra (fixed seeds): top-1 at SNR 20 and 5, binary mixtures in the top 3, substances not in
/// the library reported unknown; and the speed of each on all cores, and of the search against 1,000 references.
/// </summary>
internal static class EvaluateRamanCommand
{
    public static Command Create()
    {
        var trials = CommonOptions.Int("--trials", "simulated measurements per substance", 6, 1, 1000);
        var json = CommonOptions.Json("print every figure as JSON");
        var measured = new Option<string>("--measured") { Description = "instead: identify the measured spectra of this folder, described by its manifest.json (file, substance, in_library, kind, library_title), and count what was right", HelpName = "DIR" };
        var command = new Command("evaluate-raman", "Accuracy of the library search and of an ML.NET classifier on the same simulated spectra (SNR 20 and 5, mixtures, substances not in the library), and their speed; or of the search on measured spectra (--measured).") { trials, json, measured };
        command.Options.Add(ConfigFlag.For("--library").Single());
        command.SetAction(parse => parse.GetValue(measured) is { } folder ? RunMeasured(parse, folder, parse.GetValue(json)) : Run(parse, parse.GetValue(trials), parse.GetValue(json)));
        return command;
    }

    private static int RunMeasured(ParseResult parse, string folder, bool json)
    {
        using var host = ProcessHost.For(parse);
        var search = LibraryCommand.Open(host.Options);
        List<Evaluation.MeasuredOutcome> outcomes;
        try
        {
            outcomes = Evaluation.Measured(search, folder);
        }
        catch (Exception e) when (e is Raman.Formats.JcampException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new Core.Options.OptionsException($"--measured {folder}: {e.Message}");
        }

        var library = outcomes.Where(o => o.Expected is not null).ToList();
        var strangers = outcomes.Where(o => o.Expected is null).ToList();
        var falseMixtures = outcomes.Count(o => o.FalseMixture);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                library = search.Version,
                spectra = outcomes.Count,
                librarySubstancesNamedFirst = new { correct = library.Count(o => o.Correct), of = library.Count, byFamily = library.Count(o => o.Correct && o.ByFamily) },
                strangersUnknownOrFamily = new { correct = strangers.Count(o => o.Correct), of = strangers.Count, byFamily = strangers.Count(o => o.ByFamily) },
                falseMixtures,
                outcomes = outcomes.Select(o => new { file = o.File, expected = o.Expected, answer = o.Answer, correct = o.Correct, warnings = o.Warnings }),
            }));
            return 0;
        }

        Console.Out.WriteLine($"library {search.Version}: {outcomes.Count} measured spectra in {folder}");
        foreach (var o in outcomes)
        {
            Console.Out.WriteLine($"  {(o.Correct ? "ok  " : "MISS")} {o.File,-36} {o.Expected ?? "(not in the library)",-22} → {o.Answer}{(o.Warnings.Count > 0 ? "  [" + string.Join("; ", o.Warnings.Select(w => w.Split(':')[0])) + "]" : "")}");
        }

        Console.Out.WriteLine($"  library substances named first: {library.Count(o => o.Correct)}/{library.Count} ({library.Count(o => o.Correct && o.ByFamily)} as their family's most likely member)");
        Console.Out.WriteLine($"  substances not in the library unknown or named only by a family: {strangers.Count(o => o.Correct)}/{strangers.Count} ({strangers.Count(o => o.ByFamily)} by a family)");
        Console.Out.WriteLine($"  pure spectra called mixtures: {falseMixtures}/{outcomes.Count}");
        return 0;
    }

    private static int Run(ParseResult parse, int trials, bool json)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var search = LibraryCommand.Open(options);
        var library = search.References.ToList();
        Verdict Search(double[] x, double[] y) => Evaluation.Of(search.Identify(x, y));

        var clock = Stopwatch.StartNew();
        var classifier = Classifier.Train(search, perClass: 40, seed: 1);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        Figure[] Figures(Func<double[], double[], Verdict> method) =>
        [
            Evaluation.Top1("top-1 at SNR 20", method, library, new Conditions(20), trials, seed: 20, bar: 0.98),
            Evaluation.Top1("top-1 at SNR 5", method, library, new Conditions(5), trials, seed: 5, bar: 0.90),
            Evaluation.Mixtures(method, library, new Conditions(20), trials * 25, seed: 2, bar: 0.90),
            Evaluation.Strangers(method, new Conditions(20), trials * 25, seed: 3, bar: 0.90),
        ];

        var searchFigures = Figures(Search);
        var classifierFigures = Figures(classifier.Classify);
        var cores = Environment.ProcessorCount;
        var (searchRate, largeRate) = Evaluation.Speeds(search, options.Raman, 2000, cores);
        var axis = Synthesis.Axis();
        var classifierRate = Evaluation.Throughput((x, y) => classifier.Rank(x, y), axis, Evaluation.Sample(library, axis, 2000, seed: 9), cores);

        if (json)
        {
            object Of(Figure[] f, double rate) => new
            {
                top1Snr20 = Math.Round(f[0].Rate, 4),
                top1Snr5 = Math.Round(f[1].Rate, 4),
                mixturesTop3 = Math.Round(f[2].Rate, 4),
                strangersUnknown = Math.Round(f[3].Rate, 4),
                spectraPerSec = Math.Round(rate),
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                library = search.Version,
                substances = library.Count,
                trials = new { perSubstance = trials, mixtures = searchFigures[2].Trials, strangers = searchFigures[3].Trials },
                cores,
                search = Of(searchFigures, searchRate),
                classifier = new { figures = Of(classifierFigures, classifierRate), trainSeconds = Math.Round(trainSeconds, 1), trainer = "LbfgsMaximumEntropy", perClass = 40 },
                search1000 = new { spectraPerSec = Math.Round(largeRate) },
            }));
        }
        else
        {
            Console.Out.WriteLine($"library {search.Version}: {library.Count} substances; {cores} cores; simulated spectra of 2,000 points, fixed seeds");
            Console.Out.WriteLine($"  {"figure",-55} {"bar",5} {"search",8} {"classifier",11}");
            for (var i = 0; i < searchFigures.Length; i++)
            {
                Console.Out.WriteLine($"  {searchFigures[i].Name + $" ({searchFigures[i].Trials})",-55} {searchFigures[i].Bar,5:P0} {searchFigures[i].Rate,8:P1} {classifierFigures[i].Rate,11:P1}");
            }

            Console.Out.WriteLine($"  {"spectra per second (all cores)",-55} {"",5} {searchRate,8:F0} {classifierRate,11:F0}");
            Console.Out.WriteLine($"  {"spectra per second, 1,000-reference library",-55} {"",5} {largeRate,8:F0}");
            Console.Out.WriteLine($"  classifier: ML.NET LbfgsMaximumEntropy on {40 * library.Count} simulated spectra, trained in {trainSeconds:F1} s");
        }

        return 0;
    }
}
