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

/// <summary><c>riskstream models list [--json] | use NAME VERSION | shadow risk VERSION|off</c>: the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json("print the registry as JSON");
        var list = new Command("list", "Every model version, the current one marked, with its card's figures.") { json };
        list.SetAction(parse => Run(parse, ["list"], parse.GetValue(json)));

        var name = new Argument<string>("NAME") { Description = "risk or anomaly" }.AcceptOnlyFromAmong("risk", "anomaly");
        var version = new Argument<string>("VERSION") { Description = "a version folder of models/<name>/" };
        var use = new Command("use", "Make a version current (checked first); a running pipeline swaps it in.") { name, version };
        use.SetAction(parse => Run(parse, ["use", parse.GetValue(name)!, parse.GetValue(version)!], false));

        var riskName = new Argument<string>("NAME") { Description = "risk" }.AcceptOnlyFromAmong("risk");
        var candidate = new Argument<string>("VERSION") { Description = "a version to score beside the served one, or off" };
        var shadow = new Command("shadow", "Score a candidate risk model beside the served one; their agreement is in /metrics.") { riskName, candidate };
        shadow.SetAction(parse => Run(parse, ["shadow", "risk", parse.GetValue(candidate)!], false));

        var command = new Command("models", "The model registry: the versions, the served ones, a shadow candidate.") { list, use, shadow };
        foreach (var sub in new[] { list, use, shadow })
        {
            sub.Options.Add(ConfigFlag.For("--models").Single());
        }

        return command;
    }

    private static int Run(ParseResult parse, string[] arguments, bool json)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var registry = new ModelRegistry(options.ModelsPath);
        switch (arguments)
        {
            case ["list"]:
                var all = registry.List().ToList();
                if (json)
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(all.Select(m => new { name = m.Name, version = m.Version, current = m.Current, schema = m.Card?.FeatureSchemaHash, threshold = m.Card?.Threshold, created = m.Card?.Created, metrics = m.Card?.Metrics })));
                    return 0;
                }

                Console.Out.WriteLine($"model registry {options.ModelsPath} (feature schema {Sensors.Features.FeatureSchema.Hash}):");
                foreach (var (name, version, card, current) in all)
                {
                    var metrics = card is null ? "card unreadable" : string.Join(", ", card.Metrics.Where(m => m.Key != "rows").Select(m => $"{m.Key} {m.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
                    Console.Out.WriteLine($"  {(current ? "*" : " ")} {$"{name}/{version}",-24} {(card?.FeatureSchemaHash == Sensors.Features.FeatureSchema.Hash ? "" : "OTHER SCHEMA ")}{card?.Created:yyyy-MM-dd HH:mm}  {metrics}");
                }

                return 0;
            case ["use", var name, var version]:
                try
                {
                    LoadedModel.Load(registry.Folder(name, version), name);
                }
                catch (ModelRefusedException e)
                {
                    throw new OptionsException($"not switching: {e.Message}");
                }

                registry.SetCurrent(name, version);
                Console.Out.WriteLine($"{name}/current = {version} (a running pipeline picks it up within RiskStream:Models:WatchInterval)");
                return 0;
            case ["shadow", "risk", "off"]:
                registry.SetShadow("risk", null);
                Console.Out.WriteLine("risk/shadow removed");
                return 0;
            case ["shadow", "risk", var candidate]:
                if (registry.Current("risk") == candidate)
                {
                    throw new OptionsException($"risk/{candidate} is the version being served: a shadow is a candidate beside it, not itself");
                }

                try
                {
                    LoadedModel.Load(registry.Folder("risk", candidate), "risk");
                }
                catch (ModelRefusedException e)
                {
                    throw new OptionsException($"not a shadow: {e.Message}");
                }

                registry.SetShadow("risk", candidate);
                Console.Out.WriteLine($"risk/shadow = {candidate}: scored beside risk/{registry.Current("risk") ?? "(none)"}, agreement in riskstream_model_shadow_readings_total");
                return 0;
            default:
                throw new OptionsException("usage: riskstream models list [--json] | models use NAME VERSION | models shadow risk VERSION|off");
        }
    }
}
