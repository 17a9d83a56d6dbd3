using System.Globalization;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>Reads the dataset CSV (or Parquet) of <c>riskstream dataset</c> (or a user's own data in the same schema).</summary>
public static class Dataset
{
    public static readonly string[] Leading = ["ts_ms", "site", "sensor", "kind", "value", "alarm", "event", "event_id", "hazard"];

    /// <summary>Most rows read (about 10 GB in memory): train on a sample or a shorter span beyond it.</summary>
    public const long MaxRows = 50_000_000;

    /// <summary>
    /// Why a row cannot be trained on, or null: a value or feature that is NaN or infinite (ML.NET would learn from it
    /// silently), a time before 1970 or after 9999, an alarm level other than 0, 1 or 2.
    /// </summary>
    public static string? Problem(long tsMs, double value, int alarm, ReadOnlySpan<float> features)
    {
        if (tsMs is < 0 or > 253_402_300_799_999)
        {
            return $"ts_ms {tsMs} is not a time between 1970 and 9999";
        }

        if (!double.IsFinite(value))
        {
            return FormattableString.Invariant($"value is {value}; only finite values are trained on");
        }

        if (alarm is < 0 or > 2)
        {
            return $"alarm is {alarm}; it is 0 (none), 1 (first level) or 2 (second level)";
        }

        for (var i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
            {
                return FormattableString.Invariant($"feature {FeatureSchema.Names[i]} is {features[i]}; only finite features are trained on");
            }
        }

        return null;
    }

    /// <summary>
    /// Every row, in file order, of a CSV dataset (or a Parquet one: a name ending in <c>.parquet</c>); a malformed row
    /// or a header that is not the schema is an error naming the line.
    /// </summary>
    public static List<DataRow> Read(string path)
    {
        if (ParquetDataset.IsParquet(path))
        {
            return ParquetDataset.ReadAsync(path).GetAwaiter().GetResult();
        }

        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new FormatException($"{path}:1: empty file");
        var expected = Leading.Concat(FeatureSchema.Names).ToArray();
        var columns = header.Split(',');
        if (!columns.SequenceEqual(expected))
        {
            var first = Enumerable.Range(0, Math.Max(columns.Length, expected.Length)).First(i => i >= columns.Length || i >= expected.Length || columns[i] != expected[i]);
            throw new FormatException($"{path}:1: column {first + 1} is '{(first < columns.Length ? columns[first] : "(missing)")}', expected '{(first < expected.Length ? expected[first] : "(none)")}'; the features must be those of feature schema {FeatureSchema.Hash} (README, Training)");
        }

        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string Intern(string s) => strings.TryGetValue(s, out var known) ? known : strings[s] = s;
        var rows = new List<DataRow>();
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            if (rows.Count >= MaxRows)
            {
                throw new FormatException($"{path}:{lineNo}: more than {MaxRows:N0} rows; train on a sample or a shorter span");
            }

            var p = line.Split(',');
            if (p.Length != expected.Length)
            {
                throw new FormatException($"{path}:{lineNo}: {p.Length} values, expected {expected.Length}");
            }

            try
            {
                var features = new float[FeatureSchema.Count];
                for (var i = 0; i < features.Length; i++)
                {
                    features[i] = float.Parse(p[Leading.Length + i], NumberStyles.Float, CultureInfo.InvariantCulture);
                }

                var ts = long.Parse(p[0], CultureInfo.InvariantCulture);
                var value = double.Parse(p[4], NumberStyles.Float, CultureInfo.InvariantCulture);
                var alarm = int.Parse(p[5], CultureInfo.InvariantCulture);
                if (Problem(ts, value, alarm, features) is { } problem)
                {
                    throw new FormatException(problem);
                }

                rows.Add(new DataRow(ts, Intern(p[1]), Intern(p[2]), Intern(p[3]), value, alarm, Intern(p[6]), int.Parse(p[7], CultureInfo.InvariantCulture), p[8] == "1", features));
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new FormatException($"{path}:{lineNo}: {e.Message}");
            }
        }

        return rows;
    }

    /// <summary>SHA-256 of the file: the training data's fingerprint in a model card.</summary>
    public static string Fingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream)).ToLowerInvariant();
    }

    public static bool IsHazardEvent(string e) => e.TrimEnd('~') is "leak_ramp" or "overpressure" or "fire" or "toxic_release" or "confirmed_hazard";

    public static bool IsFaultEvent(string e) => e.TrimEnd('~') is "stuck_at" or "dropout" or "spike" or "drift" or "instrument_fault";

    /// <summary>The event goes on past the end of the data (cut off): its readings count, event-level figures leave it out.</summary>
    public static bool IsCutOff(string e) => e.EndsWith('~');
}
