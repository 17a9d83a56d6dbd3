using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>
/// One feature's distribution on a model's training data, in bins cut at its deciles (ties merged): the reference a
/// serving distribution is held against with the population stability index.
/// </summary>
/// <param name="Edges">Upper bounds of every bin but the last (a value at an edge goes in the bin above it).</param>
/// <param name="Shares">The training rows' share in each bin (Edges.Count + 1 of them).</param>
public sealed record FeatureDistribution(string Feature, IReadOnlyList<double> Edges, IReadOnlyList<double> Shares)
{
    /// <summary>A share below this counts as this in the index (an empty bin would make it infinite).</summary>
    public const double Floor = 1e-4;

    /// <summary>Each feature's distribution over <paramref name="rows"/> (at most 200,000 of them, evenly spaced).</summary>
    public static IReadOnlyList<FeatureDistribution> Of(IReadOnlyList<DataRow> rows)
    {
        var step = Math.Max(1, rows.Count / 200_000);
        var sample = Enumerable.Range(0, rows.Count / step).Select(i => rows[i * step]).ToArray();
        var result = new List<FeatureDistribution>();
        for (var f = 0; f < FeatureSchema.Count; f++)
        {
            var values = sample.Select(r => (double)r.Features[f]).Where(double.IsFinite).Order().ToArray();
            if (values.Length == 0)
            {
                continue;
            }

            var edges = Enumerable.Range(1, 9).Select(d => values[(int)((long)d * (values.Length - 1) / 10)]).Distinct().Where(e => e > values[0]).ToArray();
            var counts = new long[edges.Length + 1];
            foreach (var v in values)
            {
                counts[Bin(edges, v)]++;
            }

            result.Add(new FeatureDistribution(FeatureSchema.Names[f], edges, [.. counts.Select(c => Math.Round((double)c / values.Length, 6))]));
        }

        return result;
    }

    /// <summary>The bin of a value: the first edge above it, or the last bin.</summary>
    public static int Bin(IReadOnlyList<double> edges, double v)
    {
        int lo = 0, hi = edges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (v < edges[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>The population stability index of <paramref name="counts"/> (one per bin) against the training shares: Σ (a − e) ln(a / e).</summary>
    public double Psi(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return double.NaN;
        }

        var psi = 0.0;
        for (var i = 0; i < Shares.Count; i++)
        {
            var e = Math.Max(Floor, Shares[i]);
            var a = Math.Max(Floor, (double)counts[i] / total);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }
}
