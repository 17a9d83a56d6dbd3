using System.Collections.Frozen;

namespace RiskStream.DutyConsole;

/// <summary>The console's static files, shipped inside the assembly (nothing is fetched from elsewhere).</summary>
internal static class Assets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> All = Load();

    public static (byte[] Bytes, string ContentType)? Get(string name) => All.TryGetValue(name, out var asset) ? asset : null;

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(Assets).Assembly;
        var found = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource["assets/".Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            found[name] = (copy.ToArray(), type);
        }

        return found.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
