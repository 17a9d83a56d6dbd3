namespace RiskStream.Raman.Processing;

/// <summary>A reference spectrum of the library.</summary>
public sealed record Reference(string Name, string? Cas, IReadOnlyList<string> HazardClasses, double[] X, double[] Y);

/// <summary>One candidate of an identification.</summary>
public sealed record Candidate(string Name, string? Cas, double Score, int ShiftPoints);

/// <summary>What a spectrum was identified as.</summary>
/// <param name="Margin">Best score minus the second best: how clearly the best stands out.</param>
/// <param name="Mixture">Components and their fractions when a mixture of the top candidates explains the spectrum clearly better than the best alone.</param>
public sealed record Identification(Candidate? Best, IReadOnlyList<Candidate> Candidates, bool Unknown, double Margin, IReadOnlyList<(string Name, double Fraction)> Mixture, string LibraryVersion);

/// <summary>Options of the search.</summary>
public sealed record IdentifyOptions
{
    /// <summary>The common wavenumber axis: from, step and count (cm⁻¹).</summary>
    public double AxisStart { get; init; } = 200;

    public double AxisStep { get; init; } = 2;

    public int AxisCount { get; init; } = 1501;

    /// <summary>Largest calibration shift tried, in axis points either way.</summary>
    public int MaxShiftPoints { get; init; } = 3;

    /// <summary>Below this hit-quality index the spectrum is reported unknown.</summary>
    public double UnknownBelow { get; init; } = 0.6;

    public int TopK { get; init; } = 5;

    /// <summary>A mixture is reported when it explains this much more of the spectrum than the best reference alone.</summary>
    public double MixtureGain { get; init; } = 0.05;

    public double[] Axis() => Enumerable.Range(0, AxisCount).Select(i => AxisStart + (i * AxisStep)).ToArray();
}

/// <summary>
/// Library search by hit-quality index (the squared correlation of preprocessed, normalised spectra), tolerant of a
/// calibration shift of a few points; mixtures of two or three of the top candidates by non-negative least squares.
/// </summary>
public sealed class Identifier
{
    private readonly IdentifyOptions _options;
    private readonly double[] _axis;
    private readonly (Reference Reference, double[] Spectrum)[] _library;

    public Identifier(IEnumerable<Reference> library, string version, IdentifyOptions? options = null)
    {
        _options = options ?? new IdentifyOptions();
        _axis = _options.Axis();
        _library = library.Select(r => (r, Prepare(r.X, r.Y))).ToArray();
        Version = version;
    }

    public string Version { get; }

    public int Count => _library.Length;

    /// <summary>Despike, remove the baseline, smooth, put on the common axis, centre and normalise.</summary>
    public double[] Prepare(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var despiked = Preprocess.Despike(y);
        var baseline = Preprocess.AlsBaseline(despiked, lambda: 1e5, p: 0.001, iterations: 10);
        var corrected = new double[despiked.Length];
        for (var i = 0; i < corrected.Length; i++)
        {
            corrected[i] = despiked[i] - baseline[i];
        }

        var smooth = corrected.Length >= 9 ? Preprocess.SavitzkyGolay(corrected, 7, 2) : corrected;
        var resampled = Preprocess.Resample(x, smooth, _axis);
        var mean = resampled.Average();
        for (var i = 0; i < resampled.Length; i++)
        {
            resampled[i] -= mean;
        }

        return Preprocess.Normalise(resampled);
    }

    public Identification Identify(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var query = Prepare(x, y);
        var scored = new List<Candidate>(_library.Length);
        foreach (var (reference, spectrum) in _library)
        {
            var (score, shift) = BestScore(query, spectrum);
            scored.Add(new Candidate(reference.Name, reference.Cas, score, shift));
        }

        var top = scored.OrderByDescending(c => c.Score).Take(_options.TopK).ToList();
        var best = top.Count > 0 ? top[0] : null;
        var margin = top.Count > 1 ? top[0].Score - top[1].Score : top.Count == 1 ? top[0].Score : 0;
        // A mixture of the top candidates may explain a spectrum that no single reference does.
        var mixture = best is null || top.Count < 2 ? [] : Mixture(query, top, best.Score);
        var unknown = best is null || (best.Score < _options.UnknownBelow && mixture.Count == 0);
        return new Identification(unknown ? null : best, top, unknown, margin, mixture, Version);
    }

    /// <summary>Hit-quality index at the best shift: (q·r)² for unit vectors.</summary>
    private (double Score, int Shift) BestScore(double[] query, double[] reference)
    {
        var best = 0.0;
        var bestShift = 0;
        for (var shift = -_options.MaxShiftPoints; shift <= _options.MaxShiftPoints; shift++)
        {
            double dot = 0;
            var from = Math.Max(0, -shift);
            var to = Math.Min(query.Length, reference.Length - shift);
            for (var i = from; i < to; i++)
            {
                dot += query[i] * reference[i + shift];
            }

            var hqi = dot > 0 ? dot * dot : 0;
            if (hqi > best)
            {
                (best, bestShift) = (hqi, shift);
            }
        }

        return (best, bestShift);
    }

    /// <summary>Two or three of the top candidates by non-negative least squares, if they explain clearly more.</summary>
    private List<(string Name, double Fraction)> Mixture(double[] query, List<Candidate> top, double single)
    {
        var parts = top.Take(3).Select(c =>
        {
            var spectrum = _library.First(l => l.Reference.Name == c.Name).Spectrum;
            var shifted = new double[spectrum.Length];
            for (var i = 0; i < shifted.Length; i++)
            {
                var j = i + c.ShiftPoints;
                shifted[i] = j >= 0 && j < spectrum.Length ? spectrum[j] : 0;
            }

            return (c.Name, Spectrum: shifted);
        }).ToList();

        var weights = Nnls(parts.Select(p => p.Spectrum).ToArray(), query);
        var fitted = new double[query.Length];
        for (var k = 0; k < parts.Count; k++)
        {
            for (var i = 0; i < fitted.Length; i++)
            {
                fitted[i] += weights[k] * parts[k].Spectrum[i];
            }
        }

        // Explained share of the query (R² of the fit) against the best single reference's HQI.
        double residual = 0, total = 0;
        for (var i = 0; i < query.Length; i++)
        {
            residual += (query[i] - fitted[i]) * (query[i] - fitted[i]);
            total += query[i] * query[i];
        }

        var explained = total > 0 ? 1 - (residual / total) : 0;
        var used = Enumerable.Range(0, parts.Count).Where(k => weights[k] > 0.05 * weights.Max()).ToList();
        if (used.Count < 2 || explained < single + _options.MixtureGain || explained < _options.UnknownBelow)
        {
            return [];
        }

        var sum = used.Sum(k => weights[k]);
        return used.Select(k => (parts[k].Name, weights[k] / sum)).OrderByDescending(p => p.Item2).ToList();
    }

    /// <summary>Non-negative least squares for a handful of columns (Lawson–Hanson active set).</summary>
    internal static double[] Nnls(double[][] columns, double[] b)
    {
        var m = columns.Length;
        var x = new double[m];
        var passive = new bool[m];
        for (var iteration = 0; iteration < 3 * m + 10; iteration++)
        {
            // Gradient w = Aᵀ(b − Ax).
            var residual = (double[])b.Clone();
            for (var k = 0; k < m; k++)
            {
                for (var i = 0; i < b.Length; i++)
                {
                    residual[i] -= x[k] * columns[k][i];
                }
            }

            var w = columns.Select(c => c.Zip(residual, (p, q) => p * q).Sum()).ToArray();
            var candidate = Enumerable.Range(0, m).Where(k => !passive[k] && w[k] > 1e-12).OrderByDescending(k => w[k]).FirstOrDefault(-1);
            if (candidate < 0)
            {
                break;
            }

            passive[candidate] = true;
            while (true)
            {
                var set = Enumerable.Range(0, m).Where(k => passive[k]).ToArray();
                var z = LeastSquares(set.Select(k => columns[k]).ToArray(), b);
                if (z.All(v => v > 0))
                {
                    Array.Clear(x);
                    for (var s = 0; s < set.Length; s++)
                    {
                        x[set[s]] = z[s];
                    }

                    break;
                }

                // Step back towards the feasible region and drop the variables that hit zero.
                var alpha = 1.0;
                for (var s = 0; s < set.Length; s++)
                {
                    if (z[s] <= 0)
                    {
                        alpha = Math.Min(alpha, x[set[s]] / (x[set[s]] - z[s]));
                    }
                }

                for (var s = 0; s < set.Length; s++)
                {
                    x[set[s]] += alpha * (z[s] - x[set[s]]);
                    if (x[set[s]] <= 1e-12)
                    {
                        x[set[s]] = 0;
                        passive[set[s]] = false;
                    }
                }

                if (!passive.Any(p => p))
                {
                    break;
                }
            }
        }

        return x;
    }

    /// <summary>Least squares by the normal equations (a handful of columns).</summary>
    private static double[] LeastSquares(double[][] columns, double[] b)
    {
        var m = columns.Length;
        var a = new double[m, m + 1];
        for (var r = 0; r < m; r++)
        {
            for (var s = 0; s < m; s++)
            {
                a[r, s] = columns[r].Zip(columns[s], (p, q) => p * q).Sum();
            }

            a[r, m] = columns[r].Zip(b, (p, q) => p * q).Sum();
        }

        for (var col = 0; col < m; col++)
        {
            var pivot = Enumerable.Range(col, m - col).MaxBy(r => Math.Abs(a[r, col]));
            for (var s = 0; s <= m; s++)
            {
                (a[col, s], a[pivot, s]) = (a[pivot, s], a[col, s]);
            }

            for (var r = 0; r < m; r++)
            {
                if (r != col && a[col, col] != 0)
                {
                    var f = a[r, col] / a[col, col];
                    for (var s = 0; s <= m; s++)
                    {
                        a[r, s] -= f * a[col, s];
                    }
                }
            }
        }

        return Enumerable.Range(0, m).Select(r => a[r, r] == 0 ? 0 : a[r, m] / a[r, r]).ToArray();
    }
}
