using System.Globalization;
using System.Security.Cryptography;
using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Raman;

/// <summary>
/// A reference library: one JCAMP-DX file per substance with TITLE, CAS REGISTRY NO and the user label
/// <c>##$HAZARD CLASSES=</c> (GHS: flammable, toxic, highly_toxic, oxidizer, explosive, corrosive). A reference is a
/// measured spectrum (XYDATA or XYPOINTS) or a table of published bands (<c>##PEAK TABLE=(XYW..XYW)</c>: position,
/// relative height, full width at half maximum), rendered as Lorentzian bands. The library's version is the folder's
/// <c>VERSION</c> label joined to a hash of every reference file, so an identification names exactly what it was made
/// with and adding a reference changes the version.
/// </summary>
public static class Library
{
    /// <summary>The hazard classes a reference may carry (GHS physical and health hazards that matter on site).</summary>
    public static readonly IReadOnlyList<string> HazardClasses = ["explosive", "highly_toxic", "toxic", "oxidizer", "flammable", "corrosive"];

    /// <summary>The axis peak-table references are rendered on (cm⁻¹).</summary>
    public const double RenderFrom = 100, RenderTo = 3500, RenderStep = 1;

    public static (IReadOnlyList<Reference> References, string Version) Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new JcampException($"reference library folder '{folder}' does not exist");
        }

        var files = Files(folder);
        if (files.Length == 0)
        {
            throw new JcampException($"reference library folder '{folder}' holds no *.jdx files");
        }

        var references = files.Select(f => ToReference(Jcamp.Parse(ReadText(f), f), f)).ToList();
        var duplicate = references.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new JcampException($"{duplicate.Last().File}: '{duplicate.Key}' is already in the library ({duplicate.First().File})");
        }

        return (references, Version(folder, files));
    }

    public static string[] Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.jdx").Concat(Directory.EnumerateFiles(folder, "*.dx")).Order(StringComparer.Ordinal).ToArray();

    private static string Version(string folder, string[] files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(f)));
            hash.AppendData(File.ReadAllBytes(f));
        }

        var digest = Convert.ToHexString(hash.GetHashAndReset())[..12].ToLowerInvariant();
        var versionFile = Path.Combine(folder, "VERSION");
        var label = File.Exists(versionFile) ? File.ReadAllText(versionFile).Trim() : "";
        return label.Length > 0 ? $"{label}+{digest}" : $"sha256:{digest}";
    }

    public static Reference ToReference(JcampSpectrum s, string? file = null)
    {
        var where = file ?? s.Title;
        if (string.IsNullOrWhiteSpace(s.Title))
        {
            throw new JcampException($"{where}: ##TITLE= is empty; a reference needs the substance's name");
        }

        var classes = new List<string>();
        foreach (var raw in (s.Headers.GetValueOrDefault("$HAZARDCLASSES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // British spelling accepted; GHS English writes "oxidizer".
            var c = raw.ToLowerInvariant().Replace(' ', '_') is "oxidiser" or "oxidising" or "oxidizing" ? "oxidizer" : raw.ToLowerInvariant().Replace(' ', '_');
            if (!HazardClasses.Contains(c))
            {
                throw new JcampException($"{where}: hazard class '{raw}' is not one of {string.Join(", ", HazardClasses)}");
            }

            classes.Add(c);
        }

        // Most severe first: what a single-class consumer should show.
        classes = classes.Distinct().OrderBy(c => HazardClasses.ToList().IndexOf(c)).ToList();
        var source = s.Headers.GetValueOrDefault("SOURCEREFERENCE");
        if (s.X.Length > 0)
        {
            return new Reference(s.Title, s.Cas, classes, s.X, s.Y) { Bands = s.Peaks, Source = source, File = file };
        }

        var bands = s.Peaks.Select(p => p with { W = p.W > 0 ? p.W : 8 }).ToArray();
        return Rendered(s.Title, s.Cas, classes, bands) with { Source = source, File = file };
    }

    /// <summary>A reference made from a band table, rendered on the library's 1 cm⁻¹ axis.</summary>
    public static Reference Rendered(string name, string? cas, IReadOnlyList<string> hazardClasses, IReadOnlyList<Peak> bands)
    {
        var axis = Enumerable.Range(0, (int)((RenderTo - RenderFrom) / RenderStep) + 1).Select(i => RenderFrom + (i * RenderStep)).ToArray();
        return new Reference(name, cas, hazardClasses, axis, Synthesis.Render(bands, axis)) { Bands = bands };
    }

    /// <summary>
    /// Checks a user's reference file and copies it into the library under a name made from its title; refuses one
    /// whose substance is already there unless <paramref name="replace"/>. Returns the path written.
    /// </summary>
    public static string Add(string folder, string file, bool replace)
    {
        var reference = ToReference(Jcamp.Parse(ReadText(file), file), file);
        if (reference.X.Length > 16_384)
        {
            throw new JcampException($"{file}: {reference.X.Length} points; at most 16,384 are accepted");
        }

        Directory.CreateDirectory(folder);
        var existing = Files(folder)
            .Select(f => (File: f, Reference: ToReference(Jcamp.Parse(ReadText(f), f), f)))
            .FirstOrDefault(e => string.Equals(e.Reference.Name, reference.Name, StringComparison.OrdinalIgnoreCase)
                || (reference.Cas is not null && reference.Cas == e.Reference.Cas));
        if (existing.File is not null && !replace)
        {
            throw new JcampException($"{file}: '{reference.Name}' (CAS {reference.Cas ?? "?"}) is already in the library as {Path.GetFileName(existing.File)} ('{existing.Reference.Name}'); give --replace to replace it");
        }

        if (existing.File is not null)
        {
            File.Delete(existing.File);
        }

        var slug = string.Concat(reference.Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        var target = Path.Combine(folder, slug.Trim('-') + ".jdx");
        File.Copy(file, target, overwrite: replace);
        return target;
    }

    private static (double[] X, double[] Y) ReadJson(string text, string path)
    {
        Core.Contracts.Spectrum? s;
        try
        {
            s = System.Text.Json.JsonSerializer.Deserialize(text, Core.Contracts.ContractJson.Default.Spectrum);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new JcampException($"{path}:{(e.LineNumber ?? 0) + 1}: not a spectrum message ({e.Path}): {e.Message.Split('.')[0]}");
        }
        catch (InvalidOperationException)
        {
            throw new JcampException($"{path}: a string holds an escape that is not valid UTF-16 (a lone surrogate)");
        }

        if (s?.Axis is { Count: > 16_384 or < 0 } axis)
        {
            throw new JcampException($"{path}: an axis of {axis.Count} points; at most 16,384 are accepted");
        }

        var y = s?.Intensities ?? throw new JcampException($"{path}: a spectrum message needs intensities");
        var x = s.Wavenumbers ?? (s.Axis is { } a ? Enumerable.Range(0, a.Count).Select(i => a.Start + (i * a.Step)).ToArray() : null)
            ?? throw new JcampException($"{path}: a spectrum message needs wavenumbers or axis");
        if (x.Length != y.Length || y.Length < 10)
        {
            throw new JcampException($"{path}: {x.Length} wavenumbers for {y.Length} intensities (at least 10 points, as many of each)");
        }

        if (y.Length > 16_384)
        {
            throw new JcampException($"{path}: {y.Length} points; at most 16,384 are accepted");
        }

        return (x, y);
    }

    /// <summary>
    /// Reads a spectrum file: JCAMP-DX (.jdx, .dx), the spectrum JSON of <c>riskstream.spectra</c>
    /// (<c>schemas/spectrum.v1.json</c>), or two columns (wavenumber, intensity) separated by comma, tab, semicolon or spaces.
    /// </summary>
    public static (double[] X, double[] Y) ReadSpectrum(string path) => ParseSpectrum(ReadText(path), path);

    /// <summary>A spectrum file's text (see <see cref="ReadSpectrum"/>); <see cref="JcampException"/> names what is wrong and where.</summary>
    public static (double[] X, double[] Y) ParseSpectrum(string text, string path)
    {
        if (text.TrimStart().StartsWith('{'))
        {
            return ReadJson(text, path);
        }

        if (text.TrimStart().StartsWith("##", StringComparison.Ordinal))
        {
            var s = Jcamp.Parse(text, path);
            return s.X.Length > 0 ? (s.X, s.Y) : throw new JcampException($"{path}: holds a peak table only; a spectrum to identify needs XYDATA or XYPOINTS");
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
            if (xs.Count > 16_384)
            {
                throw new JcampException($"{path}:{i + 1}: more than 16,384 points; at most 16,384 are accepted");
            }
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

    /// <summary>A spectrum or reference file's text, refused beyond <see cref="Jcamp.MaxChars"/> bytes before it is read.</summary>
    public static string ReadText(string path)
    {
        var length = new FileInfo(path).Length;
        return length <= Jcamp.MaxChars
            ? File.ReadAllText(path)
            : throw new JcampException($"{path}: {length} bytes; a spectrum file is at most {Jcamp.MaxChars}");
    }
}
