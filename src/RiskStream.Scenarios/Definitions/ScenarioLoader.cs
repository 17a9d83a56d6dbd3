using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// Reads scenario files (YAML, one scenario each, at most <see cref="YamlFiles.MaxBytes"/>) into
/// <see cref="ScenarioDefinition"/>s. Every mistake is reported with its file and line; unknown keys are mistakes
/// too, so a misspelt <c>fro:</c> is never silently ignored.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Loads every <c>*.yaml</c>/<c>*.yml</c> of a folder, in name order.</summary>
    public static ScenarioSet LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ScenarioException($"scenario folder '{folder}' does not exist");
        }

        var files = Directory.EnumerateFiles(folder, "*.y*ml").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new ScenarioException($"scenario folder '{folder}' holds no *.yaml files");
        }

        var errors = new List<string>();
        var scenarios = new List<ScenarioDefinition>();
        foreach (var file in files)
        {
            try
            {
                scenarios.Add(Parse(YamlFiles.Read(file), file));
            }
            catch (ScenarioException e)
            {
                errors.Add(e.Message);
            }
        }

        foreach (var dup in scenarios.GroupBy(s => s.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"scenario id '{dup.Key}' is declared in {string.Join(" and ", dup.Select(s => s.Source))}");
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(string.Join(Environment.NewLine, errors));
        }

        return new ScenarioSet(scenarios);
    }

    /// <summary>Parses one scenario file's text.</summary>
    public static ScenarioDefinition Parse(string yaml, string source) =>
        YamlFiles.Document(yaml, source) is YamlMappingNode root
            ? new ScenarioReader(source).Scenario(root)
            : throw new ScenarioException($"{source}:1: a scenario file holds one mapping");
}
