using System.CommandLine;
using RiskStream.Core;

namespace RiskStream.Cli.Hosting;

/// <summary>Options several commands share, declared once.</summary>
internal static class CommonOptions
{
    /// <summary><c>--for DURATION</c>: stop by itself after this long (drains like Ctrl-C).</summary>
    public static Option<TimeSpan?> For(string description = "stop by itself after this long, draining as on Ctrl-C") => Duration("--for", description, TimeSpan.FromMilliseconds(1));

    /// <summary>A duration flag: a number with its unit, refused otherwise with what would be accepted.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan min, TimeSpan? max = null) => new(name)
    {
        Description = $"{description} (a duration with its unit: 500ms, 30s, 5m, 1h, 1d)",
        HelpName = "DURATION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var limit = max ?? Durations.Max;
            if (Durations.TryParse(text, out var value) && value >= min && value <= limit)
            {
                return value;
            }

            result.AddError($"{name} '{text}': expected a duration with its unit (500ms, 30s, 5m, 1h, 1d) from {Durations.Format(min)} to {Durations.Format(limit)}");
            return null;
        },
    };

    /// <summary>A whole-number flag with its range.</summary>
    public static Option<int> Int(string name, string description, int @default, int min, int max) => new(name)
    {
        Description = $"{description} ({min} to {max}; default {@default})",
        HelpName = "N",
        DefaultValueFactory = _ => @default,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} '{text}': expected a whole number from {min} to {max}");
            return @default;
        },
    };

    /// <summary>A number flag with its range.</summary>
    public static Option<double?> Number(string name, string description, double min, double max, bool minExclusive = false) => new(name)
    {
        Description = $"{description} ({(minExclusive ? "above" : "from")} {min} to {max})",
        HelpName = "X",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                && (minExclusive ? value > min : value >= min) && value <= max)
            {
                return value;
            }

            result.AddError($"{name} '{text}': expected a number {(minExclusive ? "above" : "from")} {min} to {max}");
            return null;
        },
    };

    /// <summary><c>--json</c>: machine-readable output on stdout.</summary>
    public static Option<bool> Json(string description = "print JSON on stdout instead of text") => new("--json") { Description = description };
}
