namespace RiskStream.Raman.Processing;

/// <summary>A band of a prepared spectrum: its axis index and its height above the spectrum's baseline level.</summary>
internal readonly record struct Band(int Index, double Height);

/// <summary>One reference band tested against a spectrum: where (cm⁻¹, on the spectrum's axis), its height in the reference, whether it is there.</summary>
public readonly record struct BandCheck(double At, double Weight, bool Found);

/// <summary>
/// How a candidate's bands meet the spectrum's, band by band (a handheld analyser's "peak match", beside the
/// correlation): which of the reference's bands that the spectrum's noise would let show are there, and which strong
/// bands of the spectrum the reference does not explain. Positions are cm⁻¹ on the common axis, after the candidate's
/// calibration shift.
/// </summary>
/// <param name="Tested">Reference bands within the measured range whose expected height stands clear of the noise, each found or not.</param>
/// <param name="Unexplained">Strong bands of the spectrum that no band of the reference accounts for.</param>
/// <param name="ExplainedShare">Explained share of the spectrum's strong bands' heights (1 when it has none).</param>
public sealed record BandMatch(IReadOnlyList<BandCheck> Tested, IReadOnlyList<double> Unexplained, double ExplainedShare)
{
    public static readonly BandMatch None = new([], [], 1);

    public IEnumerable<double> Found => Tested.Where(b => b.Found).Select(b => b.At);

    public IEnumerable<double> Missing => Tested.Where(b => !b.Found).Select(b => b.At);

    /// <summary>Found bands' share of the tested bands' heights (1 when nothing could be tested).</summary>
    public double FoundShare => Share(Tested);

    /// <summary>How well the bands agree, 0 to 1: the geometric mean of the found and explained shares.</summary>
    public double Agreement => Math.Sqrt(FoundShare * ExplainedShare);

    /// <summary>Found share by height of the given tested bands (1 when there are none).</summary>
    public static double Share(IEnumerable<BandCheck> bands)
    {
        double all = 0, found = 0;
        foreach (var b in bands)
        {
            all += b.Weight;
            found += b.Found ? b.Weight : 0;
        }

        return all > 0 ? found / all : 1;
    }
}

/// <summary>A spectrum's bands, the height a band needs to stand clear of its noise, and the position tolerance in axis points.</summary>
internal sealed record QueryBands(Band[] Bands, double Sigma, int Tolerance);

/// <summary>Finds bands in prepared spectra and matches a reference's bands against a spectrum's.</summary>
internal static class BandEvidence
{
    /// <summary>Points either side a band may sit from where the reference puts it (8 cm⁻¹ on the 2 cm⁻¹ axis).</summary>
    public const int Tolerance = 4;

    /// <summary>A found band is at least this share of the height the reference predicts (instruments weigh bands differently).</summary>
    public const double FoundAtLeast = 0.15;

    /// <summary>Reference bands below this share of its strongest are not tested: too weak to expect on another instrument.</summary>
    public const double TestedAbove = 0.1;

    /// <summary>Spectrum bands at or above this share of its strongest must be explained.</summary>
    public const double StrongAbove = 0.15;

    /// <summary>A band of the spectrum is a band when it stands this many noise deviations above its surroundings.</summary>
    public const double NoiseSigmas = 3;

    /// <summary>A reference band is tested, and a spectrum's band counts as strong, only when it would stand this many noise deviations tall: clear of the noise, so its absence means something.</summary>
    public const double ClearSigmas = 6;

    /// <summary>Points either side within which a band must be the highest, and over which its prominence is taken.</summary>
    private const int Half = 2;

    private const int ProminenceWindow = 12;

    /// <summary>
    /// The bands of a prepared spectrum over [from, to): local maxima over ±2 points whose prominence (height above
    /// the higher of the lowest points within 24 cm⁻¹ either side) is at least half their height and at least
    /// <paramref name="minHeight"/>. Heights are above the median of the range, the spectrum's baseline level.
    /// </summary>
    public static Band[] Peaks(ReadOnlySpan<float> s, int from, int to, double minHeight) =>
        to - from < (2 * Half) + 1 ? [] : Peaks(s, from, to, minHeight, Level(s, from, to));

    /// <summary>As above, above a baseline level already known (<see cref="Level"/>).</summary>
    private static Band[] Peaks(ReadOnlySpan<float> s, int from, int to, double minHeight, double zero)
    {
        var bands = new List<Band>();
        for (var i = from + Half; i < to - Half; i++)
        {
            var v = s[i];
            var top = true;
            for (var k = i - Half; k <= i + Half && top; k++)
            {
                top = k == i || (k < i ? s[k] < v : s[k] <= v);
            }

            if (!top)
            {
                continue;
            }

            var height = v - zero;
            if (height < minHeight)
            {
                continue;
            }

            float left = v, right = v;
            for (var k = Math.Max(from, i - ProminenceWindow); k < i; k++)
            {
                left = Math.Min(left, s[k]);
            }

            for (var k = i + 1; k < Math.Min(to, i + ProminenceWindow + 1); k++)
            {
                right = Math.Min(right, s[k]);
            }

            var prominence = v - Math.Max(left, right);
            if (prominence >= minHeight && prominence >= 0.5 * height)
            {
                bands.Add(new Band(i, height));
            }
        }

        return bands.ToArray();
    }

    /// <summary>The baseline level of a prepared (centred) spectrum: the median over its range, where most points are between bands.</summary>
    public static double Level(ReadOnlySpan<float> s, int from, int to)
    {
        var values = new double[to - from];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = s[from + i];
        }

        return Selection.Median(values);
    }

    /// <summary>Per-point noise deviation of a prepared spectrum (unit energy over its range, <see cref="Prepared.NoiseShare"/> of it noise).</summary>
    public static double Sigma(Prepared query) => Math.Sqrt(query.NoiseShare / Math.Max(1, query.To - query.From));

    /// <summary>
    /// The query's own bands (every band three noise deviations tall: the strong ones are chosen from these), the
    /// height a band needs to stand clear of the noise, and how far a band may sit from where a reference puts it:
    /// <see cref="Tolerance"/> points, or half the width of the spectrum's strongest band if that is more (a
    /// low-resolution instrument places its broad bands less precisely), at most 10 points.
    /// </summary>
    public static QueryBands Of(Prepared query)
    {
        var sigma = Sigma(query);
        if (query.To - query.From < (2 * Half) + 1)
        {
            return new QueryBands([], sigma, Tolerance);
        }

        var level = Level(query.Spectrum, query.From, query.To);
        var bands = Peaks(query.Spectrum, query.From, query.To, NoiseSigmas * sigma, level);
        var tolerance = Tolerance;
        if (bands.Length > 0)
        {
            var top = bands.MaxBy(b => b.Height);
            var half = level + (top.Height / 2);
            int lo = top.Index, hi = top.Index;
            while (lo > query.From && query.Spectrum[lo - 1] > half)
            {
                lo--;
            }

            while (hi < query.To - 1 && query.Spectrum[hi + 1] > half)
            {
                hi++;
            }

            tolerance = Math.Clamp((hi - lo + 2) / 2, Tolerance, 10);
        }

        return new QueryBands(bands, sigma, tolerance);
    }

    /// <summary>
    /// Matches a reference's bands (<paramref name="reference"/>, indices on the reference's own axis) shifted by
    /// <paramref name="shift"/> points and scaled by <paramref name="scale"/> against the query's bands.
    /// </summary>
    public static BandMatch Match(Prepared query, QueryBands view, Band[] reference, int shift, double scale, double[] axis)
    {
        var (queryBands, sigma, tolerance) = view;
        var floor = NoiseSigmas * sigma;
        var clear = ClearSigmas * sigma;
        if (reference.Length == 0 || scale <= 0)
        {
            return new BandMatch([], queryBands.Select(b => axis[b.Index]).ToArray(), queryBands.Length == 0 ? 1 : 0);
        }

        var strongest = reference.Max(b => b.Height);
        var tested = new List<BandCheck>();
        foreach (var band in reference)
        {
            var at = band.Index - shift;
            var expected = scale * band.Height;
            if (at < query.From || at >= query.To || band.Height < TestedAbove * strongest || expected < clear)
            {
                continue;
            }

            tested.Add(new BandCheck(axis[at], band.Height / strongest, Near(queryBands, at, tolerance, b => b.Height >= Math.Max(FoundAtLeast * expected, floor))));
        }

        var top = queryBands.Length == 0 ? 0 : queryBands.Max(b => b.Height);
        List<double> unexplained = [];
        double strongWeight = 0, unexplainedWeight = 0;
        foreach (var band in queryBands)
        {
            if (band.Height < StrongAbove * top || band.Height < clear)
            {
                continue;
            }

            strongWeight += band.Height;
            var explained = false;
            foreach (var r in reference)
            {
                // Any band of the reference there, if the reference makes it a fifth as tall as the spectrum shows it.
                if (Math.Abs(r.Index - shift - band.Index) <= tolerance && scale * r.Height >= 0.2 * band.Height)
                {
                    explained = true;
                    break;
                }
            }

            if (!explained)
            {
                unexplained.Add(axis[band.Index]);
                unexplainedWeight += band.Height;
            }
        }

        return new BandMatch(tested, unexplained, strongWeight > 0 ? 1 - (unexplainedWeight / strongWeight) : 1);
    }

    private static bool Near(Band[] bands, int at, int tolerance, Func<Band, bool> accept)
    {
        foreach (var b in bands)
        {
            if (Math.Abs(b.Index - at) <= tolerance && accept(b))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The least-squares scale of a shifted reference onto the query over the query's range.</summary>
    public static double Scale(float[] query, float[] reference, int from, int to, int shift)
    {
        double dot = 0, energy = 0;
        for (var i = from; i < to; i++)
        {
            var j = i + shift;
            if (j < 0 || j >= reference.Length)
            {
                continue;
            }

            dot += (double)query[i] * reference[j];
            energy += (double)reference[j] * reference[j];
        }

        return energy > 0 ? dot / energy : 0;
    }
}
