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

/// <summary><c>riskstream evaluate --model DIR --data FILE [--anomaly DIR] [--threshold T] [--json] [--plot DIR]</c>.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "the risk model's folder", HelpName = "DIR", Required = true };
        var data = new Option<string>("--data") { Description = "held-out data (riskstream dataset): CSV or Parquet", HelpName = "FILE", Required = true };
        var anomalyOption = new Option<string>("--anomaly") { Description = "the fault detector's folder (default: the current anomaly model)", HelpName = "DIR" };
        var thresholdOption = ModelOptions.Threshold("another operating point than the card's");
        var json = CommonOptions.Json("print every figure as JSON");
        var plot = new Option<string>("--plot") { Description = "write the PR curve, calibration and lead-time plots into this folder", HelpName = "DIR" };
        var command = new Command("evaluate", "A risk model on a dataset: PR-AUC, ROC-AUC, precision/recall, confusion, false warnings per 1,000 sensor-hours, lead time before the second-level alarm, faults seen as sensor health.") { model, data, anomalyOption, thresholdOption, json, plot };
        command.Options.Add(ConfigFlag.For("--models").Single());
        command.SetAction(parse => Run(parse, parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(anomalyOption), parse.GetValue(thresholdOption), parse.GetValue(json), parse.GetValue(plot)));
        return command;
    }

    private static int Run(ParseResult parse, string modelDir, string data, string? anomalyFolder, double? thresholdOverride, bool json, string? plots)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        LoadedModel risk;
        LoadedModel? anomaly;
        try
        {
            risk = LoadedModel.Load(modelDir, "risk");
            var registry = new ModelRegistry(options.ModelsPath);
            var anomalyDir = anomalyFolder ?? (registry.Current("anomaly") is { } v ? registry.Folder("anomaly", v) : null);
            anomaly = anomalyDir is null ? null : LoadedModel.Load(anomalyDir, "anomaly");
        }
        catch (ModelRefusedException refused)
        {
            throw new OptionsException(refused.Message);
        }

        // Which fault detector judged "faults seen as sensor health": named, since it was borrowed from elsewhere.
        Console.Error.WriteLine(anomaly is null
            ? "fault detector: none (no --anomaly and no current anomaly model): faults are not told apart"
            : $"fault detector: {anomaly.Card.Tag} ({(anomalyFolder is null ? "the current anomaly model" : anomalyFolder)})");
        var threshold = thresholdOverride ?? risk.Card.Threshold;
        var rows = ModelOptions.ReadData(data, host);
        var e = ModelEvaluation.Run(risk, anomaly, rows, threshold);
        if (plots is not null)
        {
            EvaluationPlots.Write(plots, risk.Card.Tag, e);
            host.Log.LogInformation("evaluate: plots written to {Folder}", plots);
        }

        if (json)
        {
            PrintJson(risk, anomaly, data, e);
        }
        else
        {
            PrintText(risk, anomaly, data, e);
        }

        return 0;
    }

    private static void PrintJson(LoadedModel risk, LoadedModel? anomaly, string data, RiskEvaluation e)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            model = risk.Card.Tag,
            anomaly = anomaly?.Card.Tag,
            data = Path.GetFileName(data),
            rows = e.Rows,
            positives = e.Positives,
            prAuc = Math.Round(e.PrAuc, 4),
            rocAuc = Math.Round(e.RocAuc, 4),
            threshold = e.Threshold,
            precision = Math.Round(e.Confusion.Precision, 4),
            recall = Math.Round(e.Confusion.Recall, 4),
            confusion = new { tp = e.Confusion.TruePositives, fp = e.Confusion.FalsePositives, tn = e.Confusion.TrueNegatives, fn = e.Confusion.FalseNegatives },
            sensorHours = Math.Round(e.SensorHours, 1),
            falseAlarms = e.FalseAlarms,
            falseAlarmsPer1000SensorHours = Math.Round(e.FalseAlarmsPer1000SensorHours, 3),
            falseWarnings = e.FalseWarnings.Select(f => new { ts = DateTimeOffset.FromUnixTimeMilliseconds(f.TsMs), site = f.Site, sensor = f.Sensor, kind = f.Kind, value = f.Value, risk = Math.Round(f.Risk, 4) }),
            hazardsReachingSecondLevel = e.LeadTimes.Count,
            leakRampsReachingSecondLevel = e.LeadTimes.Count(l => l.Event == "leak_ramp"),
            medianLeadSecondsLeakRamp = Math.Round(e.MedianLeadSecondsLeakRamp, 1),
            medianLeadSecondsAllHazards = Math.Round(e.MedianLeadSecondsAllHazards, 1),
            modelFirstShare = e.LeadTimes.Count == 0 ? 0 : Math.Round(e.LeadTimes.Count(l => l.ModelFirst) / (double)e.LeadTimes.Count, 4),
            faults = e.Faults,
            faultsAsHealth = e.FaultsReportedAsHealth,
            faultsAsHazard = e.FaultsReportedAsHazard,
            faultsAsHealthShare = Math.Round(e.FaultsAsHealthShare, 4),
        }));
    }

    private static void PrintText(LoadedModel risk, LoadedModel? anomaly, string data, RiskEvaluation e)
    {
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {risk.Card.Tag}{(anomaly is null ? "" : " with " + anomaly.Card.Tag)} on {Path.GetFileName(data)}: {e.Rows:N0} rows, {e.Positives:N0} hazardous, {e.SensorHours:F1} sensor-hours
            PR-AUC {e.PrAuc:F4}   ROC-AUC {e.RocAuc:F4}   (bar PR-AUC ≥ 0.95)
            at threshold {e.Threshold}: precision {e.Confusion.Precision:F4}, recall {e.Confusion.Recall:F4}
            confusion: TP {e.Confusion.TruePositives:N0}  FP {e.Confusion.FalsePositives:N0}  TN {e.Confusion.TrueNegatives:N0}  FN {e.Confusion.FalseNegatives:N0}
            false hazard warnings: {e.FalseAlarms} = {e.FalseAlarmsPer1000SensorHours:F2} per 1,000 sensor-hours (bar ≤ 1)
            lead time before the second-level alarm: median {e.MedianLeadSecondsLeakRamp:F1} s on {e.LeadTimes.Count(l => l.Event == "leak_ramp")} leak ramps (bar ≥ 30 s), {e.MedianLeadSecondsAllHazards:F1} s on all {e.LeadTimes.Count} hazards reaching it; model first on {e.LeadTimes.Count(l => l.ModelFirst)}
            sensor faults: {e.FaultsReportedAsHealth} of {e.Faults} reported as sensor health and not as hazards ({e.FaultsAsHealthShare:P1}, bar ≥ 95 %); {e.FaultsReportedAsHazard} taken for hazards
            """));
        foreach (var f in e.FalseWarnings.Take(20))
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  false warning at {DateTimeOffset.FromUnixTimeMilliseconds(f.TsMs):yyyy-MM-dd HH:mm:ss}: {f.Site}/{f.Sensor} ({f.Kind}) value {f.Value:G5}, risk {f.Risk:F4}"));
        }
    }
}
