using RiskStream.Core;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// Reads validated options from configuration (file <c>riskstream.json</c>, environment <c>RiskStream__Area__Key</c>,
/// command-line flags). Every key read here is listed in <see cref="OptionCatalog"/> and in the README's table; a value out
/// of range stops the start with a message naming the key.
/// </summary>
internal sealed class Settings(IConfiguration configuration)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> ReadKeys = new(StringComparer.OrdinalIgnoreCase);

    public IConfiguration Configuration { get; } = configuration;

    /// <summary>Every key any settings instance has read (a test checks each is in <see cref="OptionCatalog"/>).</summary>
    public static IReadOnlyCollection<string> KeysRead => ReadKeys.Keys.ToArray();

    private string? Raw(string key)
    {
        ReadKeys.TryAdd(key, 0);
        return Configuration[key];
    }

    public string GetString(string key, string @default)
    {
        var v = Raw(key);
        return string.IsNullOrWhiteSpace(v) ? @default : v.Trim();
    }

    public int GetInt(string key, int @default, int min, int max)
    {
        var v = Raw(key);
        if (string.IsNullOrWhiteSpace(v))
        {
            return @default;
        }

        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new OptionsException($"{key} = '{v}': expected a whole number from {min} to {max}");
        }

        return n;
    }

    public double GetDouble(string key, double @default, double min, double max)
    {
        var v = Raw(key);
        if (string.IsNullOrWhiteSpace(v))
        {
            return @default;
        }

        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n < min || n > max)
        {
            throw new OptionsException($"{key} = '{v}': expected a number from {min} to {max}");
        }

        return n;
    }

    public TimeSpan GetDuration(string key, TimeSpan @default, TimeSpan min, TimeSpan max)
    {
        var v = Raw(key);
        if (string.IsNullOrWhiteSpace(v))
        {
            return @default;
        }

        if (!Durations.TryParse(v, out var d) || d < min || d > max)
        {
            throw new OptionsException($"{key} = '{v}': expected a duration (e.g. 500ms, 30s, 5m) from {min} to {max}");
        }

        return d;
    }

    public bool GetBool(string key, bool @default)
    {
        var v = Raw(key);
        if (string.IsNullOrWhiteSpace(v))
        {
            return @default;
        }

        return bool.TryParse(v, out var b) ? b : throw new OptionsException($"{key} = '{v}': expected true or false");
    }
}

/// <summary>A configuration value is missing or out of range; the message names the key.</summary>
internal sealed class OptionsException(string message) : Exception(message);
