using System.Globalization;

namespace RiskStream.Raman.Formats;

/// <summary>A spectrum read from JCAMP-DX: header fields, the points (x in XUNITS, y in YUNITS) and any peak table.</summary>
public sealed record JcampSpectrum(
    IReadOnlyDictionary<string, string> Headers,
    double[] X,
    double[] Y,
    IReadOnlyList<Peak> Peaks)
{
    public string Title => Headers.GetValueOrDefault("TITLE", "");

    public string? Cas => Headers.GetValueOrDefault("CASREGISTRYNO");

    public string XUnits => Headers.GetValueOrDefault("XUNITS", "");

    public string YUnits => Headers.GetValueOrDefault("YUNITS", "");
}
