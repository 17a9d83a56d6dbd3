using YamlDotNet.Core;
using YamlDotNet.Core.Events;
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

        // YamlStream builds its tree by recursion: depth and size are checked on the parser's events first, so a
        // hostile nesting is refused here rather than overflowing the stack there.
        Prescan(yaml, source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ScenarioException($"{source}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these too on some malformed input (found by riskstream fuzz).
            throw new ScenarioException($"{source}: not valid YAML ({e.Message})");
        }

        if (stream.Documents.Count > 1)
        {
            throw new ScenarioException($"{source}:{stream.Documents[1].RootNode.Start.Line}: one YAML document per file");
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    private static void Prescan(string yaml, string source)
    {
        var parser = new Parser(new StringReader(yaml));
        int depth = 0, nodes = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart:
                        depth++;
                        nodes++;
                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                    case Scalar or AnchorAlias:
                        nodes++;
                        break;
                }

                if (depth > MaxDepth || nodes > MaxNodes)
                {
                    throw new ScenarioException($"{source}:{parser.Current!.Start.Line}: more than {MaxNodes} nodes or deeper than {MaxDepth} levels");
                }
            }
        }
        catch (YamlException e)
        {
            throw new ScenarioException($"{source}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these too on some malformed input (found by riskstream fuzz).
            throw new ScenarioException($"{source}: not valid YAML ({e.Message})");
        }
    }
}
