using Microsoft.ML;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>
/// The model registry: <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/</c> (model.zip, card.json) and
/// <c>&lt;root&gt;/&lt;name&gt;/current</c> naming the version served.
/// </summary>
public class ModelRegistry(string root)
{
    public string Root { get; } = root;

    /// <summary>The folder of a version; a name that is not one path segment of letters, digits, '.', '-' and '_' (say "../x") is refused.</summary>
    public string Folder(string name, string version) =>
        IsVersionName(version)
            ? Path.Combine(Root, name, version)
            : throw new ModelRefusedException($"'{new string([.. version.Take(100).Where(c => !char.IsControl(c))])}' is not a version name (letters, digits, '.', '-', '_'; one folder of models/{name}/)");

    /// <summary>One path segment of letters, digits, '.', '-' and '_', at most 100 characters, not "." or "..".</summary>
    public static bool IsVersionName(string version) =>
        version.Length is > 0 and <= 100 && version is not ("." or "..") && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>The version <c>current</c> names, or null if there is none.</summary>
    public virtual string? Current(string name)
    {
        var path = Path.Combine(Root, name, "current");
        return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } v ? v : null : null;
    }

    /// <summary>Points <c>current</c> at a version (written whole and renamed, so a reader never sees half a name).</summary>
    public void SetCurrent(string name, string version) => WritePointer(name, "current", version);

    /// <summary>The candidate version <c>shadow</c> names (scored beside the current one, never served), or null.</summary>
    public string? Shadow(string name)
    {
        var path = Path.Combine(Root, name, "shadow");
        return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } v ? v : null : null;
    }

    /// <summary>Names a shadow candidate, or removes it (null).</summary>
    public void SetShadow(string name, string? version)
    {
        if (version is null)
        {
            File.Delete(Path.Combine(Root, name, "shadow"));
            return;
        }

        WritePointer(name, "shadow", version);
    }

    private void WritePointer(string name, string pointer, string version)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{pointer}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, version + "\n");
        File.Move(temp, Path.Combine(folder, pointer), overwrite: true);
    }

    /// <summary>
    /// What a version's files are now (names, sizes, last writes): a refused version whose stamp changed is tried again.
    /// A folder that cannot be read has the stamp of its error.
    /// </summary>
    public static string Stamp(string folder)
    {
        try
        {
            return string.Join('|', new DirectoryInfo(folder).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => FormattableString.Invariant($"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable: " + e.GetType().Name;
        }
    }

    /// <summary>Every model and version with its card (null where the card does not read), newest first.</summary>
    public IEnumerable<(string Name, string Version, ModelCard? Card, bool Current)> List()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        foreach (var nameDir in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(nameDir);
            var current = Current(name);
            foreach (var versionDir in Directory.EnumerateDirectories(nameDir).OrderDescending(StringComparer.Ordinal))
            {
                if (!File.Exists(Path.Combine(versionDir, "card.json")) && !File.Exists(Path.Combine(versionDir, "model.zip")))
                {
                    continue;
                }

                ModelCard? card = null;
                try
                {
                    card = ModelCard.Read(Path.Combine(versionDir, "card.json"));
                }
                catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
                {
                    card = null;
                }

                var version = Path.GetFileName(versionDir);
                yield return (name, version, card, version == current);
            }
        }
    }
}
