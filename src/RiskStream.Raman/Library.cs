using System.Globalization;
using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Raman;

/// <summary>
/// A reference library: one JCAMP-DX file per substance with TITLE, CAS REGISTRY NO and the user label
/// <c>##$HAZARD CLASSES=</c> (GHS: flammable, toxic, oxidiser, explosive, corrosive). Its version is the folder's
/// <c>VERSION</c> file if present, else a hash of the files, so an identification names exactly what it was made with.
/// </summary>
public static class Library
{
    public static (IReadOnlyList<Reference> References, string Version) Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new JcampException($"reference library folder '{folder}' does not exist");
        }

        var files = Directory.EnumerateFiles(folder, "*.jdx").Concat(Directory.EnumerateFiles(folder, "*.dx")).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new JcampException($"reference library folder '{folder}' holds no *.jdx files");
        }

        var references = files.Select(f => ToReference(Jcamp.Parse(File.ReadAllText(f), f))).ToList();
        var versionFile = Path.Combine(folder, "VERSION");
        var version = File.Exists(versionFile)
            ? File.ReadAllText(versionFile).Trim()
            : "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(files.SelectMany(File.ReadAllBytes).ToArray()))[..12].ToLowerInvariant();
        return (references, version);
    }

    public static Reference ToReference(JcampSpectrum s) => new(
        s.Title,
        s.Cas,
        (s.Headers.GetValueOrDefault("$HAZARDCLASSES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        s.X,
        s.Y);

    /// <summary>Reads a spectrum file: JCAMP-DX (.jdx, .dx) or two columns (wavenumber, intensity) separated by comma, tab, semicolon or spaces.</summary>
    public static (double[] X, double[] Y) ReadSpectrum(string path)
    {
        var text = File.ReadAllText(path);
        if (text.TrimStart().StartsWith("##", StringComparison.Ordinal))
        {
            var s = Jcamp.Parse(text, path);
            return (s.X, s.Y);
        }

        var xs = new List<double>();
        var ys = new List<double>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split([',', '\t', ';', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                || !double.IsFinite(x) || !double.IsFinite(y))
            {
                if (xs.Count == 0 && i == 0)
                {
                    continue; // a header row
                }

                throw new JcampException($"{path}:{i + 1}: expected two numbers (wavenumber, intensity), found '{line}'");
            }

            xs.Add(x);
            ys.Add(y);
        }

        if (xs.Count < 10)
        {
            throw new JcampException($"{path}: {xs.Count} points is not a spectrum");
        }

        if (xs.Count > 16_384)
        {
            throw new JcampException($"{path}: {xs.Count} points; at most 16,384 are accepted");
        }

        return (xs.ToArray(), ys.ToArray());
    }
}
