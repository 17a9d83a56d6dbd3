using RiskStream.Raman.Numerics;

namespace RiskStream.Raman.Processing;

/// <summary>
/// Mixtures, reported only when the evidence demands them. Components are added one at a time (the best match of what
/// the others leave unexplained, fitted with them by non-negative least squares), and each added component must pass
/// three tests: it explains at least <see cref="IdentifyOptions.MixtureGain"/> more of the signal; that gain is
/// significant against the spectrum's own noise (an F-test on the residual energy, one parameter added, at
/// <see cref="FCritical"/>); and its own bands (those no other component has within the tolerance) that the noise
/// would let show are found in the spectrum, the strongest of them among them. A pure spectrum that a rendered
/// reference fits imperfectly leaves a residual that correlates with some other reference, but that reference's own
/// bands are not there: it is not reported.
/// </summary>
/// <remarks>Immutable: safe to share between threads.</remarks>
internal sealed class MixtureSolver(LibrarySearch search, IdentifyOptions options, double[] axis)
{
    /// <summary>F(1, n) critical value at p = 0.001 for large n: a component whose gain is below it is noise fitted.</summary>
    public const double FCritical = 10.83;

    /// <summary>Points of the prepared spectrum that carry one independent noise value (the Savitzky–Golay smoothing correlates neighbours).</summary>
    private const double CorrelatedPoints = 3;

    /// <summary>The own bands found must carry at least this share of the own bands' heights.</summary>
    private const double OwnBandsFound = 0.6;

    public (List<MixturePart> Parts, double Score) Solve(Prepared query, QueryBands bands, List<Candidate> ranked, double signalShare)
    {
        var q = query.Spectrum.Select(v => (double)v).ToArray();
        // Fitted over the whole axis: a component's bands beyond the spectrum's range count against it (a reference
        // that only fits where the spectrum was measured is weaker evidence; fitting over the range alone let a
        // measured dichromate of 146–1290 cm⁻¹ take nitromethane's 918 cm⁻¹ band as a second component).
        double[] Part(Candidate c) => search.Shifted(c);

        var parts = new List<(Candidate Candidate, double[] Spectrum)> { (ranked[0], Part(ranked[0])) };
        double[] weights = [1];
        var explained = Explained(q, parts, ref weights, out _);
        var points = Math.Max(1, query.To - query.From);
        var noisePerPoint = query.NoiseShare / points;
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
            var next = search.BestExcept(r, query.From, query.To, parts.Select(p => p.Candidate.Name).ToArray());
            if (next is null)
            {
                break;
            }

            var trial = parts.Append((next, Part(next))).ToList();
            var trialWeights = weights;
            var trialExplained = Explained(q, trial, ref trialWeights, out var rss);
            var gain = trialExplained - explained;

            // The gain against what one more parameter fitting noise alone would gain: the larger of the noise the
            // spectrum carries and the residual that is left (a rendered reference's misfit is noise to this test).
            var dof = Math.Max(1, (points / CorrelatedPoints) - trial.Count);
            var perPoint = Math.Max(noisePerPoint * CorrelatedPoints, rss / dof);
            var significant = gain / perPoint >= FCritical;
            if (gain / signalShare < options.MixtureGain || !significant || trialWeights[^1] < 0.1 * trialWeights.Max()
                || !OwnBandsShow(query, bands, trial, trialWeights))
            {
                break;
            }

            (parts, weights, explained) = (trial, trialWeights, trialExplained);
        }

        if (parts.Count < 2 || explained / signalShare < options.UnknownBelow)
        {
            return ([], 0);
        }

        var uncertainties = FractionUncertainties(q, query, parts, weights);
        var sum = weights.Sum();
        var result = parts.Select((p, k) => new MixturePart(p.Candidate.Name, weights[k] / sum, uncertainties[k])).OrderByDescending(p => p.Fraction).ToList();
        return (result, Math.Min(1, explained / signalShare));
    }

    /// <summary>
    /// The last component's own bands, those no other component has within the tolerance, tested at the height its
    /// weight predicts: at least one must be testable, the strongest must be found, and the found must carry most of
    /// the own bands' heights.
    /// </summary>
    private bool OwnBandsShow(Prepared query, QueryBands bands, List<(Candidate Candidate, double[] Spectrum)> parts, double[] weights)
    {
        var added = parts[^1].Candidate;
        var entry = search.Entry(added.Name);
        var others = parts.Take(parts.Count - 1).Select(p => (Entry: search.Entry(p.Candidate.Name), p.Candidate.ShiftPoints)).ToList();
        var own = entry.Bands.Where(b => others.All(o => o.Entry.Bands.All(ob => Math.Abs((ob.Index - o.ShiftPoints) - (b.Index - added.ShiftPoints)) > bands.Tolerance))).ToArray();
        if (own.Length == 0)
        {
            return false;
        }

        // The component's weight is that of its unit-norm prepared spectrum: its bands' heights scale with it.
        var match = BandEvidence.Match(query, bands, own, added.ShiftPoints, weights[^1], axis);
        if (match.Tested.Count == 0)
        {
            return false;
        }

        var strongest = match.Tested.MaxBy(b => b.Weight);
        return strongest.Found && match.FoundShare >= OwnBandsFound;
    }

    /// <summary>
    /// Standard uncertainties of the fractions: the weights' covariance from the fit (residual variance per
    /// independent point times (AᵀA)⁻¹, AᵀA scaled for the correlated points), carried to the fractions w/Σw.
    /// </summary>
    private static double[] FractionUncertainties(double[] q, Prepared query, List<(Candidate Candidate, double[] Spectrum)> parts, double[] weights)
    {
        var p = parts.Count;
        var gram = new double[p, p];
        double rss = 0;
        for (var i = query.From; i < query.To; i++)
        {
            var fitted = 0.0;
            for (var a = 0; a < p; a++)
            {
                fitted += weights[a] * parts[a].Spectrum[i];
                for (var b = 0; b < p; b++)
                {
                    gram[a, b] += parts[a].Spectrum[i] * parts[b].Spectrum[i];
                }
            }

            rss += (q[i] - fitted) * (q[i] - fitted);
        }

        var points = Math.Max(1, query.To - query.From);
        var variance = Math.Max(rss, query.NoiseShare) / Math.Max(1, points - p);
        var inverse = Invert(gram, p);
        var sum = weights.Sum();
        var result = new double[p];
        if (inverse is null)
        {
            // Components the fit cannot tell apart: their shares are not known at all.
            Array.Fill(result, 1.0);
            return result;
        }

        for (var k = 0; k < p; k++)
        {
            // ∂f_k/∂w_j = (δ_kj·Σw − w_k) / (Σw)²; the points' correlation multiplies the variance by the points per independent value.
            var g = new double[p];
            for (var j = 0; j < p; j++)
            {
                g[j] = ((j == k ? sum : 0) - weights[k]) / (sum * sum);
            }

            double v = 0;
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    v += g[a] * inverse[a, b] * g[b];
                }
            }

            result[k] = Math.Sqrt(Math.Max(0, v * variance * CorrelatedPoints));
        }

        return result;
    }

    /// <summary>Inverse of a small symmetric positive definite matrix by Gauss–Jordan elimination; null when singular.</summary>
    private static double[,]? Invert(double[,] m, int n)
    {
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            inv[i, i] = 1;
        }

        for (var col = 0; col < n; col++)
        {
            var pivot = a[col, col];
            if (Math.Abs(pivot) < 1e-12)
            {
                return null;
            }

            for (var j = 0; j < n; j++)
            {
                a[col, j] /= pivot;
                inv[col, j] /= pivot;
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var f = a[r, col];
                for (var j = 0; j < n; j++)
                {
                    a[r, j] -= f * a[col, j];
                    inv[r, j] -= f * inv[col, j];
                }
            }
        }

        return inv;
    }

    /// <summary>R² of the non-negative least-squares fit of the query by the parts; the weights and the residual energy come back.</summary>
    private static double Explained(double[] q, List<(Candidate Candidate, double[] Spectrum)> parts, ref double[] weights, out double rss)
    {
        weights = NonNegativeLeastSquares.Solve(parts.Select(p => p.Spectrum).ToArray(), q);
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

        rss = residual;
        return total > 0 ? 1 - (residual / total) : 0;
    }
}
