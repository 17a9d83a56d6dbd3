using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// Loads the YAML files people write (scenarios, silences) with bounds: a file is at most <see cref="MaxBytes"/>,
/// its nesting and its node count are limited, so a runaway or hostile file is refused with a message, never an
/// out-of-memory or a stack overflow.
/// </summary>
internal static class YamlFiles
{
    /// <summary>Largest YAML file read (a scenario file is a few kilobytes).</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Most nodes in one file (mappings, lists and scalars together).</summary>
    public const int MaxNodes = 20_000;

    /// <summary>Deepest nesting in one file.</summary>
    public const int MaxDepth = 32;

    /// <summary>Reads a file, refusing one beyond <see cref="MaxBytes"/>.</summary>
    public static string Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new ScenarioException($"{path}: {length} bytes; a YAML file here is at most {MaxBytes}");
        }

        return File.ReadAllText(path);
    }

    /// <summary>Parses text into its one YAML document, or null when it holds none.</summary>
    public static YamlNode? Document(string yaml, string source)
    {
        if (yaml.Length > MaxBytes)
        {
            throw new ScenarioException($"{source}: {yaml.Length} characters; a YAML file here is at most {MaxBytes}");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ScenarioException($"{source}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count > 1)
        {
            throw new ScenarioException($"{source}:{stream.Documents[1].RootNode.Start.Line}: one YAML document per file");
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is not null)
        {
            var nodes = 0;
            Check(root, 0, ref nodes, source);
        }

        return root;
    }

    private static void Check(YamlNode node, int depth, ref int nodes, string source)
    {
        if (++nodes > MaxNodes || depth > MaxDepth)
        {
            throw new ScenarioException($"{source}:{node.Start.Line}: more than {MaxNodes} nodes or deeper than {MaxDepth} levels");
        }

        var children = node switch
        {
            YamlMappingNode m => m.Children.SelectMany(kv => new[] { kv.Key, kv.Value }),
            YamlSequenceNode s => s.Children,
            _ => [],
        };
        foreach (var child in children)
        {
            Check(child, depth + 1, ref nodes, source);
        }
    }
}
