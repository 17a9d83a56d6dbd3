using System.Text.Json;
using RiskStream.Raman.Formats;

namespace RiskStream.Raman.Processing;

/// <summary>
/// A family of substances that shows itself by a few shared bands before it shows the species (the nitrates by the
/// nitrate ion's bands, the aromatics by the benzene ring's). When the best match is a member, rests on the family's
/// bands and has no bands of its own to confirm it, the answer is the family, with its hazard classes.
/// </summary>
/// <param name="Name">How the answer reads, e.g. "a nitrate".</param>
/// <param name="Bands">The family's band windows, cm⁻¹ (from, to).</param>
/// <param name="Members">The library's substances that belong to it.</param>
public sealed record Family(string Name, IReadOnlyList<string> HazardClasses, IReadOnlyList<(double From, double To)> Bands, IReadOnlyList<string> Members)
{
    /// <summary>The file in a library's folder that declares its families.</summary>
    public const string FileName = "families.json";

    public bool Covers(double wavenumber) => Bands.Any(b => wavenumber >= b.From && wavenumber <= b.To);

    /// <summary>The families declared in <paramref name="folder"/> (none when it has no <see cref="FileName"/>), checked against the library's names.</summary>
    public static IReadOnlyList<Family> Load(string folder, IReadOnlyCollection<string> names)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path, names) : [];
    }

    public static IReadOnlyList<Family> Parse(string json, string path, IReadOnlyCollection<string> names)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("families", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new JcampException($"{path}: expected an object with a 'families' array");
            }

            var families = new List<Family>();
            var member = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in list.EnumerateArray())
            {
                var name = f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
                if (name.Length == 0)
                {
                    throw new JcampException($"{path}: a family without a name");
                }

                string Where() => $"{path}: family '{name}'";
                var classes = Strings(f, "hazardClasses", Where);
                var unknownClass = classes.FirstOrDefault(c => !Library.HazardClasses.Contains(c));
                if (unknownClass is not null)
                {
                    throw new JcampException($"{Where()}: hazard class '{unknownClass}' is not one of {string.Join(", ", Library.HazardClasses)}");
                }

                var members = Strings(f, "members", Where);
                foreach (var m in members)
                {
                    if (!names.Contains(m))
                    {
                        throw new JcampException($"{Where()}: member '{m}' is not a substance of the library");
                    }

                    if (!member.TryAdd(m, name))
                    {
                        throw new JcampException($"{Where()}: '{m}' is already a member of '{member[m]}'");
                    }
                }

                var bands = new List<(double, double)>();
                if (f.TryGetProperty("bands", out var b) && b.ValueKind == JsonValueKind.Array)
                {
                    foreach (var window in b.EnumerateArray())
                    {
                        var valid = window.ValueKind == JsonValueKind.Array && window.GetArrayLength() == 2
                            && window[0].ValueKind == JsonValueKind.Number && window[1].ValueKind == JsonValueKind.Number;
                        var (lo, hi) = valid ? (window[0].GetDouble(), window[1].GetDouble()) : (0, 0);
                        if (!valid || !(lo >= 0 && hi > lo && hi <= 5000))
                        {
                            throw new JcampException($"{Where()}: a band window is [from, to] in cm-1, 0 <= from < to <= 5000");
                        }

                        bands.Add((lo, hi));
                    }
                }

                if (bands.Count == 0 || members.Count == 0 || classes.Count == 0)
                {
                    throw new JcampException($"{Where()}: needs bands, members and hazard classes");
                }

                families.Add(new Family(name, classes.OrderBy(c => Library.HazardClasses.ToList().IndexOf(c)).ToArray(), bands, members));
            }

            return families;
        }
        catch (JsonException e)
        {
            throw new JcampException($"{path}: {e.Message}");
        }
    }

    private static List<string> Strings(JsonElement e, string property, Func<string> where)
    {
        if (!e.TryGetProperty(property, out var a) || a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new JcampException($"{where()}: '{property}' is a list of strings");
        }

        return a.EnumerateArray().Select(v => v.GetString()!.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }
}
