using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Options;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Models;
using RiskStream.Simulation;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream train risk|anomaly --data FILE --out DIR [--seed N] [--threshold T] [--use]</c>.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var kind = new Argument<string>("MODEL") { Description = "risk (the hazard classifier) or anomaly (the sensor-fault detector)" }.AcceptOnlyFromAmong("risk", "anomaly");
        var data = new Option<string>("--data") { Description = "the training data (riskstream dataset): CSV or Parquet", HelpName = "FILE", Required = true };
        var output = new Option<string>("--out") { Description = "the model's folder, models/<name>/<version>", HelpName = "DIR", Required = true };
        var threshold = ModelOptions.Threshold("the risk model's operating threshold (default 0.99)");
        var use = new Option<bool>("--use") { Description = "make it the current version" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace a version already written there (never the one being served, nor the shadow)" };
        var command = new Command("train", "Train a model with a fixed seed, reporting every tenth tree and then the held-out operating curve: model.zip and card.json. A version once written is kept: another folder, or --overwrite.") { kind, data, output, threshold, use, overwrite };
        command.Options.Add(ConfigFlag.For("--seed").Single());
        command.SetAction(parse => Run(parse, parse.GetValue(kind)!, parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(threshold), parse.GetValue(use), parse.GetValue(overwrite)));
        return command;
    }

    private static int Run(ParseResult parse, string kind, string data, string output, double? threshold, bool use, bool overwrite)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var version = Path.GetFileName(Path.TrimEndingDirectorySeparator(output));
        Refuse(kind, output, version, overwrite);
        var rows = ModelOptions.ReadData(data, host);
        var seed = options.Simulation.Seed;
        var trainingData = new TrainingData(Path.GetFileName(data), Sensors.Models.Dataset.Fingerprint(data), rows.Count, rows.Count(r => r.Hazard), 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Progress(string m) => host.Log.LogInformation("train {Kind}: {Message} ({Seconds:F1} s)", kind, m, clock.Elapsed.TotalSeconds);
        var trained = kind == "risk"
            ? RiskTrainer.TrainRisk(rows, version, seed, trainingData, TimeProvider.System, Progress, threshold ?? RiskTrainer.DefaultThreshold)
            : RiskTrainer.TrainAnomaly(rows, version, seed, trainingData, TimeProvider.System, Progress);
        LoadedModel.Save(trained, output);
        Console.Out.WriteLine($"{trained.Card.Tag}: {output} in {clock.Elapsed.TotalSeconds:F1} s; threshold {trained.Card.Threshold.ToString("G4", CultureInfo.InvariantCulture)}; held out: {string.Join(", ", trained.Card.Metrics.Select(m => $"{m.Key} {m.Value.ToString("G4", CultureInfo.InvariantCulture)}"))}");
        if (use)
        {
            var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(output)))!;
            new ModelRegistry(root).SetCurrent(kind, version);
            Console.Out.WriteLine($"{kind}/current = {version}");
        }

        return 0;
    }

    /// <summary>
    /// A version, once written, is never written over without --overwrite, and never the one being served or
    /// shadowed (a model that is not in the folder its card names cannot be told apart from the one that was).
    /// </summary>
    private static void Refuse(string kind, string output, string version, bool overwrite)
    {
        if (!File.Exists(Path.Combine(output, "model.zip")) && !File.Exists(Path.Combine(output, "card.json")))
        {
            return;
        }

        var registry = new ModelRegistry(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(output)))!);
        if (registry.Current(kind) == version || registry.Shadow(kind) == version)
        {
            throw new Core.Options.OptionsException($"{output} is the {kind} version being served (or shadowed): train into a new version's folder");
        }

        if (!overwrite)
        {
            throw new Core.Options.OptionsException($"{output} already holds a trained model: train into a new version's folder, or pass --overwrite to replace it");
        }
    }
}
