using RiskStream.Sensors.Models;
using ScottPlot;

namespace RiskStream.Cli.Commands;

/// <summary><c>evaluate --plot DIR</c>: the precision-recall curve, the calibration curve and the lead-time histogram as PNG.</summary>
internal static class EvaluationPlots
{
    private static readonly double[] Diagonal = [0, 1];

    public static void Write(string folder, string model, RiskEvaluation e)
    {
        Directory.CreateDirectory(folder);

        var pr = new Plot();
        pr.Title($"{model}: precision-recall (PR-AUC {e.PrAuc:F3})");
        pr.XLabel("recall");
        pr.YLabel("precision");
        pr.Add.ScatterLine(e.PrCurve.Select(p => p.Recall).ToArray(), e.PrCurve.Select(p => p.Precision).ToArray(), Colors.SteelBlue);
        pr.Axes.SetLimits(0, 1, 0, 1.02);
        pr.SavePng(Path.Combine(folder, "precision-recall.png"), 800, 600);

        var calibration = new Plot();
        calibration.Title($"{model}: calibration (observed share of hazardous readings by predicted risk)");
        calibration.XLabel("predicted risk");
        calibration.YLabel("observed hazardous share");
        calibration.Add.ScatterLine(Diagonal, Diagonal, Colors.Gray);
        var c = calibration.Add.Scatter(e.Calibration.Select(b => b.Predicted).ToArray(), e.Calibration.Select(b => b.Observed).ToArray(), Colors.Crimson);
        c.LegendText = "bins of 0.1";
        calibration.Axes.SetLimits(0, 1, 0, 1);
        calibration.SavePng(Path.Combine(folder, "calibration.png"), 800, 600);

        var leads = new Plot();
        leads.Title($"{model}: lead time before the second-level alarm (median {e.MedianLeadSecondsAllHazards:F0} s, {e.LeadTimes.Count} hazards)");
        leads.XLabel("seconds before the national second-level alarm");
        leads.YLabel("hazards");
        var bins = e.LeadTimes.GroupBy(l => (int)(l.Seconds / 10) * 10).OrderBy(g => g.Key).ToList();
        if (bins.Count > 0)
        {
            var bars = leads.Add.Bars(bins.Select(b => b.Key + 5.0).ToArray(), bins.Select(b => (double)b.Count()).ToArray());
            foreach (var bar in bars.Bars)
            {
                bar.Size = 9; // 10-second bins
            }
        }

        leads.SavePng(Path.Combine(folder, "lead-time.png"), 800, 600);
    }
}
