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

    /// <summary>The library in <paramref name="folder"/> as a search: its references, version and families.</summary>
    public static Processing.Identifier Open(string folder, Processing.IdentifyOptions? options = null)
    {
        var (references, version) = Load(folder);
        var families = Processing.Family.Load(folder, references.Select(r => r.Name).ToHashSet(StringComparer.Ordinal));
        return new Processing.Identifier(references, version, options, families);
    }

    public static string[] Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.jdx").Concat(Directory.EnumerateFiles(folder, "*.dx")).Order(StringComparer.Ordinal).ToArray();

    private static string Version(string folder, string[] files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var families = Path.Combine(folder, Processing.Family.FileName);
        foreach (var f in File.Exists(families) ? files.Append(families) : files)
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

        if (s.Cas is { } cas && !CasValid(cas))
        {
            throw new JcampException($"{where}: CAS registry number '{cas}' is not valid (digits-digits-check digit, and the check digit must match)");
        }

        var declared = (s.Headers.GetValueOrDefault("$HAZARDCLASSES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (declared.Length == 0)
        {
            // An unclassified reference would answer a toxic substance with no hazard at all: say it, or say none.
            throw new JcampException($"{where}: ##$HAZARD CLASSES= is missing or empty; give one or more of {string.Join(", ", HazardClasses)}, or none");
        }

        if (declared.Any(d => d.Equals("none", StringComparison.OrdinalIgnoreCase)) && declared.Length > 1)
        {
            throw new JcampException($"{where}: ##$HAZARD CLASSES= says none and names classes too");
        }

        var classes = new List<string>();
        foreach (var raw in declared.Where(d => !d.Equals("none", StringComparison.OrdinalIgnoreCase)))
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
            return new Reference(s.Title, s.Cas, classes, s.X, s.Y) { Bands = s.Peaks, Source = source, File = file, Measured = true, Instrument = s.Headers.GetValueOrDefault("$INSTRUMENT"), Laser = s.Headers.GetValueOrDefault("$LASERWAVELENGTH") };
        }

        var bands = s.Peaks.Select(p => p with { W = p.W > 0 ? p.W : 8 }).ToArray();
        return Rendered(s.Title, s.Cas, classes, bands) with { Source = source, File = file };
    }

    /// <summary>A CAS registry number: 2 to 7 digits, 2 digits, a check digit that is the weighted sum of the others (weights 1, 2, 3 … from the right) modulo 10.</summary>
    public static bool CasValid(string cas)
    {
        var parts = cas.Trim().Split('-');
        if (parts.Length != 3 || parts[0].Length is < 2 or > 7 || parts[1].Length != 2 || parts[2].Length != 1 || !parts.All(p => p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        var digits = parts[0] + parts[1];
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits.Length - i) * (digits[i] - '0');
        }

        return sum % 10 == parts[2][0] - '0';
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
    public static string Add(string folder, string file, bool replace) => Add(folder, file, replace, null, out _);

    /// <summary>
    /// What a measured reference needs beside its spectrum, when its file does not say it (a CSV says nothing): the
    /// substance, its CAS number, its hazard classes (or none), and the instrument and laser it was measured on.
    /// </summary>
    public sealed record MeasuredHeader(string? Name, string? Cas, string? HazardClasses, string? Instrument, string? Laser, string? Source);

    /// <summary>
    /// Adds a reference: a JCAMP-DX file (a band table, or a measured spectrum), or a measured spectrum as two columns
    /// (CSV), written as JCAMP-DX XYPOINTS with <paramref name="header"/>. A measured reference keeps its points as
    /// measured and must name its instrument and laser. <paramref name="replaced"/> says what a replacement changed.
    /// </summary>
    public static string Add(string folder, string file, bool replace, MeasuredHeader? header, out string? replaced)
    {
        replaced = null;
        var text = ReadText(file);
        string? rewritten = null;
        if (!text.TrimStart().StartsWith("##", StringComparison.Ordinal) || (header is not null && header != new MeasuredHeader(null, null, null, null, null, null)))
        {
            // A CSV (or a JCAMP-DX spectrum with its header given on the command line): written as JCAMP-DX, kept as measured.
            var (x, y) = ParseSpectrum(text, file);
            var existingHeaders = text.TrimStart().StartsWith("##", StringComparison.Ordinal) ? Jcamp.Parse(text, file).Headers : new Dictionary<string, string>();
            string? Pick(string? given, string key) => given ?? existingHeaders.GetValueOrDefault(key);
            rewritten = JcampWriter.WriteMeasured(
                Pick(header?.Name, "TITLE") ?? throw new JcampException($"{file}: a measured reference needs the substance's name (--name)"),
                Pick(header?.Cas, "CASREGISTRYNO"),
                Pick(header?.HazardClasses, "$HAZARDCLASSES") ?? throw new JcampException($"{file}: a measured reference needs its hazard classes (--hazard-classes, or none)"),
                Pick(header?.Instrument, "$INSTRUMENT") ?? throw new JcampException($"{file}: a measured reference needs the instrument it was measured on (--instrument)"),
                Pick(header?.Laser, "$LASERWAVELENGTH") ?? throw new JcampException($"{file}: a measured reference needs its laser wavelength (--laser, nm)"),
                Pick(header?.Source, "SOURCEREFERENCE"),
                x,
                y);
        }

        var parsed = Jcamp.Parse(rewritten ?? text, file);
        if (parsed.X.Length > 0 && (!parsed.Headers.ContainsKey("$INSTRUMENT") || !parsed.Headers.ContainsKey("$LASERWAVELENGTH")))
        {
            throw new JcampException($"{file}: a measured reference names its instrument and laser (##$INSTRUMENT=, ##$LASER WAVELENGTH=; or --instrument and --laser)");
        }

        var reference = ToReference(parsed, file);
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

        var slug = string.Concat(reference.Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        // A name without ASCII letters or digits (苯) is filed under its CAS number.
        slug = slug.Trim('-') is { Length: > 0 } s ? s : reference.Cas is { } c ? "cas-" + c : throw new JcampException($"{file}: '{reference.Name}' gives no file name (no ASCII letter or digit) and has no CAS number to file it under");
        var target = Path.Combine(folder, slug + ".jdx");
        if (File.Exists(target) && (existing.File is null || !string.Equals(Path.GetFullPath(existing.File), Path.GetFullPath(target), StringComparison.Ordinal)))
        {
            // Another substance's file has this name ("Xylene (mixed)" and "xylene mixed"): never written over.
            throw new JcampException($"{file}: '{reference.Name}' would be filed as {Path.GetFileName(target)}, which holds another reference; rename it (--name)");
        }

        if (existing.File is not null)
        {
            replaced = Changes(existing.Reference, reference, Path.GetFileName(existing.File));
        }

        // Written beside and moved into place: a failed write leaves the library as it was.
        var temporary = target + ".tmp";
        if (rewritten is not null)
        {
            File.WriteAllText(temporary, rewritten);
        }
        else
        {
            File.Copy(file, temporary, overwrite: true);
        }

        File.Move(temporary, target, overwrite: true);
        if (existing.File is not null && !string.Equals(Path.GetFullPath(existing.File), Path.GetFullPath(target), StringComparison.Ordinal))
        {
            File.Delete(existing.File);
        }

        return target;
    }

    /// <summary>What replacing <paramref name="old"/> by <paramref name="now"/> changes, for the user to read.</summary>
    private static string Changes(Reference old, Reference now, string file)
    {
        static string Kind(Reference r) => r.Measured ? $"a measured spectrum ({r.X.Length:N0} points)" : $"a band table ({r.Bands.Count} bands, rendered)";
        var changes = new List<string>();
        if (old.Name != now.Name)
        {
            changes.Add($"name '{old.Name}' → '{now.Name}'");
        }

        if (old.Cas != now.Cas)
        {
            changes.Add($"CAS {old.Cas ?? "none"} → {now.Cas ?? "none"}");
        }

        if (!old.HazardClasses.SequenceEqual(now.HazardClasses))
        {
            changes.Add($"hazard classes {Classes(old)} → {Classes(now)}");
        }

        changes.Add($"spectrum {Kind(old)} → {Kind(now)}");
        return $"replacing {file}: {string.Join("; ", changes)}";
    }

    private static string Classes(Reference r) => r.HazardClasses.Count == 0 ? "none" : string.Join(", ", r.HazardClasses);

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
