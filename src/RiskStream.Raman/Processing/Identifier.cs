namespace RiskStream.Raman.Processing;

/// <summary>A reference spectrum of the library.</summary>
public sealed record Reference(string Name, string? Cas, IReadOnlyList<string> HazardClasses, double[] X, double[] Y)
{
    /// <summary>The published bands the spectrum was rendered from (a peak-table reference); empty for a measured one.</summary>
    public IReadOnlyList<Formats.Peak> Bands { get; init; } = [];

    /// <summary>Where the reference comes from (the file's SOURCE REFERENCE), if it says.</summary>
    public string? Source { get; init; }

    /// <summary>The file it was read from, if any.</summary>
    public string? File { get; init; }
}

/// <summary>One candidate of an identification.</summary>
public sealed record Candidate(string Name, string? Cas, double Score, int ShiftPoints);

/// <summary>What a spectrum was identified as.</summary>
/// <param name="Margin">Best score minus the second best: how clearly the best stands out.</param>
/// <param name="Mixture">Components and their fractions when a mixture of the top candidates explains the spectrum clearly better than the best alone.</param>
public sealed record Identification(Candidate? Best, IReadOnlyList<Candidate> Candidates, bool Unknown, double Margin, IReadOnlyList<(string Name, double Fraction)> Mixture, string LibraryVersion)
{
    /// <summary>Noise-corrected share of the spectrum the mixture explains (0 when no mixture is reported).</summary>
    public double MixtureScore { get; init; }
}

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
    public double UnknownBelow { get; init; } = 0.55;

    public int TopK { get; init; } = 5;

    /// <summary>A mixture is reported when it explains this much more of the signal than the best reference alone.</summary>
    public double MixtureGain { get; init; } = 0.05;

    /// <summary>At or above this score the best reference explains the spectrum and no mixture is sought.</summary>
    public double PureAbove { get; init; } = 0.95;

    public double[] Axis() => Enumerable.Range(0, AxisCount).Select(i => AxisStart + (i * AxisStep)).ToArray();
}

/// <summary>A spectrum as the search sees it, with the steps an inspector may want to look at.</summary>
/// <param name="Axis">The common wavenumber axis.</param>
/// <param name="Raw">The despiked spectrum on the common axis (0 outside the measured range).</param>
/// <param name="Baseline">The baseline (fluorescence) removed from it.</param>
/// <param name="Spectrum">Baseline-corrected, smoothed, centred and normalised over the measured range: what is compared.</param>
/// <param name="From">First axis index the spectrum covers.</param>
/// <param name="To">One past the last axis index it covers.</param>
/// <param name="NoiseShare">Share of the spectrum's energy that is noise (0 clean, towards 1 noisy), estimated from it.</param>
public sealed record Prepared(double[] Axis, double[] Raw, double[] Baseline, float[] Spectrum, int From, int To, double NoiseShare);

/// <summary>
/// Library search by hit-quality index (the squared correlation of preprocessed, normalised spectra), tolerant of a
/// calibration shift of a few points and compared only over the range the spectrum covers. The score is corrected for
/// the noise the spectrum carries (HQI divided by the share of its energy that is signal), so a noisy spectrum of a
/// library substance still scores near 1 and "unknown" means unlike every reference, not merely noisy. Mixtures: the
/// residual after the best match is searched again, and two or three components are fitted by non-negative least
/// squares. Scoring uses single-precision SIMD dot products; the instance is immutable and safe to share.
/// </summary>
public sealed class Identifier
{
    private readonly IdentifyOptions _options;
    private readonly double[] _axis;
    private readonly Entry[] _library;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int, double, double), double> _noiseGains = new();

    private sealed record Entry(Reference Reference, float[] Spectrum, double[] Energy, float[] Coarse, double[] CoarseEnergy);

    /// <summary>Points of the common axis summed into one point of the coarse axis used to shortlist a large library.</summary>
    private const int CoarseFactor = 4;

    /// <summary>Libraries up to this size are searched in full; larger ones are shortlisted on the coarse axis first.</summary>
    private const int ShortlistAbove = 64;

    public Identifier(IEnumerable<Reference> library, string version, IdentifyOptions? options = null)
    {
        _options = options ?? new IdentifyOptions();
        _axis = _options.Axis();
        _library = library.Select(r =>
        {
            var p = Prepare(r.X, r.Y);
            // Prefix sums of the squared spectrum: the energy over any window, for comparing over a spectrum's range.
            var energy = new double[p.Spectrum.Length + 1];
            for (var i = 0; i < p.Spectrum.Length; i++)
            {
                energy[i + 1] = energy[i] + ((double)p.Spectrum[i] * p.Spectrum[i]);
            }

            var coarse = Coarse(p.Spectrum);
            var coarseEnergy = new double[coarse.Length + 1];
            for (var i = 0; i < coarse.Length; i++)
            {
                coarseEnergy[i + 1] = coarseEnergy[i] + ((double)coarse[i] * coarse[i]);
            }

            return new Entry(r, p.Spectrum, energy, coarse, coarseEnergy);
        }).ToArray();
        Version = version;
    }

    public string Version { get; }

    public int Count => _library.Length;

    public IReadOnlyList<double> Axis => _axis;

    public IEnumerable<Reference> References => _library.Select(e => e.Reference);

    /// <summary>A reference as the search compares it (preprocessed, on the common axis), shifted as a candidate was.</summary>
    public double[] Compared(Candidate candidate) => Shifted(candidate);

    /// <summary>Despike, put on the common axis, remove the baseline, smooth, centre and normalise over the covered range.</summary>
    public Prepared Prepare(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length || x.Length < 2)
        {
            throw new ArgumentException($"a spectrum needs as many wavenumbers as intensities, at least two ({x.Length} and {y.Length})");
        }

        var despiked = Preprocess.Despike(y);
        var raw = Preprocess.Resample(x, despiked, _axis);
        double lo = Math.Min(x[0], x[^1]), hi = Math.Max(x[0], x[^1]);
        var from = 0;
        while (from < _axis.Length && _axis[from] < lo)
        {
            from++;
        }

        var to = _axis.Length;
        while (to > from && _axis[to - 1] > hi)
        {
            to--;
        }

        var baseline = new double[_axis.Length];
        var spectrum = new float[_axis.Length];
        if (to - from < 16)
        {
            return new Prepared(_axis, raw, baseline, spectrum, from, to, 1);
        }

        var covered = raw.AsSpan(from, to - from);
        var fitted = Baseline(Preprocess.SavitzkyGolay(covered, 7, 2));
        fitted.CopyTo(baseline, from);
        var corrected = new double[covered.Length];
        for (var i = 0; i < corrected.Length; i++)
        {
            corrected[i] = covered[i] - fitted[i];
        }

        var smooth = Preprocess.SavitzkyGolay(corrected, 7, 2);
        var mean = smooth.Average();
        double energy = 0;
        for (var i = 0; i < smooth.Length; i++)
        {
            smooth[i] -= mean;
            energy += smooth[i] * smooth[i];
        }

        // The noise the compared spectrum carries: the input's noise level, pushed through the same linear steps.
        var noiseShare = energy > 0 ? Math.Min(1, NoiseVariance(despiked) * NoiseGain(x, from, to) / energy) : 1;
        var norm = Math.Sqrt(energy);
        for (var i = 0; i < smooth.Length; i++)
        {
            spectrum[from + i] = norm > 0 ? (float)(smooth[i] / norm) : 0;
        }

        return new Prepared(_axis, raw, baseline, spectrum, from, to, noiseShare);
    }

    /// <summary>
    /// The fluorescence baseline by asymmetric least squares, fitted on block means of four points (a baseline is
    /// smooth; λ scales with the fourth power of the step) and interpolated back: a quarter of the work.
    /// </summary>
    private static double[] Baseline(double[] smooth)
    {
        const int factor = 4;
        var n = smooth.Length;
        var coarse = new double[(n + factor - 1) / factor];
        var centres = new double[coarse.Length];
        for (var b = 0; b < coarse.Length; b++)
        {
            var start = b * factor;
            var count = Math.Min(factor, n - start);
            double sum = 0;
            for (var i = start; i < start + count; i++)
            {
                sum += smooth[i];
            }

            coarse[b] = sum / count;
            centres[b] = start + ((count - 1) / 2.0);
        }

        var fitted = Preprocess.AlsBaseline(coarse, lambda: 1e5 / Math.Pow(factor, 4), p: 0.001, iterations: 10);
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        // Beyond the first and last block centres the baseline is held level.
        var result = Preprocess.Resample(centres, fitted, positions);
        for (var i = 0; i < n && positions[i] < centres[0]; i++)
        {
            result[i] = fitted[0];
        }

        for (var i = n - 1; i >= 0 && positions[i] > centres[^1]; i--)
        {
            result[i] = fitted[^1];
        }

        return result;
    }

    /// <summary>
    /// Mean noise variance of a raw spectrum from its second differences (6σ² for white noise), estimated in blocks of
    /// 48 points by the median (shot noise grows with the counts, so the level differs along the spectrum; the median
    /// leaves out band tops and spikes). The median of a χ²₁ variable is 0.455.
    /// </summary>
    internal static double NoiseVariance(double[] y)
    {
        const int block = 48;
        if (y.Length < 8)
        {
            return 0;
        }

        var d = new double[y.Length - 2];
        for (var i = 1; i < y.Length - 1; i++)
        {
            var v = y[i - 1] - (2 * y[i]) + y[i + 1];
            d[i - 1] = v * v;
        }

        double total = 0;
        var blocks = 0;
        for (var start = 0; start + (block / 2) <= d.Length; start += block)
        {
            total += Preprocess.Median(d.AsSpan(start, Math.Min(block, d.Length - start))) / 0.455 / 6;
            blocks++;
        }

        return blocks == 0 ? 0 : total / blocks;
    }

    /// <summary>Energy that unit white noise on the input axis keeps through resampling, smoothing and centring (cached per axis).</summary>
    private double NoiseGain(ReadOnlySpan<double> x, int from, int to)
    {
        var key = (x.Length, x[0], x[^1]);
        if (_noiseGains.TryGetValue(key, out var known))
        {
            return known;
        }

        if (_noiseGains.Count > 256)
        {
            _noiseGains.Clear();
        }

        return _noiseGains[key] = ComputeNoiseGain(x, from, to);
    }

    private double ComputeNoiseGain(ReadOnlySpan<double> x, int from, int to)
    {
        var random = new Random(20261129);
        var noise = new double[x.Length];
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = Synthesis.Gaussian(random);
        }

        var resampled = Preprocess.Resample(x, noise, _axis).AsSpan(from, to - from);
        var smooth = Preprocess.SavitzkyGolay(resampled, 7, 2);
        var mean = smooth.Average();
        return smooth.Sum(v => (v - mean) * (v - mean));
    }

    public Identification Identify(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Identify(Prepare(x, y));

    public Identification Identify(Prepared query)
    {
        var signalShare = Math.Max(0.05, 1 - query.NoiseShare);
        var shortlist = Shortlist(query.Spectrum, query.From, query.To);
        var scored = new Candidate[shortlist.Length];
        for (var n = 0; n < shortlist.Length; n++)
        {
            var entry = _library[shortlist[n]];
            var (hqi, shift) = BestScore(query.Spectrum, query.From, query.To, entry);
            scored[n] = new Candidate(entry.Reference.Name, entry.Reference.Cas, Math.Min(1, hqi / signalShare), shift);
        }

        var ranked = scored.OrderByDescending(c => c.Score).ToList();
        var best = ranked.Count > 0 ? ranked[0] : null;
        var (mixture, mixtureScore) = best is null || ranked.Count < 2 || best.Score >= _options.PureAbove ? ([], 0) : Mixture(query, ranked, signalShare);
        // The components of a reported mixture lead the candidates; the rest follow by score.
        var top = mixture.Select(m => ranked.First(c => c.Name == m.Name))
            .Concat(ranked.Where(c => mixture.All(m => m.Name != c.Name)))
            .Take(_options.TopK)
            .ToList();
        var margin = ranked.Count > 1 ? ranked[0].Score - ranked[1].Score : ranked.Count == 1 ? ranked[0].Score : 0;
        var unknown = best is null || (best.Score < _options.UnknownBelow && mixture.Count == 0);
        return new Identification(unknown ? null : best, top, unknown, margin, mixture, Version) { MixtureScore = mixtureScore };
    }

    /// <summary>Sums of <see cref="CoarseFactor"/> points: a spectrum on the coarse axis.</summary>
    private static float[] Coarse(float[] spectrum)
    {
        var coarse = new float[(spectrum.Length + CoarseFactor - 1) / CoarseFactor];
        for (var i = 0; i < spectrum.Length; i++)
        {
            coarse[i / CoarseFactor] += spectrum[i];
        }

        return coarse;
    }

    /// <summary>
    /// The entries worth a full search: all of a small library; of a large one, the best by hit-quality index on the
    /// coarse axis (8 cm⁻¹ bins, shifted by up to one bin), at least <see cref="ShortlistAbove"/> or a twentieth.
    /// </summary>
    private int[] Shortlist(float[] query, int from, int to)
    {
        if (_library.Length <= ShortlistAbove)
        {
            return Enumerable.Range(0, _library.Length).ToArray();
        }

        var q = Coarse(query);
        int lo = from / CoarseFactor, hi = (to + CoarseFactor - 1) / CoarseFactor;
        var scores = new double[_library.Length];
        for (var k = 0; k < _library.Length; k++)
        {
            var entry = _library[k];
            for (var shift = -1; shift <= 1; shift++)
            {
                var start = Math.Max(lo, -shift);
                var end = Math.Min(hi, entry.Coarse.Length - shift);
                if (end - start < 4)
                {
                    continue;
                }

                var dot = (double)Dot(q.AsSpan(start, end - start), entry.Coarse.AsSpan(start + shift, end - start));
                var energy = entry.CoarseEnergy[end + shift] - entry.CoarseEnergy[start + shift];
                scores[k] = Math.Max(scores[k], dot > 0 && energy > 0 ? dot * dot / energy : 0);
            }
        }

        var keep = Math.Max(ShortlistAbove, _library.Length / 20);
        return Enumerable.Range(0, _library.Length).OrderByDescending(k => scores[k]).Take(keep).ToArray();
    }

    /// <summary>Hit-quality index at the best shift, over the query's range: (q·r)² / (|q|²·|r|²) with |q| = 1.</summary>
    private (double Score, int Shift) BestScore(float[] query, int from, int to, Entry entry)
    {
        var reference = entry.Spectrum;
        var best = 0.0;
        var bestShift = 0;
        for (var shift = -_options.MaxShiftPoints; shift <= _options.MaxShiftPoints; shift++)
        {
            var start = Math.Max(from, -shift);
            var end = Math.Min(to, reference.Length - shift);
            if (end - start < 16)
            {
                continue;
            }

            var dot = (double)Dot(query.AsSpan(start, end - start), reference.AsSpan(start + shift, end - start));
            var energy = entry.Energy[end + shift] - entry.Energy[start + shift];
            var hqi = dot > 0 && energy > 0 ? dot * dot / energy : 0;
            if (hqi > best)
            {
                (best, bestShift) = (hqi, shift);
            }
        }

        return (best, bestShift);
    }

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = System.Numerics.Vector<float>.Count;
        var acc = System.Numerics.Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
        {
            acc += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(b[i..]);
        }

        var sum = System.Numerics.Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private double[] Shifted(Candidate c)
    {
        var spectrum = _library.First(l => l.Reference.Name == c.Name).Spectrum;
        var shifted = new double[spectrum.Length];
        for (var i = 0; i < shifted.Length; i++)
        {
            var j = i + c.ShiftPoints;
            shifted[i] = j >= 0 && j < spectrum.Length ? spectrum[j] : 0;
        }

        return shifted;
    }

    /// <summary>
    /// Builds up to three components: the best match, then the best match of what it leaves unexplained, and so on;
    /// fits them by non-negative least squares and keeps the mixture if it explains clearly more of the signal than
    /// the best reference alone.
    /// </summary>
    private (List<(string Name, double Fraction)> Parts, double Score) Mixture(Prepared query, List<Candidate> ranked, double signalShare)
    {
        var q = query.Spectrum.Select(v => (double)v).ToArray();
        var parts = new List<(Candidate Candidate, double[] Spectrum)> { (ranked[0], Shifted(ranked[0])) };
        double[] weights = [1];
        var explained = Explained(q, parts, ref weights);
        for (var component = 1; component < 3; component++)
        {
            var residual = (double[])q.Clone();
            for (var k = 0; k < parts.Count; k++)
            {
                for (var i = 0; i < residual.Length; i++)
                {
                    residual[i] -= weights[k] * parts[k].Spectrum[i];
                }
            }

            var norm = Math.Sqrt(residual.Sum(v => v * v));
            if (norm <= 0)
            {
                break;
            }

            var r = residual.Select(v => (float)(v / norm)).ToArray();
            Candidate? next = null;
            foreach (var k in Shortlist(r, query.From, query.To))
            {
                if (parts.Any(p => p.Candidate.Name == _library[k].Reference.Name))
                {
                    continue;
                }

                var (hqi, shift) = BestScore(r, query.From, query.To, _library[k]);
                if (next is null || hqi > next.Score)
                {
                    next = new Candidate(_library[k].Reference.Name, _library[k].Reference.Cas, hqi, shift);
                }
            }

            if (next is null)
            {
                break;
            }

            var trial = parts.Append((next, Shifted(next))).ToList();
            var trialWeights = weights;
            var trialExplained = Explained(q, trial, ref trialWeights);
            if ((trialExplained - explained) / signalShare < _options.MixtureGain || trialWeights[^1] < 0.1 * trialWeights.Max())
            {
                break;
            }

            (parts, weights, explained) = (trial, trialWeights, trialExplained);
        }

        if (parts.Count < 2 || explained / signalShare < _options.UnknownBelow)
        {
            return ([], 0);
        }

        // Fractions by the parts' contributions to the spectrum (weights of unit-norm references).
        var sum = weights.Sum();
        return (parts.Select((p, k) => (p.Candidate.Name, weights[k] / sum)).OrderByDescending(p => p.Item2).ToList(), Math.Min(1, explained / signalShare));
    }

    /// <summary>R² of the non-negative least-squares fit of the query by the parts; the weights come back in <paramref name="weights"/>.</summary>
    private static double Explained(double[] q, List<(Candidate Candidate, double[] Spectrum)> parts, ref double[] weights)
    {
        weights = Nnls(parts.Select(p => p.Spectrum).ToArray(), q);
        double residual = 0, total = 0;
        for (var i = 0; i < q.Length; i++)
        {
            var fitted = 0.0;
            for (var k = 0; k < parts.Count; k++)
            {
                fitted += weights[k] * parts[k].Spectrum[i];
            }

            residual += (q[i] - fitted) * (q[i] - fitted);
            total += q[i] * q[i];
        }

        return total > 0 ? 1 - (residual / total) : 0;
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
