using System.Globalization;

namespace RiskStream.Core;

/// <summary>
/// Durations as people write them: a number and a unit, <c>500ms</c>, <c>60s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>, or
/// <c>hh:mm:ss</c>. A bare number is refused (is <c>60</c> seconds or days?), and so is anything beyond 365 days.
/// </summary>
public static class Durations
{
    /// <summary>The longest duration accepted anywhere.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(365);

    private static readonly (string Suffix, double Ms)[] Units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        text = text.Trim();
        foreach (var (suffix, ms) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && !(suffix == "s" && text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
                && double.IsFinite(n) && n >= 0 && n * ms <= Max.TotalMilliseconds)
            {
                value = TimeSpan.FromMilliseconds(Math.Round(n * ms, 3));
                return true;
            }
        }

        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value)
            && value >= TimeSpan.Zero && value <= Max;
    }

    /// <summary>The shortest of <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c> that is exact.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = value.TotalMilliseconds;
        for (var i = Units.Length - 1; i >= 0; i--)
        {
            var (suffix, unit) = Units[i];
            if (ms >= unit && ms % unit == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{ms / unit}{suffix}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{ms}ms");
    }
}
