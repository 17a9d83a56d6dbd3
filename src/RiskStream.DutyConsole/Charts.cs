using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace RiskStream.DutyConsole;

/// <summary>
/// The charts of a warning's page as inline SVG drawn on the server (no script, nothing fetched): a sensor's last
/// 30 minutes against its alarm setpoints, and a Raman spectrum with its strongest bands marked.
/// </summary>
internal static class Charts
{
    private const double W = 640, H = 200, Left = 52, Right = 12, Top = 10, Bottom = 28;

    /// <summary>A sensor's readings from <paramref name="from"/> to <paramref name="until"/>; dashed setpoints, a line at the raise.</summary>
    public static string Readings(string id, string label, IReadOnlyList<(DateTimeOffset Ts, double Value)> points, double? first, double? second, DateTimeOffset raisedAt, DateTimeOffset from, DateTimeOffset until)
    {
        var lines = new[] { first, second }.Where(v => v is not null).Select(v => v!.Value).ToArray();
        var values = points.Select(p => p.Value).Concat(lines).ToArray();
        var lo = Math.Min(0, values.DefaultIfEmpty(0).Min());
        var hi = values.DefaultIfEmpty(1).Max();
        hi = hi <= lo ? lo + 1 : hi + ((hi - lo) * 0.08);
        double X(DateTimeOffset t) => Left + ((W - Left - Right) * (t - from).TotalMilliseconds / Math.Max(1, (until - from).TotalMilliseconds));
        double Y(double v) => Top + ((H - Top - Bottom) * (1 - ((v - lo) / (hi - lo))));

        var sb = Open(id, label);
        Axes(sb, lo, hi, Y);
        for (var m = 0; m <= 30; m += 10)
        {
            var t = until.AddMinutes(m - 30);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(X(t))}\" y=\"{P(H - 8)}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">{t.UtcDateTime:HH:mm}Z</text>");
        }

        foreach (var (v, colour) in new[] { (first, "#8a6d00"), (second, "#b00020") })
        {
            if (v is { } level)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(Left)}\" x2=\"{P(W - Right)}\" y1=\"{P(Y(level))}\" y2=\"{P(Y(level))}\" stroke=\"{colour}\" stroke-dasharray=\"6 4\"/>");
            }
        }

        if (raisedAt >= from && raisedAt <= until)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(X(raisedAt))}\" x2=\"{P(X(raisedAt))}\" y1=\"{P(Top)}\" y2=\"{P(H - Bottom)}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>");
        }

        if (points.Count > 0)
        {
            sb.Append("<polyline fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"1.6\" points=\"");
            foreach (var (ts, value) in points)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{P(X(ts))},{P(Y(value))} ");
            }

            sb.Append("\"/>");
        }

        return sb.Append("</svg>").ToString();
    }

    /// <summary>A spectrum (intensity against Raman shift), its <paramref name="bands"/> strongest local maxima marked with their shift.</summary>
    public static string Spectrum(string id, string label, double[] wavenumbers, double[] intensities, int bands = 5)
    {
        var n = Math.Min(wavenumbers.Length, intensities.Length);
        if (n < 2)
        {
            return "";
        }

        double x0 = wavenumbers.Take(n).Min(), x1 = wavenumbers.Take(n).Max();
        double lo = intensities.Take(n).Min(), hi = intensities.Take(n).Max();
        hi = hi <= lo ? lo + 1 : hi + ((hi - lo) * 0.12);
        double X(double w) => Left + ((W - Left - Right) * (w - x0) / Math.Max(1e-9, x1 - x0));
        double Y(double v) => Top + ((H - Top - Bottom) * (1 - ((v - lo) / (hi - lo))));

        var sb = Open(id, label);
        Axes(sb, lo, hi, Y);
        for (var k = 0; k <= 4; k++)
        {
            var w = x0 + ((x1 - x0) * k / 4);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(X(w))}\" y=\"{P(H - 8)}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">{w:0}</text>");
        }

        // At most ~600 drawn points: the highest of each stride, so no band is lost.
        var stride = Math.Max(1, n / 600);
        sb.Append("<polyline fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"1.2\" points=\"");
        for (var i = 0; i < n; i += stride)
        {
            var best = i;
            for (var j = i; j < Math.Min(n, i + stride); j++)
            {
                best = intensities[j] > intensities[best] ? j : best;
            }

            sb.Append(CultureInfo.InvariantCulture, $"{P(X(wavenumbers[best]))},{P(Y(intensities[best]))} ");
        }

        sb.Append("\"/>");
        foreach (var i in Peaks(intensities, n, bands))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(X(wavenumbers[i]))}\" y=\"{P(Y(intensities[i]) - 4)}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#b00020\">{wavenumbers[i]:0}</text>");
        }

        return sb.Append("</svg>").ToString();
    }

    /// <summary>The strongest local maxima, at least 4 % of the points apart.</summary>
    internal static IReadOnlyList<int> Peaks(double[] y, int n, int count)
    {
        var gap = Math.Max(3, n / 25); // labels ~4 % of the width apart: they do not overlap
        var chosen = new List<int>();
        foreach (var i in Enumerable.Range(1, n - 2).Where(i => y[i] >= y[i - 1] && y[i] >= y[i + 1]).OrderByDescending(i => y[i]))
        {
            if (chosen.All(c => Math.Abs(c - i) >= gap))
            {
                chosen.Add(i);
                if (chosen.Count == count)
                {
                    break;
                }
            }
        }

        return chosen;
    }

    private static StringBuilder Open(string id, string label) => new StringBuilder().Append(CultureInfo.InvariantCulture,
        $"<svg id=\"{Enc(id)}\" class=\"chart\" role=\"img\" aria-label=\"{Enc(label)}\" viewBox=\"0 0 {P(W)} {P(H)}\" width=\"{P(W)}\" height=\"{P(H)}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\" stroke=\"#ccc\"/>");

    private static void Axes(StringBuilder sb, double lo, double hi, Func<double, double> y)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(Left)}\" x2=\"{P(Left)}\" y1=\"{P(Top)}\" y2=\"{P(H - Bottom)}\" stroke=\"#555\"/><line x1=\"{P(Left)}\" x2=\"{P(W - Right)}\" y1=\"{P(H - Bottom)}\" y2=\"{P(H - Bottom)}\" stroke=\"#555\"/>");
        foreach (var v in new[] { lo, (lo + hi) / 2, hi })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(Left - 4)}\" y=\"{P(y(v) + 4)}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">{Number(v)}</text>");
        }
    }

    private static string Number(double v) => Math.Abs(v) >= 1000 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string P(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Enc(string s) => HtmlEncoder.Default.Encode(s);
}
