using System.Globalization;

namespace RiskStream.Core.Options;

/// <summary>Declares options of an options record: a getter, a setter (a <c>with</c> expression), the range and the meaning.</summary>
public static class Declare
{
    /// <param name="shownDefault">The default as documented, when the initialiser computes it (e.g. from the machine's cores).</param>
    public static OptionSpec<T> Int<T>(string name, Func<T, int> get, Func<T, int, T> set, int min, int max, string description, string? flag = null, string? shownDefault = null) =>
        new NumberSpec<T, int>(name, description, flag, get, set, min, max, $"a whole number from {Show(min)} to {Show(max)}",
            raw => int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null, Show) { ShownDefault = shownDefault };

    public static OptionSpec<T> Double<T>(string name, Func<T, double> get, Func<T, double, T> set, double min, double max, string description, string? flag = null) =>
        new NumberSpec<T, double>(name, description, flag, get, set, min, max, $"a number from {Show(min)} to {Show(max)}",
            raw => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null, Show);

    public static OptionSpec<T> Duration<T>(string name, Func<T, TimeSpan> get, Func<T, TimeSpan, T> set, TimeSpan min, TimeSpan max, string description, string? flag = null) =>
        new NumberSpec<T, TimeSpan>(name, description, flag, get, set, min, max, $"a duration with its unit (500ms, 30s, 5m, 1h, 1d) from {Durations.Format(min)} to {Durations.Format(max)}",
            raw => Durations.TryParse(raw, out var v) ? v : null, Durations.Format);

    public static OptionSpec<T> Bool<T>(string name, Func<T, bool> get, Func<T, bool, T> set, string description, string? flag = null) =>
        new ChoiceSpec<T, bool>(name, description, flag, get, set, new Dictionary<string, bool> { ["true"] = true, ["false"] = false });

    /// <summary>A text option; <paramref name="valid"/> decides whether a value is accepted.</summary>
    /// <param name="shownDefault">The default as documented, when the initialiser computes it (e.g. a path beside the executable).</param>
    public static OptionSpec<T> Text<T>(string name, Func<T, string> get, Func<T, string, T> set, string accepts, string description, string? flag = null, Func<string, bool>? valid = null, string? shownDefault = null) =>
        new FreeSpec<T>(name, description, flag, get, set, accepts, valid ?? (_ => true)) { ShownDefault = shownDefault };

    /// <summary>One of a few wire names.</summary>
    public static OptionSpec<T> Choice<T, TValue>(string name, Func<T, TValue> get, Func<T, TValue, T> set, IReadOnlyDictionary<string, TValue> choices, string description, string? flag = null) =>
        new ChoiceSpec<T, TValue>(name, description, flag, get, set, choices);

    /// <summary>An option of an inner options record (<c>Raman</c> inside the process options), under the outer's section.</summary>
    public static OptionSpec<TOuter> Nested<TOuter, TInner>(OptionSpec<TInner> inner, Func<TOuter, TInner> get, Func<TOuter, TInner, TOuter> set) =>
        new NestedSpec<TOuter, TInner>(inner, get, set);

    private static string Show(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Show(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private sealed class NumberSpec<T, TValue>(string name, string description, string? flag, Func<T, TValue> get, Func<T, TValue, T> set, TValue min, TValue max, string accepts, Func<string, TValue?> parse, Func<TValue, string> show)
        : OptionSpec<T>(name, description, flag)
        where TValue : struct, IComparable<TValue>
    {
        public override string Accepts => accepts;

        public override T Apply(T options, string raw) =>
            parse(raw) is { } v && v.CompareTo(min) >= 0 && v.CompareTo(max) <= 0 ? set(options, v) : throw Refused(raw);

        public string? ShownDefault { get; init; }

        public override string Show(T options) => ShownDefault ?? show(get(options));

        public override void Check(T options)
        {
            var v = get(options);
            if (v.CompareTo(min) < 0 || v.CompareTo(max) > 0)
            {
                throw Refused(show(v));
            }
        }
    }

    private sealed class ChoiceSpec<T, TValue>(string name, string description, string? flag, Func<T, TValue> get, Func<T, TValue, T> set, IReadOnlyDictionary<string, TValue> choices)
        : OptionSpec<T>(name, description, flag)
    {
        public override string Accepts => string.Join(" or ", choices.Keys);

        public override T Apply(T options, string raw) =>
            choices.TryGetValue(raw.ToLowerInvariant(), out var v) ? set(options, v) : throw Refused(raw);

        public override string Show(T options) => choices.FirstOrDefault(c => EqualityComparer<TValue>.Default.Equals(c.Value, get(options))).Key ?? $"{get(options)}";

        public override void Check(T options)
        {
            if (!choices.Values.Contains(get(options)))
            {
                throw Refused(Show(options));
            }
        }
    }

    private sealed class FreeSpec<T>(string name, string description, string? flag, Func<T, string> get, Func<T, string, T> set, string accepts, Func<string, bool> valid)
        : OptionSpec<T>(name, description, flag)
    {
        public override string Accepts => accepts;

        public override T Apply(T options, string raw) => raw.Length <= 4096 && valid(raw) ? set(options, raw) : throw Refused(raw);

        public string? ShownDefault { get; init; }

        public override string Show(T options) => ShownDefault ?? (get(options) is { Length: > 0 } v ? v : "(empty)");

        public override void Check(T options)
        {
            if (get(options) is var v && !(v.Length <= 4096 && valid(v)))
            {
                throw Refused(v);
            }
        }
    }

    private sealed class NestedSpec<TOuter, TInner>(OptionSpec<TInner> inner, Func<TOuter, TInner> get, Func<TOuter, TInner, TOuter> set)
        : OptionSpec<TOuter>(inner.Name, inner.Description, inner.Flag)
    {
        public override string Accepts => inner.Accepts;

        public override TOuter Apply(TOuter options, string raw)
        {
            inner.Key = Key;
            return set(options, inner.Apply(get(options), raw));
        }

        public override string Show(TOuter options) => inner.Show(get(options));

        public override void Check(TOuter options)
        {
            inner.Key = Key;
            inner.Check(get(options));
        }
    }
}
