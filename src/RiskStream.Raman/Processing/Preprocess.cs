namespace RiskStream.Raman.Processing;

/// <summary>
/// Raman preprocessing steps, each on its own so it can be tested against a known answer: cosmic-ray spike removal,
/// baseline (fluorescence) removal by asymmetric least squares, Savitzky–Golay smoothing, resampling onto one
/// wavenumber axis and vector normalisation.
/// </summary>
internal static class Preprocess
{
    /// <summary>
    /// Cosmic-ray spikes: a point that stands above both neighbours by more than <paramref name="threshold"/> times the
    /// noise (estimated from the median absolute step) and by more than three times the slope of the neighbours'
    /// own flanks. A band, however narrow, rises to its top along steep flanks; a spike rises out of a flat
    /// neighbourhood (pairs of points are checked the same way). Spikes are replaced by linear interpolation between
    /// the nearest non-spike points within <paramref name="window"/>.
    /// </summary>
    public static double[] Despike(ReadOnlySpan<double> y, double threshold = 8, int window = 3)
    {
        var result = y.ToArray();
        for (var pass = 0; pass < 2 && DespikeOnce(result, threshold, window); pass++)
        {
        }

        return result;
    }

    /// <summary>
    /// One pass, in place: spikes are all found first, and a spike is replaced from points that are not spikes, which
    /// the pass leaves as they were; so it reads the input it would have read from a copy. Returns whether it found any.
    /// </summary>
    private static bool DespikeOnce(double[] y, double threshold, int window)
    {
        var n = y.Length;
        if (n < 5)
        {
            return false;
        }

        var rented = System.Buffers.ArrayPool<double>.Shared.Rent(n - 1);
        var steps = rented.AsSpan(0, n - 1);
        for (var i = 1; i < n; i++)
        {
            steps[i - 1] = Math.Abs(y[i] - y[i - 1]);
        }

        // Median absolute step of white noise is about 0.95 σ.
        var noise = Math.Max(Selection.Median(steps) / 0.954, 1e-12);
        System.Buffers.ArrayPool<double>.Shared.Return(rented);
        var spike = System.Buffers.ArrayPool<bool>.Shared.Rent(n);
        Array.Clear(spike, 0, n);
        var found = false;
        for (var i = 2; i < n - 2; i++)
        {
            var excess = y[i] - Math.Max(y[i - 1], y[i + 1]);
            var flanks = (Math.Abs(y[i - 1] - y[i - 2]) + Math.Abs(y[i + 1] - y[i + 2])) / 2;
            spike[i] |= excess > threshold * noise && excess > 3 * flanks;

            // Two points wide: the pair stands above the points either side of it.
            if (i + 3 < n)
            {
                var pairExcess = Math.Min(y[i], y[i + 1]) - Math.Max(y[i - 1], y[i + 2]);
                var pairFlanks = (Math.Abs(y[i - 1] - y[i - 2]) + Math.Abs(y[i + 2] - y[i + 3])) / 2;
                if (pairExcess > threshold * noise && pairExcess > 3 * pairFlanks)
                {
                    spike[i] = spike[i + 1] = true;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (!spike[i])
            {
                continue;
            }

            found = true;

            // Linear interpolation between the nearest non-spike points on either side (within the window).
            var left = i - 1;
            while (left >= 0 && spike[left] && i - left <= window)
            {
                left--;
            }

            var right = i + 1;
            while (right < n && spike[right] && right - i <= window)
            {
                right++;
            }

            if (left >= 0 && right < n && !spike[left] && !spike[right])
            {
                y[i] = y[left] + ((y[right] - y[left]) * (i - left) / (right - left));
            }
            else if (left >= 0 && !spike[left])
            {
                y[i] = y[left];
            }
            else if (right < n && !spike[right])
            {
                y[i] = y[right];
            }
        }

        System.Buffers.ArrayPool<bool>.Shared.Return(spike);
        return found;
    }

    /// <summary>
    /// Baseline by asymmetric least squares (Eilers and Boelens): minimise Σ wᵢ(yᵢ − zᵢ)² + λ Σ (Δ²zᵢ)², with weight
    /// <paramref name="p"/> above the baseline and 1 − p below, re-weighted <paramref name="iterations"/> times. The
    /// system is pentadiagonal and solved by a banded Cholesky factorisation: O(n) per iteration.
    /// </summary>
    public static double[] AlsBaseline(ReadOnlySpan<double> y, double lambda = 1e5, double p = 0.01, int iterations = 10)
    {
        var n = y.Length;
        if (n < 3)
        {
            return y.ToArray();
        }

        var w = Enumerable.Repeat(1.0, n).ToArray();
        var z = new double[n];
        var l0 = new double[n];
        var l1 = new double[n];
        var l2 = new double[n];
        var rhs = new double[n];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            // A = W + λ DᵀD (D: second differences), as three bands of its lower triangle; its Cholesky factor
            // A = L Lᵀ and L u = W y in one pass, then Lᵀ z = u. The interior rows (the same bands throughout) run
            // in a loop of their own, without the end rows' cases; the arithmetic is the same, row by row.
            var edge = Math.Min(2, n);
            for (var i = 0; i < edge; i++)
            {
                FactorRow(i, n, lambda, w, y, l0, l1, l2, rhs);
            }

            var interior = lambda * 6.0;
            var off1 = lambda * -4.0;
            for (var i = 2; i < n - 2; i++)
            {
                var s2 = lambda / l0[i - 2];
                var s1 = (off1 - (s2 * l1[i - 1])) / l0[i - 1];
                var d = w[i] + interior - (s1 * s1) - (s2 * s2);
                l2[i] = s2;
                l1[i] = s1;
                var root = Math.Sqrt(Math.Max(d, 1e-300));
                l0[i] = root;
                rhs[i] = ((w[i] * y[i]) - (s1 * rhs[i - 1]) - (s2 * rhs[i - 2])) / root;
            }

            for (var i = Math.Max(edge, n - 2); i < n; i++)
            {
                FactorRow(i, n, lambda, w, y, l0, l1, l2, rhs);
            }

            for (var i = n - 1; i >= Math.Max(0, n - 2); i--)
            {
                var v = rhs[i] - (i + 1 < n ? l1[i + 1] * z[i + 1] : 0) - (i + 2 < n ? l2[i + 2] * z[i + 2] : 0);
                z[i] = v / l0[i];
            }

            for (var i = n - 3; i >= 0; i--)
            {
                z[i] = (rhs[i] - (l1[i + 1] * z[i + 1]) - (l2[i + 2] * z[i + 2])) / l0[i];
            }

            // Converged when no point changes side.
            var changed = false;
            for (var i = 0; i < n; i++)
            {
                var weight = y[i] > z[i] ? p : 1 - p;
                changed |= weight != w[i];
                w[i] = weight;
            }

            if (!changed)
            {
                break;
            }
        }

        return z;
    }

    /// <summary>One row of <see cref="AlsBaseline"/>'s factorisation and forward substitution, with the end rows' bands.</summary>
    private static void FactorRow(int i, int n, double lambda, double[] w, ReadOnlySpan<double> y, double[] l0, double[] l1, double[] l2, double[] rhs)
    {
        var main = i == 0 || i == n - 1 ? 1.0 : i == 1 || i == n - 2 ? 5.0 : 6.0;
        var a0 = w[i] + (lambda * main);
        var a1 = i >= 1 ? lambda * (i == 1 || i == n - 1 ? -2.0 : -4.0) : 0;
        var a2 = i >= 2 ? lambda : 0;
        var s2 = i >= 2 ? a2 / l0[i - 2] : 0;
        var s1 = i >= 1 ? (a1 - (i >= 2 ? s2 * l1[i - 1] : 0)) / l0[i - 1] : 0;
        var d = a0 - (s1 * s1) - (s2 * s2);
        l2[i] = s2;
        l1[i] = s1;
        l0[i] = Math.Sqrt(Math.Max(d, 1e-300));
        var v = (w[i] * y[i]) - (i >= 1 ? s1 * rhs[i - 1] : 0) - (i >= 2 ? s2 * rhs[i - 2] : 0);
        rhs[i] = v / l0[i];
    }

    /// <summary>Savitzky–Golay smoothing: a least-squares polynomial of <paramref name="order"/> over each odd <paramref name="window"/>; the ends are mirrored.</summary>
    public static double[] SavitzkyGolay(ReadOnlySpan<double> y, int window = 7, int order = 2)
    {
        if (window % 2 == 0 || window < 3 || order >= window)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "window must be odd, at least 3 and above the order");
        }

        var n = y.Length;
        var half = window / 2;
        var c = Weights.GetOrAdd((half, order), key => Coefficients(key.Half, key.Order));
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            if (i >= half && i < n - half)
            {
                // Inside: no mirroring to do.
                var from = i - half;
                for (var k = 0; k < c.Length; k++)
                {
                    sum += c[k] * y[from + k];
                }
            }
            else
            {
                for (var k = -half; k <= half; k++)
                {
                    var j = i + k;
                    j = j < 0 ? -j : j >= n ? (2 * (n - 1)) - j : j;
                    sum += c[k + half] * y[Math.Clamp(j, 0, n - 1)];
                }
            }

            result[i] = sum;
        }

        return result;
    }

    /// <summary>Smoothing weights per (half window, order), computed once.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Half, int Order), double[]> Weights = new();

    /// <summary>The smoothing weights: row 0 of (AᵀA)⁻¹Aᵀ for A the Vandermonde matrix of −half..half.</summary>
    private static double[] Coefficients(int half, int order)
    {
        var m = order + 1;
        var ata = new double[m, m];
        for (var k = -half; k <= half; k++)
        {
            for (var r = 0; r < m; r++)
            {
                for (var s = 0; s < m; s++)
                {
                    ata[r, s] += Math.Pow(k, r + s);
                }
            }
        }

        // Solve AᵀA e = e₀ (Gauss–Jordan on a tiny matrix), then weight_k = Σ_r e_r k^r.
        var e = new double[m];
        e[0] = 1;
        for (var col = 0; col < m; col++)
        {
            var pivot = Enumerable.Range(col, m - col).MaxBy(r => Math.Abs(ata[r, col]));
            for (var s = 0; s < m; s++)
            {
                (ata[col, s], ata[pivot, s]) = (ata[pivot, s], ata[col, s]);
            }

            (e[col], e[pivot]) = (e[pivot], e[col]);
            for (var r = 0; r < m; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var f = ata[r, col] / ata[col, col];
                for (var s = 0; s < m; s++)
                {
                    ata[r, s] -= f * ata[col, s];
                }

                e[r] -= f * e[col];
            }
        }

        for (var r = 0; r < m; r++)
        {
            e[r] /= ata[r, r];
        }

        return Enumerable.Range(-half, (2 * half) + 1).Select(k => Enumerable.Range(0, m).Sum(r => e[r] * Math.Pow(k, r))).ToArray();
    }

    /// <summary>Linear interpolation onto <paramref name="axis"/>; x may run either way; points outside are 0.</summary>
    public static double[] Resample(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> axis)
    {
        if (x.Length > 1 && x[0] > x[^1])
        {
            // Descending: copy once and reverse (ascending input, the usual case, is read in place).
            var xs = x.ToArray();
            var ys = y.ToArray();
            Array.Reverse(xs);
            Array.Reverse(ys);
            return Resample(xs, ys, axis);
        }

        var result = new double[axis.Length];
        var j = 0;
        for (var i = 0; i < axis.Length; i++)
        {
            var a = axis[i];
            if (x.Length == 0 || a < x[0] || a > x[^1])
            {
                continue;
            }

            while (j + 1 < x.Length && x[j + 1] < a)
            {
                j++;
            }

            if (j + 1 >= x.Length)
            {
                result[i] = y[^1];
                continue;
            }

            var span = x[j + 1] - x[j];
            result[i] = span <= 0 ? y[j] : y[j] + ((y[j + 1] - y[j]) * (a - x[j]) / span);
        }

        return result;
    }

    /// <summary>Scales to unit Euclidean norm (a flat zero spectrum stays zero).</summary>
    public static double[] Normalise(ReadOnlySpan<double> y)
    {
        double sum = 0;
        foreach (var v in y)
        {
            sum += v * v;
        }

        var norm = Math.Sqrt(sum);
        var result = y.ToArray();
        if (norm > 0)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] /= norm;
            }
        }

        return result;
    }
}
