using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.DutyConsole;

/// <summary>
/// The park drawn from the registry's coordinates as inline SVG (no map tiles, nothing fetched): every site a dot,
/// the warning's site large, red and named, the sites of the enterprises it reaches orange (named on hover), with a
/// 1 km scale bar.
/// </summary>
internal static class ParkMap
{
    private const double Width = 640, Height = 360, Margin = 24;

    public static string Svg(ParkRegistry registry, WarningEvent e)
    {
        var sites = registry.SiteList;
        if (sites.Count == 0 || !registry.Sites.TryGetValue(e.Site, out var at))
        {
            return "";
        }

        // Equirectangular around the park's mean latitude: enough for a few kilometres.
        var lat0 = sites.Average(s => s.Lat);
        var k = Math.Cos(double.DegreesToRadians(lat0));
        double X(SiteDef s) => s.Lon * k;
        double minX = sites.Min(X), maxX = sites.Max(X), minY = sites.Min(s => s.Lat), maxY = sites.Max(s => s.Lat);
        // One scale for both axes (distances stay true), the park centred.
        var scale = Math.Min((Width - (2 * Margin)) / Math.Max(maxX - minX, 1e-4), (Height - (2 * Margin)) / Math.Max(maxY - minY, 1e-4));
        var offX = (Width - ((maxX - minX) * scale)) / 2;
        var offY = (Height - ((maxY - minY) * scale)) / 2;
        string Px(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        (double X, double Y) P(SiteDef s) => (offX + ((X(s) - minX) * scale), Height - offY - ((s.Lat - minY) * scale));

        var reached = e.Audiences.Where(a => a.Type == PartyType.Enterprise).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"map\" role=\"img\" aria-labelledby=\"map-title\" viewBox=\"0 0 {Px(Width)} {Px(Height)}\" width=\"{Px(Width)}\" height=\"{Px(Height)}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"map-title\">Map of the park: {Enc(at.Id)} in red, the sites of the enterprises this warning reaches in orange</title>");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"#f4f6f8\" stroke=\"#ccc\"/>");
        foreach (var s in sites.OrderBy(s => s == at ? 2 : reached.Contains(s.Enterprise.Id) ? 1 : 0))
        {
            var (x, y) = P(s);
            var (r, fill) = s == at ? (9, "#b00020") : reached.Contains(s.Enterprise.Id) ? (6, "#b34700") : (4, "#6b7280");
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Px(x)}\" cy=\"{Px(y)}\" r=\"{r}\" fill=\"{fill}\"><title>{Enc(s.Id)} ({Enc(s.Enterprise.Id)})</title></circle>");
            if (s == at)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Px(x + 11)}\" y=\"{Px(y + 4)}\" font-size=\"12\" fill=\"#1a1a1a\">{Enc(s.Id)}</text>");
            }
        }

        // Scale bar: 1 km (a degree of latitude is ~111.2 km).
        var km = scale / 111.2;
        if (km is > 4 and < Width)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Px(Margin)}\" y1=\"{Px(Height - 8)}\" x2=\"{Px(Margin + km)}\" y2=\"{Px(Height - 8)}\" stroke=\"#1a1a1a\" stroke-width=\"2\"/><text x=\"{Px(Margin + km + 4)}\" y=\"{Px(Height - 4)}\" font-size=\"11\" fill=\"#1a1a1a\">1 km</text>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Enc(string s) => HtmlEncoder.Default.Encode(s);
}
