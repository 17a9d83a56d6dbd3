using Microsoft.Extensions.Configuration;

namespace RiskStream.Core.Options;

/// <summary>
/// The options of one configuration section (<c>RiskStream:Pipeline</c>) bound onto a typed options record: every
/// key declared once with its range and description, every value checked at start with a message that names the key,
/// and a key the section does not declare refused (a misspelt key is never silently ignored).
/// </summary>
/// <remarks>Immutable: safe to share.</remarks>
public sealed class OptionSet<TOptions>
{
    private readonly HashSet<string> _subsections;
    private readonly Func<TOptions, string?>? _check;

    /// <param name="section">Configuration section, e.g. <c>RiskStream:Pipeline</c>.</param>
    /// <param name="defaults">The options as their initialisers give them.</param>
    /// <param name="specs">Every option of the section.</param>
    /// <param name="subsections">Child sections bound elsewhere (free-form maps such as <c>Properties</c>), not refused as unknown.</param>
    /// <param name="check">Rules between options (one option bounded by another): the problem, or null.</param>
    public OptionSet(string section, TOptions defaults, IReadOnlyList<OptionSpec<TOptions>> specs, IReadOnlyList<string>? subsections = null, Func<TOptions, string?>? check = null)
    {
        _check = check;
        Section = section;
        Defaults = defaults;
        Specs = specs;
        _subsections = new HashSet<string>(subsections ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var spec in specs)
        {
            spec.Key = $"{section}:{spec.Name}";
        }

        var duplicate = specs.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{section}:{duplicate.Key} is declared twice");
        }
    }

    public string Section { get; }

    public TOptions Defaults { get; }

    public IReadOnlyList<OptionSpec<TOptions>> Specs { get; }

    /// <summary>The options from <paramref name="configuration"/>, starting from the defaults; throws <see cref="OptionsException"/> on the first bad value.</summary>
    public TOptions Bind(IConfiguration configuration) => Bind(configuration, Defaults);

    /// <summary>The options from <paramref name="configuration"/>, starting from <paramref name="start"/>.</summary>
    public TOptions Bind(IConfiguration configuration, TOptions start)
    {
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            if (!_subsections.Contains(child.Key) && !Specs.Any(s => string.Equals(s.Name, child.Key, StringComparison.OrdinalIgnoreCase)))
            {
                var near = Specs.OrderBy(s => Distance(s.Name, child.Key)).First().Name;
                throw new OptionsException($"{Section}:{child.Key} is not an option (did you mean {Section}:{near}?)");
            }
        }

        var options = start;
        foreach (var spec in Specs)
        {
            if (section[spec.Name] is { } raw && !string.IsNullOrWhiteSpace(raw))
            {
                options = spec.Apply(options, raw.Trim());
            }
        }

        return Checked(options);
    }

    /// <summary>The options if the rules between them hold; else <see cref="OptionsException"/>.</summary>
    public TOptions Checked(TOptions options) =>
        _check?.Invoke(options) is { } problem ? throw new OptionsException($"{Section}: {problem}") : options;

    /// <summary>The reference rows of this section, with the defaults shown as people write them.</summary>
    public IEnumerable<OptionRow> Rows() => Specs.Select(s => new OptionRow(s.Key, s.Show(Defaults), s.Accepts, s.Description, s.Flag));

    /// <summary>Levenshtein distance, for suggesting the key a misspelt one meant.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
