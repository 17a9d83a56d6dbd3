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

/// <summary><c>riskstream models list [--json] | use NAME VERSION | shadow risk VERSION|off | promote risk VERSION --data FILE</c>: the model registry.</summary>
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

        var promoteName = new Argument<string>("NAME") { Description = "risk" }.AcceptOnlyFromAmong("risk");
        var promoteVersion = new Argument<string>("VERSION") { Description = "the candidate: a version folder of models/risk/" };
        var against = new Option<string>("--against") { Description = "the version to beat: current (the served one) or a version", HelpName = "VERSION", DefaultValueFactory = _ => "current" };
        var data = new Option<string>("--data") { Description = "held-out data both are evaluated on (CSV or Parquet; not the candidate's training data)", HelpName = "FILE", Required = true };
        var anomaly = new Option<string>("--anomaly") { Description = "the fault detector's folder (default: the current anomaly model)", HelpName = "DIR" };
        var shadowMetrics = new Option<string>("--shadow-metrics") { Description = "a running pipeline's /metrics URL: the candidate's agreement there as the shadow goes into the comparison", HelpName = "URL" };
        var check = new Option<bool>("--check") { Description = "evaluate and record the comparison, switch nothing" };
        var promote = new Command("promote", "Evaluate a candidate and the served model on the same held-out data; make the candidate current only if no figure is worse beyond its tolerance; the comparison goes into the candidate's card.") { promoteName, promoteVersion, against, data, anomaly, shadowMetrics, check };
        promote.SetAction(parse => Promote(parse, parse.GetValue(promoteVersion)!, parse.GetValue(against)!, parse.GetValue(data)!, parse.GetValue(anomaly), parse.GetValue(shadowMetrics), parse.GetValue(check)));
        foreach (var flag in ConfigFlag.For("--max-pr-auc-drop", "--max-false-warnings-rise", "--max-lead-drop"))
        {
            promote.Options.Add(flag);
        }

        var profileVersion = new Argument<string>("VERSION") { Description = "a version folder of models/risk/" };
        var profileData = new Option<string>("--data") { Description = "the data it was trained on (CSV or Parquet); its features' deciles become the drift reference", HelpName = "FILE", Required = true };
        var profile = new Command("profile", "Write each feature's training distribution into a risk model's card (train does it; this is for models trained before), the reference of the drift index.") { new Argument<string>("NAME") { Description = "risk" }.AcceptOnlyFromAmong("risk"), profileVersion, profileData };
        profile.SetAction(parse => Profile(parse, parse.GetValue(profileVersion)!, parse.GetValue(profileData)!));

        var command = new Command("models", "The model registry: the versions, the served ones, a shadow candidate, the promotion gate, the drift reference.") { list, use, shadow, promote, profile };
        foreach (var sub in new[] { list, use, shadow, promote, profile })
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

                var replaced = registry.Current(name);
                registry.SetCurrent(name, version);
                Console.Out.WriteLine($"{name}/current = {version} (a running pipeline picks it up within RiskStream:Models:WatchInterval)");
                var passed = replaced is not null && replaced != version && name == "risk" && ModelCard.Read(Path.Combine(registry.Folder(name, version), "card.json")).Promotions.Any(p => p.Passed && p.Against == $"{name}/{replaced}");
                if (replaced is not null && replaced != version && !passed)
                {
                    // Allowed (a rollback, an urgent fix), but never silently.
                    var why = name == "risk" ? $"it has not passed the promotion gate against {name}/{replaced} (riskstream models promote)" : "anomaly models have no promotion gate";
                    Console.Out.WriteLine($"deliberate override: {name}/{version} replaces {name}/{replaced}; {why}");
                    host.Log.LogWarning("models use: deliberate override, {Model} replaces {Replaced} without passing the promotion gate", $"{name}/{version}", $"{name}/{replaced}");
                }

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
                throw new OptionsException("usage: riskstream models list [--json] | models use NAME VERSION | models shadow risk VERSION|off | models promote risk VERSION --data FILE");
        }
    }

    private static int Promote(ParseResult parse, string version, string against, string data, string? anomalyFolder, string? shadowMetrics, bool check)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var registry = new ModelRegistry(options.ModelsPath);
        var served = against == "current" ? registry.Current("risk") ?? throw new OptionsException("no current risk model to compare with: make one current with riskstream models use") : against;
        if (served == version)
        {
            throw new OptionsException($"risk/{version} is the version it would replace: compare a candidate with another version");
        }

        LoadedModel candidate, incumbent;
        LoadedModel? anomaly;
        try
        {
            candidate = LoadedModel.Load(registry.Folder("risk", version), "risk");
            incumbent = LoadedModel.Load(registry.Folder("risk", served), "risk");
            var anomalyDir = anomalyFolder ?? (registry.Current("anomaly") is { } v ? registry.Folder("anomaly", v) : null);
            anomaly = anomalyDir is null ? null : LoadedModel.Load(anomalyDir, "anomaly");
        }
        catch (ModelRefusedException e)
        {
            throw new OptionsException(e.Message);
        }

        var fingerprint = Dataset.Fingerprint(data);
        if (candidate.Card.Data.Fingerprint == fingerprint)
        {
            throw new OptionsException($"{data} is the data risk/{version} was trained on: the gate needs held-out data");
        }

        var rows = ModelOptions.ReadData(data, host);
        Console.Error.WriteLine($"fault detector: {(anomaly is null ? "none" : anomaly.Card.Tag)}; evaluating risk/{version} and risk/{served} on {rows.Count:N0} rows of {Path.GetFileName(data)}");
        var c = PromotionFigures.Of(ModelEvaluation.Run(candidate, anomaly, rows));
        var s = PromotionFigures.Of(ModelEvaluation.Run(incumbent, anomaly, rows));
        var tolerances = new PromotionTolerances(options.PromoteMaxPrAucDrop, options.PromoteMaxFalseWarningsRise, options.PromoteMaxLeadDropSeconds);
        var reasons = PromotionGate.Reasons(c, s, tolerances);
        var (agreement, readings) = shadowMetrics is null ? (null, null) : ShadowAgreement(shadowMetrics, served, version);
        var record = new PromotionRecord($"risk/{served}", Path.GetFileName(data), fingerprint, TimeProvider.System.GetUtcNow(), c, s, tolerances, reasons.Count == 0, reasons)
        {
            ShadowAgreement = agreement,
            ShadowReadings = readings,
        };
        var cardPath = Path.Combine(registry.Folder("risk", version), "card.json");
        var card = ModelCard.Read(cardPath);
        (card with { Promotions = [.. card.Promotions, record] }).Write(cardPath);

        Console.Out.WriteLine(FormattableString.Invariant($"""
                                    {"risk/" + version,-22} {"risk/" + served,-22} tolerance
            PR-AUC                  {c.PrAuc,-22:F4} {s.PrAuc,-22:F4} -{tolerances.PrAucDrop}
            false warnings /1000 h  {c.FalseWarningsPer1000SensorHours,-22:F3} {s.FalseWarningsPer1000SensorHours,-22:F3} +{tolerances.FalseWarningsRise}
            median lead, leak ramps {c.MedianLeadSecondsLeakRamp,-22:F1} {s.MedianLeadSecondsLeakRamp,-22:F1} -{tolerances.LeadDropSeconds} s
            faults as health        {c.FaultsAsHealthShare,-22:P1} {s.FaultsAsHealthShare,-22:P1} (shown, not gated)
            """));
        Console.Out.WriteLine(agreement is { } a
            ? FormattableString.Invariant($"shadow agreement over recorded traffic: {a:P2} of {readings:N0} readings")
            : shadowMetrics is null ? "shadow agreement: not asked for (--shadow-metrics URL)" : $"shadow agreement: the pipeline at {shadowMetrics} scored no reading with risk/{version} as the shadow of risk/{served}");
        Console.Out.WriteLine($"comparison written to {cardPath}");
        if (reasons.Count > 0)
        {
            Console.Error.WriteLine($"refused: risk/{version} is worse than risk/{served} beyond tolerance:");
            foreach (var r in reasons)
            {
                Console.Error.WriteLine($"  {r}");
            }

            Console.Error.WriteLine("risk/current is unchanged (riskstream models use overrides the gate deliberately, and says so)");
            return 1;
        }

        if (check)
        {
            Console.Out.WriteLine($"passed; --check: risk/current stays {served}");
            return 0;
        }

        registry.SetCurrent("risk", version);
        Console.Out.WriteLine($"passed: risk/current = {version} (was {served}); a running pipeline picks it up within RiskStream:Models:WatchInterval");
        return 0;
    }

    private static int Profile(ParseResult parse, string version, string data)
    {
        using var host = ProcessHost.For(parse);
        var registry = new ModelRegistry(host.Options.ModelsPath);
        string cardPath = "";
        ModelCard card;
        try
        {
            cardPath = Path.Combine(registry.Folder("risk", version), "card.json");
            card = ModelCard.Read(cardPath);
        }
        catch (ModelRefusedException e)
        {
            throw new OptionsException(e.Message);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            throw new OptionsException($"{cardPath}: {e.Message}");
        }

        var fingerprint = Dataset.Fingerprint(data);
        var rows = ModelOptions.ReadData(data, host);
        // The training part only, as train splits it (the held-out last fifth by time is not what it learned from).
        var training = RiskTrainer.Split(rows).Train;
        (card with { Distributions = FeatureDistribution.Of(training) }).Write(cardPath);
        Console.Out.WriteLine(fingerprint == card.Data.Fingerprint
            ? $"risk/{version}: the distribution of {training.Count:N0} training rows of {Path.GetFileName(data)} (its training data) written to {cardPath}"
            : $"risk/{version}: the distribution of {training.Count:N0} rows of {Path.GetFileName(data)} written to {cardPath}; NOT its training data ({card.Data.File}, {card.Data.Fingerprint}): drift is measured against this data");
        return 0;
    }

    /// <summary>The share of agreeing readings of one served/shadow pair of versions in a pipeline's /metrics (labelled by version), and how many it scored.</summary>
    private static (double?, long?) ShadowAgreement(string url, string served, string shadow)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new OptionsException($"--shadow-metrics '{url}' is not an http(s) URL");
        }

        string text;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = 16 << 20 };
            text = http.GetStringAsync(uri).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new OptionsException($"--shadow-metrics {url}: {e.Message}");
        }

        double agree = 0, total = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("riskstream_model_shadow_readings_total{", StringComparison.Ordinal)
                && line.Contains($"served=\"{served}\"", StringComparison.Ordinal) && line.Contains($"shadow=\"{shadow}\"", StringComparison.Ordinal)
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                total += n;
                agree += line.Contains("outcome=\"agree\"", StringComparison.Ordinal) ? n : 0;
            }
        }

        return total == 0 ? (null, null) : (Math.Round(agree / total, 4), (long)total);
    }
}
