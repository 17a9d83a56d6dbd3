using System.CommandLine;
using RiskStream.Core.Options;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// A command-line flag that sets a configuration key (<c>--lanes</c> → <c>RiskStream:Pipeline:Lanes</c>). Its help
/// text, range and default come from the option's declaration, so help, documentation and behaviour agree; its value
/// is checked where every other source of the key is, when the options are read.
/// </summary>
internal sealed class ConfigFlag : Option<string>
{
    private static readonly Dictionary<string, OptionRow> Rows = RiskStreamOptions.Catalog
        .Where(r => r.Flag is not null)
        .ToDictionary(r => r.Flag!, StringComparer.Ordinal);

    private ConfigFlag(OptionRow row)
        : base(row.Flag!)
    {
        Key = row.Key;
        Description = $"{row.Description} ({row.Accepts}; default {row.Default}; {row.Key})";
        HelpName = row.Key[(row.Key.LastIndexOf(':') + 1)..].ToUpperInvariant();
    }

    /// <summary>The configuration key it sets.</summary>
    public string Key { get; }

    /// <summary>The flags that set configuration keys, as options of one command.</summary>
    public static IEnumerable<ConfigFlag> For(params string[] flags) =>
        flags.Select(f => Rows.TryGetValue(f, out var row) ? new ConfigFlag(row) : throw new ArgumentException($"no option declares the flag {f}"));

    /// <summary>The configuration keys the parsed command line sets.</summary>
    public static IReadOnlyDictionary<string, string> Values(ParseResult parse)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in parse.CommandResult.Command.Options.OfType<ConfigFlag>())
        {
            if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } value)
            {
                values[option.Key] = value;
            }
        }

        return values;
    }
}
