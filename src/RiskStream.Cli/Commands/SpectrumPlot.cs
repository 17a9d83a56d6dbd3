using RiskStream.Raman.Processing;
using ScottPlot;
using SkiaSharp;

namespace RiskStream.Cli.Commands;

/// <summary>
/// What an inspector wants to see of an identification, as one PNG: above, the measured spectrum and the baseline
/// (fluorescence) removed from it; below, the preprocessed spectrum with the best references over it (the best scaled
/// onto it, the others offset below) and the bands where spectrum and best reference both peak marked and labelled.
/// </summary>
internal static class SpectrumPlot
{
    private const int Width = 1400, Height = 520;

    public static void Write(string path, string title, double[] x, double[] y, Prepared prepared, Identification result, Identifier identifier)
    {
        var measured = new Plot();
        measured.Title($"{title}: measured spectrum and removed baseline");
        measured.XLabel("Raman shift (cm⁻¹)");
        measured.YLabel("intensity (counts)");
        var raw = measured.Add.ScatterLine(x, y, Colors.SteelBlue);
        raw.LegendText = "measured";
        var axis = prepared.Axis[prepared.From..prepared.To];
        var baseline = measured.Add.ScatterLine(axis, prepared.Baseline[prepared.From..prepared.To], Colors.OrangeRed);
        baseline.LegendText = "baseline (fluorescence) removed";
        baseline.LineWidth = 2;
        measured.ShowLegend(Alignment.UpperRight);

        var compared = new Plot();
        var verdict = result.Unknown
            ? $"unknown: best {(result.Candidates.Count > 0 ? $"{result.Candidates[0].Name} at {result.Candidates[0].Score:F2}" : "none")}"
            : result.Mixture.Count > 0
                ? "mixture: " + string.Join(" + ", result.Mixture.Select(m => $"{m.Fraction:P0} {m.Name}"))
                : $"{result.Best!.Name} (CAS {result.Best.Cas ?? "?"}), score {result.Best.Score:F2}, margin {result.Margin:F2}";
        compared.Title($"{verdict}; library {result.LibraryVersion}");
        compared.XLabel("Raman shift (cm⁻¹)");
        compared.YLabel("preprocessed (unit norm), references offset");
        var query = prepared.Spectrum[prepared.From..prepared.To].Select(v => (double)v).ToArray();
        var spectrum = compared.Add.ScatterLine(axis, query, Colors.Black);
        spectrum.LegendText = "spectrum, preprocessed";
        spectrum.LineWidth = 1.5f;
        var top = query.Max();
        Color[] palette = [Colors.Crimson, Colors.SeaGreen, Colors.MediumPurple];
        for (var k = 0; k < Math.Min(3, result.Candidates.Count); k++)
        {
            var candidate = result.Candidates[k];
            var reference = identifier.Compared(candidate)[prepared.From..prepared.To];
            // The best is scaled onto the spectrum by its projection; the others are drawn below it.
            var scale = k == 0 ? Math.Max(0, query.Zip(reference, (q, r) => q * r).Sum()) : 1;
            var offset = k == 0 ? 0 : -k * 1.1 * top;
            var line = compared.Add.ScatterLine(axis, reference.Select(v => (v * scale) + offset).ToArray(), palette[k]);
            line.LegendText = $"{candidate.Name} ({candidate.Score:F2})";
            if (k == 0)
            {
                foreach (var band in MatchingBands(query, reference, axis))
                {
                    compared.Add.VerticalLine(band, 1, Colors.SeaGreen.WithAlpha(0.6), LinePattern.Dashed);
                    var label = compared.Add.Text($"{band:F0}", band, top * 1.05);
                    label.LabelFontSize = 11;
                    label.LabelFontColor = Colors.SeaGreen;
                }
            }
        }

        compared.ShowLegend(Alignment.LowerRight);

        using var surface = SKSurface.Create(new SKImageInfo(Width, Height * 2));
        surface.Canvas.Clear(SKColors.White);
        Draw(surface.Canvas, measured, 0);
        Draw(surface.Canvas, compared, Height);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, png.ToArray());
    }

    private static void Draw(SKCanvas canvas, Plot plot, int top)
    {
        using var part = SKSurface.Create(new SKImageInfo(Width, Height));
        plot.Render(part.Canvas, Width, Height);
        using var image = part.Snapshot();
        canvas.DrawImage(image, 0, top);
    }

    /// <summary>Positions where the reference has a band (a local maximum above a fifth of its highest) and the spectrum peaks within two points.</summary>
    internal static IReadOnlyList<double> MatchingBands(double[] query, double[] reference, double[] axis)
    {
        var bands = new List<double>();
        var rMax = reference.Max();
        var qMax = query.Max();
        for (var i = 2; i < reference.Length - 2; i++)
        {
            if (reference[i] < 0.2 * rMax || reference[i] < reference[i - 1] || reference[i] < reference[i + 1])
            {
                continue;
            }

            var near = Enumerable.Range(Math.Max(1, i - 2), Math.Min(query.Length - 2, i + 2) - Math.Max(1, i - 2) + 1)
                .Any(j => query[j] >= query[j - 1] && query[j] >= query[j + 1] && query[j] > 0.1 * qMax);
            if (near && (bands.Count == 0 || axis[i] - bands[^1] > 8))
            {
                bands.Add(axis[i]);
            }
        }

        return bands;
    }
}
