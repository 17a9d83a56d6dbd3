using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace RiskStream.Core.Contracts;

/// <summary>
/// The wire name of every contract enum, read once from its <see cref="JsonStringEnumMemberNameAttribute"/>: the
/// JSON serialiser, topic names, metric labels, InfluxDB tags, CAP parameters and log lines all spell a value the
/// same way because they all come from here.
/// </summary>
public static class WireNames
{
    /// <summary>The value's wire name (<c>hidden_danger</c>, <c>orange</c>, <c>gov</c>).</summary>
    public static string Wire<TEnum>(this TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByValue.TryGetValue(value, out var name) ? name : value.ToString();

    /// <summary>The value of a wire name, or false when the name is not one.</summary>
    public static bool TryParseWire<TEnum>(ReadOnlySpan<char> name, out TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByName.TryGetValue(name, out value);

    /// <summary>Every wire name of the enum, in declaration order.</summary>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum => Names<TEnum>.InOrder;

    /// <summary>A party as <c>gov:&lt;id&gt;</c> or <c>ent:&lt;id&gt;</c>: addresses in CAP, logs and dead letters.</summary>
    public static string Address(this Party party) => $"{party.Type.Wire()}:{party.Id}";

    /// <summary>An audience as <c>gov:&lt;id&gt;</c> or <c>ent:&lt;id&gt;</c>.</summary>
    public static string Address(this Audience audience) => $"{audience.Type.Wire()}:{audience.Id}";

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue = typeof(TEnum)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToFrozenDictionary(f => (TEnum)f.GetValue(null)!, f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

        public static readonly IReadOnlyList<string> InOrder = Enum.GetValues<TEnum>().Select(v => ByValue[v]).ToArray();

        public static readonly FrozenDictionary<string, TEnum>.AlternateLookup<ReadOnlySpan<char>> ByName =
            ByValue.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
